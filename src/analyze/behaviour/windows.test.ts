import { describe, expect, it } from 'vitest';
import { addToCounter, countRecent, createCounter, createRecentSet, recentValues, touchRecent, walkShare } from './windows.js';

describe('SlidingCounter', () => {
  it('counts within the window, forgets what slides out, takes late events still inside it', () => {
    const counter = createCounter();
    const slotMs = 30_000;
    for (let t = 0; t < 10; t++) addToCounter(counter, slotMs, 1_000_000_000_000 + t * 10_000);
    expect(counter.total).toBe(10);
    expect(addToCounter(counter, slotMs, 1_000_000_000_000 + 60_000 - 120_000)).toBe(true);
    expect(counter.total).toBe(11);
    // Five minutes later, only the new event is in the window.
    addToCounter(counter, slotMs, 1_000_000_000_000 + 400_000);
    expect(counter.total).toBe(1);
    expect(addToCounter(counter, slotMs, 1_000_000_000_000)).toBe(false);
    expect(counter.total).toBe(1);
  });
});

describe('RecentSet', () => {
  it('holds distinct values in the window, bounded, the least recently seen going first', () => {
    const set = createRecentSet();
    expect(touchRecent(set, 0, 1, 1000, 60_000, 3)).toBe(true);
    expect(touchRecent(set, 0, 1, 2000, 60_000, 3)).toBe(false);
    touchRecent(set, 0, 2, 3000, 60_000, 3);
    touchRecent(set, 0, 3, 4000, 60_000, 3);
    touchRecent(set, 0, 4, 5000, 60_000, 3);
    expect(set.capped).toBe(true);
    expect(recentValues(set).sort()).toEqual([2, 3, 4]);
    expect(countRecent(set, 63_500, 60_000)).toBe(2);
    expect(countRecent(set, 200_000, 60_000)).toBe(0);
  });

  it('measures walks: neighbouring values are a walk, unrelated ones are not', () => {
    const walk = createRecentSet();
    for (let i = 0; i < 50; i++) touchRecent(walk, 0, 1_000_000 + i * 2, i, 3_600_000, 256);
    expect(walkShare(walk, 16)).toBe(1);
    const unrelated = createRecentSet();
    for (let i = 0; i < 50; i++) touchRecent(unrelated, 0, 1_000_000 + i * 104_729, i, 3_600_000, 256);
    expect(walkShare(unrelated, 16)).toBe(0);
    const opaque = createRecentSet();
    for (let i = 0; i < 50; i++) touchRecent(opaque, i, -1, i, 3_600_000, 256);
    expect(walkShare(opaque, 16)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { EventWindow } from './event-window.js';

function times(window: EventWindow): number[] {
  return window.toColumns().times;
}

describe('EventWindow', () => {
  it.each([
    { name: 'in order', insert: [1, 2, 3], expected: [1, 2, 3], inOrder: [true, true, true] },
    { name: 'a late event goes to its place', insert: [1, 5, 3], expected: [1, 3, 5], inOrder: [true, true, false] },
    { name: 'equal times keep arrival order', insert: [1, 1, 1], expected: [1, 1, 1], inOrder: [true, true, true] },
    { name: 'older than all', insert: [5, 6, 2], expected: [2, 5, 6], inOrder: [true, true, false] },
  ])('inserts $name', ({ insert, expected, inOrder }) => {
    const window = new EventWindow(true);
    expect(insert.map((t) => window.insert(t, t, 0))).toEqual(inOrder);
    expect(times(window)).toEqual(expected);
  });

  it('evicts from the front and reports each removed payload', () => {
    const window = new EventWindow(true);
    for (let t = 0; t < 10; t++) window.insert(t, t, `v${t}`);
    const removed: unknown[] = [];
    window.evictBefore(4, { remove: (p) => removed.push(p) });
    expect(removed).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(window.size).toBe(6);
    expect(window.oldestTime).toBe(4);
    window.evictOldest({ remove: (p) => removed.push(p) });
    expect(window.oldestTime).toBe(5);
  });

  it('stays correct across compactions', () => {
    const window = new EventWindow(true);
    for (let t = 0; t < 1000; t++) {
      window.insert(t, t, t);
      window.evictBefore(t - 9, { remove: () => undefined });
    }
    expect(times(window)).toEqual([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
    window.insert(995, -1, 0);
    expect(window.toColumns().refs).toEqual([990, 991, 992, 993, 994, 995, -1, 996, 997, 998, 999]);
  });

  it('keeps no payloads when the type needs none', () => {
    const window = new EventWindow(false);
    window.insert(1, 10, 'ignored');
    window.insert(0, 20, 'ignored');
    expect(window.toColumns()).toEqual({ times: [0, 1], refs: [20, 10], payloads: [0, 0] });
  });

  it('samples the first and last refs when there are too many', () => {
    const window = new EventWindow(true);
    for (let t = 0; t < 10; t++) window.insert(t, t, 0);
    expect(window.sampleRefs(4)).toEqual([0, 1, 8, 9]);
    expect(window.sampleRefs(20)).toHaveLength(10);
  });
});

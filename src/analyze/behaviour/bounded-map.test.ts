import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('stays within capacity, forgetting keys not used for a whole turn, and restores its order', () => {
    const map = new BoundedMap<number>(3);
    for (const key of ['a', 'b', 'c']) map.obtain('org', key, () => 0);
    map.touch('org', 'a');
    map.obtain('other-org', 'd', () => 0);
    expect([...map.entries()].map(([scope, key]) => `${scope}/${key}`).sort()).toEqual(['org/a', 'org/c', 'other-org/d']);
    expect(map.evicted).toBe(1);
    const copy = BoundedMap.fromData(JSON.parse(JSON.stringify(map.toData())) as ReturnType<typeof map.toData>, 3);
    map.obtain('org', 'e', () => 0);
    copy.obtain('org', 'e', () => 0);
    expect([...copy.entries()]).toEqual([...map.entries()]);
    for (let i = 0; i < 1000; i++) map.obtain(`org${i % 7}`, `k${i}`, () => i);
    expect(map.size).toBe(3);
    expect([...map.entries()]).toHaveLength(3);
  });

  it('keeps the same key of two scopes apart', () => {
    const map = new BoundedMap<string>(10);
    map.obtain('org-hanoi', '203.0.113.7', () => 'hanoi');
    expect(map.obtain('org-hue', '203.0.113.7', () => 'hue')).toBe('hue');
    expect(map.touch('org-hanoi', '203.0.113.7')).toBe('hanoi');
  });

  it('invalidates a held slot when its key is forgotten', () => {
    const map = new BoundedMap<number>(1);
    const slot = map.obtainSlot('org', 'a', () => 1);
    map.obtain('org', 'b', () => 2);
    expect(slot.live).toBe(false);
  });
});

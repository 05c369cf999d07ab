import { describe, expect, it } from 'vitest';
import { IntTable, TextTable, fnv1a, fnv1aOffset, fnv1aReverse, fnv1aStep } from './hash-tables.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) | 0;
    return state;
  };
}

describe('IntTable', () => {
  it('behaves as a Map under random inserts, overwrites and deletes (with growth and back-shifts)', () => {
    const next = random(7);
    const table = new IntTable();
    const reference = new Map<number, number>();
    // a small key space makes collisions, overwrites and deletions of present keys frequent
    for (let step = 0; step < 50_000; step++) {
      const key = (next() % 3000) * 65536; // equal low bits: a stress for the mixing
      const op = next() & 3;
      if (op === 0) {
        expect(table.delete(key)).toBe(reference.delete(key));
      } else {
        const value = next() & 0x7fffffff;
        table.set(key, value);
        reference.set(key, value);
      }
      if (step % 997 === 0) for (const [k, v] of reference) expect(table.get(k)).toBe(v);
    }
    expect(table.size).toBe(reference.size);
    for (let k = 0; k < 3000; k++) expect(table.get(k * 65536)).toBe(reference.get(k * 65536));
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get(0)).toBeUndefined();
  });

  it('keeps negative keys and values apart from the empty marker', () => {
    const table = new IntTable();
    table.set(-1, -5);
    table.set(0, 0);
    expect(table.get(-1)).toBe(-5);
    expect(table.get(0)).toBe(0);
    expect(() => table.set(1, -0x80000000)).toThrow(RangeError);
  });
});

describe('TextTable', () => {
  it('behaves as a Map under random operations', () => {
    const next = random(11);
    const table = new TextTable();
    const reference = new Map<string, number>();
    for (let step = 0; step < 30_000; step++) {
      const key = `k${(next() >>> 0) % 2000}`;
      if ((next() & 3) === 0) expect(table.delete(key)).toBe(reference.delete(key));
      else {
        const value = next() & 0xffff;
        table.set(key, value);
        reference.set(key, value);
      }
    }
    expect(table.size).toBe(reference.size);
    for (let k = 0; k < 2000; k++) expect(table.get(`k${k}`)).toBe(reference.get(`k${k}`));
  });

  it('looks up ranges of a string by a hash taken while scanning backwards', () => {
    const table = new TextTable(fnv1aReverse);
    table.set('evil.vn', 1);
    table.set('b.evil.vn', 2);
    const name = 'a.b.evil.vn';
    const found: number[] = [];
    let hash = fnv1aOffset;
    for (let i = name.length - 1; i >= 0; i--) {
      if (name[i] === '.') {
        const value = table.getRange(hash, name, i + 1, name.length);
        if (value !== undefined) found.push(value);
      }
      hash = fnv1aStep(hash, name.charCodeAt(i));
    }
    expect(found).toEqual([1, 2]);
    expect(hash).toBe(fnv1aReverse(name));
    expect(table.getRange(fnv1aReverse('evil.vn'), 'xevil.vn', 1, 8)).toBe(1);
    expect(table.getRange(fnv1aReverse('evil.vn'), 'evil.vnx', 0, 7)).toBe(1);
  });

  it('tells apart different strings with the same hash', () => {
    // a table whose hash collides everything still answers correctly
    const table = new TextTable(() => 42);
    for (let k = 0; k < 100; k++) table.set(`v${k}`, k);
    for (let k = 0; k < 100; k += 2) table.delete(`v${k}`);
    for (let k = 0; k < 100; k++) expect(table.get(`v${k}`)).toBe(k % 2 === 0 ? undefined : k);
    expect(fnv1a('abc')).not.toBe(fnv1a('acb'));
  });
});

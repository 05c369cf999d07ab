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
      if (step % 997 === 0) {
        const wrong = [...reference].filter(([k, v]) => table.get(k) !== v);
        expect(wrong).toEqual([]);
      }
    }
    expect(table.size).toBe(reference.size);
    const wrong = Array.from({ length: 3000 }, (_, k) => k * 65536).filter((k) => table.get(k) !== reference.get(k));
    expect(wrong).toEqual([]);
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

describe('reserve and the sampled filter', () => {
  it('keeps every entry when growing ahead', () => {
    const ints = new IntTable();
    const texts = new TextTable(fnv1a, true);
    for (let k = 0; k < 100; k++) {
      ints.set(k * 7919, k);
      texts.set(`value-${k}`, k);
    }
    ints.reserve(100_000);
    texts.reserve(100_000);
    for (let k = 0; k < 100; k++) {
      expect(ints.get(k * 7919)).toBe(k);
      expect(texts.get(`value-${k}`)).toBe(k);
    }
    expect(ints.size).toBe(100);
  });

  it('never turns away a key, in any ASCII case, and turns away most others', () => {
    const table = new TextTable(fnv1a, true);
    const keys = Array.from({ length: 2000 }, (_, k) => `${k.toString(16).padStart(8, '0')}aabbccddeeff00112233445566778899`);
    keys.forEach((key, k) => table.set(key, k));
    for (const key of keys) {
      expect(table.mightContain(key)).toBe(true);
      expect(table.mightContain(key.toUpperCase())).toBe(true);
    }
    let passed = 0;
    for (let k = 0; k < 10_000; k++) if (table.mightContain(`${(k + 1_000_000).toString(16).padStart(8, '0')}ffeeddccbbaa99887766554433221100`)) passed++;
    expect(passed).toBeLessThan(1000);
    expect(new TextTable().mightContain('anything')).toBe(true);
  });
});

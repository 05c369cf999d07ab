import { describe, expect, it } from 'vitest';
import { array, count, finite, nullable, object, ShapeError, text, tuple } from './json-shape.js';

const shape = object<{ name: string; n: number; list: [string, number][]; inner: { x: number } | null }>({
  name: text(5),
  n: count,
  list: array(tuple<[string, number]>(text(10), finite), { maxLength: 3 }),
  inner: nullable(object<{ x: number }>({ x: finite })),
});

describe('json-shape', () => {
  it('returns a copy without unknown fields', () => {
    const value = { name: 'a', n: 2, list: [['k', 1.5]], inner: null, extra: true };
    expect(shape(value)).toEqual({ name: 'a', n: 2, list: [['k', 1.5]], inner: null });
  });

  it.each([
    ['not an object', 5, '(root)', 'expected an object, got 5'],
    ['missing field', { name: 'a', list: [], inner: null }, 'n', 'required'],
    ['negative count', { name: 'a', n: -1, list: [], inner: null }, 'n', 'expected a count (an integer ≥ 0), got -1'],
    ['long string', { name: 'abcdef', n: 1, list: [], inner: null }, 'name', 'expected at most 5 characters, got 6'],
    ['deep NaN', { name: 'a', n: 1, list: [['k', 1], ['j', Number.NaN]], inner: null }, 'list.1.1', 'expected a finite number, got NaN'],
    ['too many items', { name: 'a', n: 1, list: [['a', 1], ['b', 1], ['c', 1], ['d', 1]], inner: null }, 'list', 'expected at most 3 items, got 4'],
    ['short tuple', { name: 'a', n: 1, list: [['a']], inner: null }, 'list.0', 'expected 2 items, got an array of 1'],
    ['nested object', { name: 'a', n: 1, list: [], inner: { x: 'y' } }, 'inner.x', 'expected a finite number, got a string'],
  ])('%s: names the problem and where it is', (_name, value, path, problem) => {
    try {
      shape(value);
      expect.fail('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ShapeError);
      expect({ path: (error as ShapeError).path, problem: (error as ShapeError).problem }).toEqual({ path, problem });
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { CorrelationCondition, CorrelationSpec } from '../contract.js';
import { percentileOfSorted, thresholdHolds, thresholdOf } from './condition.js';
import { canonicalFieldValue, groupKey, numericFieldValue } from './field-value.js';

function spec(type: CorrelationSpec['type'], condition: CorrelationCondition, rules = ['a', 'b', 'c']): CorrelationSpec {
  return {
    id: 'x',
    name: null,
    title: 'x',
    level: null,
    tags: [],
    type,
    rules,
    groupBy: [],
    timespanMs: 1000,
    condition,
    aliases: {},
    generate: false,
    location: { file: 'x.yml', line: 1 },
  };
}

describe('thresholds', () => {
  it.each([
    { condition: { gte: 3 }, holds: [3, 4], fails: [2] },
    { condition: { gt: 3 }, holds: [4], fails: [3] },
    { condition: { lt: 3 }, holds: [2], fails: [3] },
    { condition: { lte: 3 }, holds: [3], fails: [4] },
    { condition: { eq: 3 }, holds: [3], fails: [2, 4] },
    { condition: { neq: 3 }, holds: [2, 4], fails: [3] },
    { condition: { gt: 100, lte: 200 }, holds: [101, 200], fails: [100, 201] },
    { condition: { gt: 0.5 }, holds: [0.51], fails: [0.5] },
  ])('$condition', ({ condition, holds, fails }) => {
    const t = thresholdOf(spec('event_count', condition));
    for (const x of holds) expect(thresholdHolds(t, x)).toBe(true);
    for (const x of fails) expect(thresholdHolds(t, x)).toBe(false);
  });

  it.each([
    { type: 'temporal', gte: 3 },
    { type: 'temporal_ordered', gte: 3 },
    { type: 'event_count', gte: 1 },
  ] as const)('defaults $type to gte $gte', ({ type, gte }) => {
    expect(thresholdOf(spec(type, {})).gte).toBe(gte);
  });
});

describe('percentileOfSorted', () => {
  it.each([
    { values: [], p: 50, expected: undefined },
    { values: [7], p: 90, expected: 7 },
    { values: [1, 2, 3, 4], p: 50, expected: 2.5 },
    { values: [1, 2, 3, 4, 5], p: 50, expected: 3 },
    { values: [0, 10], p: 90, expected: 9 },
  ])('p$p of $values is $expected', ({ values, p, expected }) => {
    expect(percentileOfSorted(values, p)).toBe(expected);
  });
});

describe('field values', () => {
  it.each([
    { value: 'alice', expected: 'alice' },
    { value: '', expected: '' },
    { value: 42, expected: '42' },
    { value: false, expected: 'false' },
    { value: undefined, expected: undefined },
    { value: null, expected: undefined },
    { value: [], expected: undefined },
    { value: ['only'], expected: 'only' },
    { value: ['a', 'b'], expected: '["a","b"]' },
    { value: { a: 1 }, expected: '{"a":1}' },
  ])('canonical $value → $expected', ({ value, expected }) => {
    expect(canonicalFieldValue(value)).toBe(expected);
  });

  it.each([
    { value: 12, expected: 12 },
    { value: '12.5', expected: 12.5 },
    { value: [3], expected: 3 },
    { value: '', expected: undefined },
    { value: ' 1', expected: undefined },
    { value: 'abc', expected: undefined },
    { value: Number.NaN, expected: undefined },
    { value: Infinity, expected: undefined },
    { value: true, expected: undefined },
    { value: null, expected: undefined },
  ])('numeric $value → $expected', ({ value, expected }) => {
    expect(numericFieldValue(value)).toBe(expected);
  });

  it('keys several values without collisions', () => {
    expect(groupKey(['a', 'bc'])).not.toBe(groupKey(['ab', 'c']));
    expect(groupKey(['x'])).toBe('x');
  });
});

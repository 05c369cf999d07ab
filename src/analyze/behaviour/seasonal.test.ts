import { describe, expect, it } from 'vitest';
import { createBaseline, isJudged, learnCount, localDay, rateLimit, slotOf } from './seasonal.js';

const vietnam = 420 * 60_000;

describe('slots', () => {
  it.each([
    ['Monday 09:00 local', '2026-03-02T02:00:00Z', 9],
    ['Monday 00:00 local is still Sunday in UTC', '2026-03-01T17:00:00Z', 0],
    ['Sunday 23:59 local', '2026-03-01T16:59:00Z', 24 + 23],
    ['Saturday 10:30 local', '2026-03-07T03:30:00Z', 24 + 10],
    ['Friday 16:00 local', '2026-03-06T09:00:00Z', 16],
  ])('%s', (_name, time, slot) => {
    expect(slotOf(Date.parse(time), vietnam)).toBe(slot);
  });

  it('counts local days', () => {
    expect(localDay(Date.parse('2026-03-01T16:59:59Z'), vietnam) + 1).toBe(localDay(Date.parse('2026-03-01T17:00:00Z'), vietnam));
  });
});

describe('baseline', () => {
  const rule = { rateSigmas: 5, rateMinRatio: 3, rateMinCount: 100 };

  it('is judged only after enough distinct days, then by mean, spread and the absolute minimum', () => {
    const baseline = createBaseline();
    const day = localDay(Date.parse('2026-03-02T02:00:00Z'), vietnam);
    for (let d = 0; d < 2; d++) for (let i = 0; i < 12; i++) learnCount(baseline, 9, day + d, 140 + (i % 3) * 10, 0.02);
    expect(isJudged(baseline, 9, 3)).toBe(false);
    for (let i = 0; i < 12; i++) learnCount(baseline, 9, day + 2, 140 + (i % 3) * 10, 0.02);
    expect(isJudged(baseline, 9, 3)).toBe(true);
    expect(baseline.mean[9]).toBeCloseTo(150, 5);
    // Three times the mean dominates a regular slot; the absolute minimum dominates a quiet one.
    expect(rateLimit(baseline, 9, rule)).toBeCloseTo(450, 5);
    for (let i = 0; i < 36; i++) learnCount(baseline, 3, day + Math.floor(i / 12), i % 4, 0.02);
    expect(rateLimit(baseline, 3, rule)).toBe(100);
  });
});

import { describe, expect, it } from 'vitest';
import { type DecayPolicy, decayPolicyProblems, defaultDecayPolicy, effectiveConfidence, isAboveFloor, matchableUntil } from './decay.js';

const DAY = 86_400_000;
const lastSeen = '2026-01-01T00:00:00.000Z';
const t0 = Date.parse(lastSeen);

describe('effectiveConfidence', () => {
  it('halves every half-life after lastSeen, per type', () => {
    expect(effectiveConfidence({ type: 'ipv4', confidence: 80, lastSeen }, t0)).toBe(80);
    expect(effectiveConfidence({ type: 'ipv4', confidence: 80, lastSeen }, t0 + 30 * DAY)).toBeCloseTo(40, 10);
    expect(effectiveConfidence({ type: 'ipv4', confidence: 80, lastSeen }, t0 + 60 * DAY)).toBeCloseTo(20, 10);
    expect(effectiveConfidence({ type: 'domain', confidence: 80, lastSeen }, t0 + 90 * DAY)).toBeCloseTo(40, 10);
    expect(effectiveConfidence({ type: 'url', confidence: 80, lastSeen }, t0 + 60 * DAY)).toBeCloseTo(40, 10);
  });

  it('does not decay hashes, nor before lastSeen; clamps junk confidence', () => {
    expect(effectiveConfidence({ type: 'sha256', confidence: 70, lastSeen }, t0 + 3650 * DAY)).toBe(70);
    expect(effectiveConfidence({ type: 'ipv4', confidence: 70, lastSeen }, t0 - 10 * DAY)).toBe(70);
    expect(effectiveConfidence({ type: 'ipv4', confidence: 170, lastSeen }, t0)).toBe(100);
    expect(effectiveConfidence({ type: 'ipv4', confidence: Number.NaN, lastSeen }, t0)).toBe(0);
    expect(effectiveConfidence({ type: 'ipv4', confidence: 50, lastSeen: 'not a date' }, t0 + 365 * DAY)).toBe(50);
  });
});

describe('matchableUntil and the floor', () => {
  it('is the instant the effective confidence reaches the floor', () => {
    const indicator = { type: 'ipv4' as const, confidence: 60, lastSeen };
    // 60 → 15 is two half-lives
    expect(matchableUntil(indicator)).toBeCloseTo(t0 + 60 * DAY, -1);
    expect(isAboveFloor(indicator, t0 + 60 * DAY - 1000)).toBe(true);
    expect(isAboveFloor(indicator, t0 + 60 * DAY + 1000)).toBe(false);
    expect(effectiveConfidence(indicator, matchableUntil(indicator))).toBeCloseTo(defaultDecayPolicy.floor, 9);
  });

  it('is infinite for what never decays and −infinite below the floor from the start', () => {
    expect(matchableUntil({ type: 'md5', confidence: 50, lastSeen })).toBe(Infinity);
    expect(matchableUntil({ type: 'md5', confidence: 10, lastSeen })).toBe(-Infinity);
    expect(matchableUntil({ type: 'ipv4', confidence: 10, lastSeen })).toBe(-Infinity);
    expect(matchableUntil({ type: 'ipv4', confidence: 0, lastSeen }, { ...defaultDecayPolicy, floor: 0 })).toBe(Infinity);
  });

  it('follows a configured policy', () => {
    const policy: DecayPolicy = { halfLifeDays: { ...defaultDecayPolicy.halfLifeDays, ipv4: 1 }, floor: 50 };
    expect(matchableUntil({ type: 'ipv4', confidence: 100, lastSeen }, policy)).toBe(t0 + DAY);
    expect(isAboveFloor({ type: 'domain', confidence: 49, lastSeen }, t0, policy)).toBe(false);
  });

  it('reports every problem of a bad policy', () => {
    expect(decayPolicyProblems(defaultDecayPolicy)).toEqual([]);
    expect(decayPolicyProblems({ halfLifeDays: { ...defaultDecayPolicy.halfLifeDays, ipv4: 0, url: Number.NaN }, floor: 120 })).toEqual([
      'floor 120 is not between 0 and 100',
      'half-life of ipv4 (0 days) is not a positive number of days or null',
      'half-life of url (NaN days) is not a positive number of days or null',
    ]);
  });
});

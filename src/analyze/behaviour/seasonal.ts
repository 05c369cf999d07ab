/**
 * @module analyze/behaviour/seasonal
 * A service's usual traffic with daily and weekly seasonality. Each bucket belongs to one of 48
 * slots: its local hour of day, on a weekday or at the weekend (Vietnamese portals peak 8–11h and
 * 14–16h on working days and are quiet at night and on Saturday and Sunday). Per slot the bucket
 * counts feed an exponentially weighted mean and variance (West 1979 incremental form): plain
 * averages for the first 1/alpha observations, then a memory of about 1/alpha observations, so the
 * baseline follows slow growth. The judged spread is floored by the Poisson spread √mean and by 1,
 * so that a very regular slot is not judged on a spread of zero, and a slot is only judged once it
 * was learned on `baselineMinDays` distinct local days. The 5xx share is learned the same way per
 * slot from buckets with enough requests for a share to mean something, with a service-wide share
 * for slots that have too few of them.
 */

export const slotsPerWeek = 48;
/** Buckets with fewer requests teach nothing about the 5xx share. */
export const minRequestsForShare = 10;
/** Busy buckets a slot needs before its own 5xx share is used. */
const minShareObservations = 3;

const dayMs = 86_400_000;
const hourMs = 3_600_000;

export interface SlotBaseline {
  n: number[];
  mean: number[];
  variance: number[];
  /** Distinct local days the slot was learned on, and the last of them. */
  days: number[];
  lastDay: number[];
  errN: number[];
  errMean: number[];
  allErrN: number;
  allErrMean: number;
}

export function createBaseline(): SlotBaseline {
  const filled = (value: number): number[] => Array.from({ length: slotsPerWeek }, () => value);
  return { n: filled(0), mean: filled(0), variance: filled(0), days: filled(0), lastDay: filled(-1), errN: filled(0), errMean: filled(0), allErrN: 0, allErrMean: -0 };
}

/** Local day number (days since 1970-01-01 local). */
export function localDay(timeMs: number, offsetMs: number): number {
  return Math.floor((timeMs + offsetMs) / dayMs);
}

/** The slot of a local time: hour of day, +24 at the weekend. */
export function slotOf(timeMs: number, offsetMs: number): number {
  const local = timeMs + offsetMs;
  const day = Math.floor(local / dayMs);
  const hour = Math.floor((local - day * dayMs) / hourMs);
  // Day 0, 1970-01-01, was a Thursday: (day + 4) % 7 is 0 on Sunday, 6 on Saturday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6 ? hour + 24 : hour;
}

export function slotHour(slot: number): number {
  return slot % 24;
}

export function isWeekendSlot(slot: number): boolean {
  return slot >= 24;
}

/** Weight of the n-th observation: an average at first, then a fixed memory. */
function weight(n: number, alpha: number): number {
  return Math.max(alpha, 1 / n);
}

/** Learns one bucket's request count in its slot. */
export function learnCount(baseline: SlotBaseline, slot: number, day: number, count: number, alpha: number): void {
  if (baseline.lastDay[slot] !== day) {
    baseline.lastDay[slot] = day;
    baseline.days[slot] = (baseline.days[slot] ?? 0) + 1;
  }
  const n = (baseline.n[slot] ?? 0) + 1;
  const mean = baseline.mean[slot] ?? 0;
  const a = weight(n, alpha);
  const diff = count - mean;
  baseline.n[slot] = n;
  baseline.mean[slot] = mean + a * diff;
  baseline.variance[slot] = (1 - a) * ((baseline.variance[slot] ?? 0) + a * diff * diff);
}

/** Learns one busy bucket's 5xx share, in its slot and service-wide. */
export function learnShare(baseline: SlotBaseline, slot: number, share: number, alpha: number): void {
  const n = (baseline.errN[slot] ?? 0) + 1;
  baseline.errN[slot] = n;
  baseline.errMean[slot] = (baseline.errMean[slot] ?? 0) + weight(n, alpha) * (share - (baseline.errMean[slot] ?? 0));
  baseline.allErrN++;
  baseline.allErrMean += weight(baseline.allErrN, alpha) * (share - baseline.allErrMean);
}

export function isJudged(baseline: SlotBaseline, slot: number, minDays: number): boolean {
  return (baseline.days[slot] ?? 0) >= minDays;
}

/** The spread judged: the learned one, floored by the Poisson spread and by 1. */
export function judgedStd(baseline: SlotBaseline, slot: number): number {
  const mean = baseline.mean[slot] ?? 0;
  return Math.max(Math.sqrt(baseline.variance[slot] ?? 0), Math.sqrt(mean), 1);
}

export interface RateRule {
  rateSigmas: number;
  rateMinRatio: number;
  rateMinCount: number;
}

/** Requests in one bucket above which the slot calls it an anomaly. */
export function rateLimit(baseline: SlotBaseline, slot: number, rule: RateRule): number {
  const mean = baseline.mean[slot] ?? 0;
  return Math.max(mean + rule.rateSigmas * judgedStd(baseline, slot), rule.rateMinRatio * mean, rule.rateMinCount);
}

/** The usual 5xx share of a slot: its own once it has enough busy buckets, else the service's. */
export function usualErrorShare(baseline: SlotBaseline, slot: number): number {
  if ((baseline.errN[slot] ?? 0) >= minShareObservations) return baseline.errMean[slot] ?? 0;
  return baseline.allErrN >= minShareObservations ? baseline.allErrMean : 0;
}

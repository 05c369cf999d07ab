/**
 * @module detect/sigma/correlation/condition
 * A correlation's condition as a threshold test (Sigma correlation rules specification v2.1.0,
 * "Condition"): every criterion given (`gt`, `gte`, `lt`, `lte`, `eq`, `neq`) must hold — the
 * spec's "conjunction AND in the mapping" for ranges.
 *
 * When no criterion is given, pySigma's defaults apply: `gte: <number of rules>` for temporal and
 * temporal_ordered ("all events defined by the rules … must occur"), `gte: 1` otherwise.
 * value_percentile reads `percentile` (1–99); the spec's own example omits it, so it defaults to
 * 50 ("Hint: median is a percentile 50").
 */
import type { CorrelationCondition, CorrelationSpec } from '../contract.js';

export interface Threshold {
  readonly gt: number | undefined;
  readonly gte: number | undefined;
  readonly lt: number | undefined;
  readonly lte: number | undefined;
  readonly eq: number | undefined;
  readonly neq: number | undefined;
}

export const defaultPercentile = 50;

function hasCriterion(c: CorrelationCondition): boolean {
  return c.gt !== undefined || c.gte !== undefined || c.lt !== undefined || c.lte !== undefined || c.eq !== undefined || c.neq !== undefined;
}

/** The threshold a spec's measure is tested against, defaults applied. */
export function thresholdOf(spec: CorrelationSpec): Threshold {
  const c = spec.condition;
  if (!hasCriterion(c)) {
    const temporal = spec.type === 'temporal' || spec.type === 'temporal_ordered';
    return { gt: undefined, gte: temporal ? spec.rules.length : 1, lt: undefined, lte: undefined, eq: undefined, neq: undefined };
  }
  return { gt: c.gt, gte: c.gte, lt: c.lt, lte: c.lte, eq: c.eq, neq: c.neq };
}

/** True when the measure satisfies every criterion of the threshold. */
export function thresholdHolds(t: Threshold, x: number): boolean {
  return (
    (t.gt === undefined || x > t.gt) &&
    (t.gte === undefined || x >= t.gte) &&
    (t.lt === undefined || x < t.lt) &&
    (t.lte === undefined || x <= t.lte) &&
    (t.eq === undefined || x === t.eq) &&
    (t.neq === undefined || x !== t.neq)
  );
}

/**
 * The p-th percentile of ascending values, linearly interpolated between closest ranks (as SQL
 * `PERCENTILE_CONT`, which pySigma's SQL backends emit). Undefined for no values.
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = sorted[lower] ?? 0;
  const b = sorted[upper] ?? a;
  return a + (b - a) * (rank - lower);
}

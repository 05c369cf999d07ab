/**
 * @module analyze/behaviour/service-rate
 * Request rate and 5xx share per service (`url.domain`, else `host.name`) in buckets of event time,
 * against the service's own seasonal baseline (`seasonal.ts`). Two buckets are open at a time, the
 * newest and the one before, so that events late by less than a bucket still count; older ones are
 * ignored. A bucket is learned when event time moves past it, and the empty buckets of a silence
 * are learned as zeros (at most `maxFillBuckets`). A bucket fires as soon as its count crosses the
 * slot's threshold — counts only grow, so waiting for the bucket to close would only delay the
 * alert — and at most once per kind. An anomalous bucket is learned clipped to the threshold (rate)
 * or not at all (5xx share), so that an attack or an outage does not become the norm.
 */
import type { DetectionContext } from './context.js';
import type { ServiceLogins } from './logins.js';
import type { BehaviourOptions } from './options.js';
import { createBaseline, isJudged, isWeekendSlot, judgedStd, learnCount, learnShare, localDay, minRequestsForShare, rateLimit, slotHour, slotOf, usualErrorShare, type SlotBaseline } from './seasonal.js';

const rateFired = 1;
const errorFired = 2;

export interface ServiceState {
  /** First bucket seen: nothing before it is learned. -1 until the first request. */
  first: number;
  /** Newest open bucket (absolute index: time / bucket length). */
  head: number;
  headCount: number;
  headErrors: number;
  headFired: number;
  /** The bucket before `head`, still open for late events. */
  prevCount: number;
  prevErrors: number;
  prevFired: number;
  /** Consecutive requests too old to count: many of them, far behind, mean the newest bucket came from a bad clock. */
  lateRun: number;
  /** Created when the first bucket is learned. */
  baseline: SlotBaseline | null;
  logins: ServiceLogins | null;
}

export function createServiceState(): ServiceState {
  return { first: -1, head: -1, headCount: 0, headErrors: 0, headFired: 0, prevCount: 0, prevErrors: 0, prevFired: 0, lateRun: 0, baseline: null, logins: null };
}

function learnBucket(baseline: SlotBaseline, options: Readonly<BehaviourOptions>, bucket: number, count: number, errors: number, fired: number): void {
  const startMs = bucket * options.bucketSeconds * 1000;
  const offsetMs = options.utcOffsetMinutes * 60_000;
  const slot = slotOf(startMs, offsetMs);
  const learned = isJudged(baseline, slot, options.baselineMinDays) ? Math.min(count, rateLimit(baseline, slot, options)) : count;
  learnCount(baseline, slot, localDay(startMs, offsetMs), learned, options.baselineAlpha);
  if (count >= minRequestsForShare && (fired & errorFired) === 0) learnShare(baseline, slot, errors / count, options.baselineAlpha);
}

/** Moves the newest bucket to `bucket`, learning what closes on the way. */
function advance(state: ServiceState, options: Readonly<BehaviourOptions>, bucket: number): void {
  const baseline = (state.baseline ??= createBaseline());
  if (state.head - 1 >= state.first) learnBucket(baseline, options, state.head - 1, state.prevCount, state.prevErrors, state.prevFired);
  if (bucket === state.head + 1) {
    state.prevCount = state.headCount;
    state.prevErrors = state.headErrors;
    state.prevFired = state.headFired;
  } else {
    learnBucket(baseline, options, state.head, state.headCount, state.headErrors, state.headFired);
    for (let empty = Math.max(state.head + 1, bucket - 1 - options.maxFillBuckets); empty <= bucket - 2; empty++) learnBucket(baseline, options, empty, 0, 0, 0);
    state.prevCount = state.prevErrors = state.prevFired = 0;
  }
  state.head = bucket;
  state.headCount = state.headErrors = state.headFired = 0;
}

/**
 * A service whose newest bucket came from one event with a clock far in the future would ignore
 * every real event after it. When this many requests in a row arrive at least a day behind the
 * newest bucket, the newest is taken for the bad one and the buckets restart at the requests' time.
 */
const lateRunToRestart = 100;
const restartLagMs = 86_400_000;

/** Reopens the buckets at `bucket`, baselines kept. */
function restartAt(state: ServiceState, bucket: number): void {
  state.head = bucket;
  state.first = Math.min(state.first, bucket);
  state.headCount = state.headErrors = state.headFired = 0;
  state.prevCount = state.prevErrors = state.prevFired = 0;
}

/** One web request to the event's service. False when it is too late to count. */
export function observeServiceRequest(state: ServiceState, context: DetectionContext): boolean {
  const { view, options } = context;
  const bucketMs = options.bucketSeconds * 1000;
  const bucket = Math.floor(view.timeMs / bucketMs);
  const error = view.status >= 500 ? 1 : 0;
  if (state.head < 0) state.first = state.head = bucket;
  else if (bucket > state.head) advance(state, options, bucket);
  else if (bucket < state.head - 1 && ++state.lateRun >= lateRunToRestart && (state.head - bucket) * bucketMs >= restartLagMs) restartAt(state, bucket);
  if (bucket >= state.head - 1) state.lateRun = 0;
  if (bucket === state.head) {
    state.headCount++;
    state.headErrors += error;
    state.headFired |= judge(state, context, bucket, state.headCount, state.headErrors, state.headFired);
  } else if (bucket === state.head - 1 && bucket >= state.first) {
    state.prevCount++;
    state.prevErrors += error;
    state.prevFired |= judge(state, context, bucket, state.prevCount, state.prevErrors, state.prevFired);
  } else return false;
  return true;
}

/** The findings a bucket's counts call for now, as flags of what fired. */
function judge(state: ServiceState, context: DetectionContext, bucket: number, count: number, errors: number, fired: number): number {
  const { options } = context;
  const baseline = state.baseline;
  // Cheap guards first: almost every request is below both absolute minimums.
  const rateDue = count >= options.rateMinCount && (fired & rateFired) === 0;
  const errorDue = errors >= options.errorMin5xx && (fired & errorFired) === 0 && context.view.status >= 500;
  if (baseline === null || (!rateDue && !errorDue)) return 0;
  const startMs = bucket * options.bucketSeconds * 1000;
  const slot = slotOf(startMs, options.utcOffsetMinutes * 60_000);
  if (!isJudged(baseline, slot, options.baselineMinDays)) return 0;
  let now = 0;
  if (rateDue) now |= judgeRate(baseline, context, slot, startMs, count);
  if (errorDue) now |= judgeErrors(baseline, context, slot, startMs, count, errors);
  return now;
}

function judgeRate(baseline: SlotBaseline, context: DetectionContext, slot: number, startMs: number, count: number): number {
  const { view, options } = context;
  const limit = rateLimit(baseline, slot, options);
  if (count <= limit) return 0;
  const mean = baseline.mean[slot] ?? 0;
  context.emit({
    kind: 'rate-anomaly',
    subject: `svc:${view.service}`,
    windowStartMs: startMs,
    severity: count >= 10 * Math.max(mean, options.rateMinCount) ? 'high' : 'medium',
    measures: { requests: count, usualMean: mean, usualStd: judgedStd(baseline, slot), threshold: limit, hour: slotHour(slot), weekend: isWeekendSlot(slot) ? 1 : 0, days: baseline.days[slot] ?? 0, bucketMinutes: options.bucketSeconds / 60 },
    fields: { 'url.domain': view.service },
  });
  return rateFired;
}

function judgeErrors(baseline: SlotBaseline, context: DetectionContext, slot: number, startMs: number, count: number, errors: number): number {
  const { view, options } = context;
  const usual = usualErrorShare(baseline, slot);
  const share = errors / count;
  if (share < usual + options.errorShareMargin) return 0;
  context.emit({
    kind: 'error-anomaly',
    subject: `svc:${view.service}`,
    windowStartMs: startMs,
    severity: share >= 0.5 && errors >= 5 * options.errorMin5xx ? 'critical' : 'high',
    measures: { errors, requests: count, errorShare: share, usualShare: usual, threshold: options.errorMin5xx, margin: options.errorShareMargin, hour: slotHour(slot), weekend: isWeekendSlot(slot) ? 1 : 0, bucketMinutes: options.bucketSeconds / 60 },
    fields: { 'url.domain': view.service, ...(view.path !== '' ? { 'url.path': view.path } : {}), 'http.response.status_code': String(view.status) },
  });
  return errorFired;
}

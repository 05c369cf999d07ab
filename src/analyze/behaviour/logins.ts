/**
 * @module analyze/behaviour/logins
 * Failed logins. A failed login is an authentication event with `event.outcome: failure`, or a POST
 * to a login endpoint answered 401/403 (or 200 with `event.outcome: failure`, as SSO forms do). Per
 * source, in a sliding window: many failures against one or a few accounts is a brute force, many
 * distinct failing accounts is credential stuffing. Per service, in a bucket: failures from many
 * sources for many accounts, at a failure ratio far above the service's usual one, is distributed
 * credential stuffing (a botnet trying a leaked list, each source below any per-source threshold).
 * Each source fires at most once per window, each service once per bucket.
 */
import { commonFields, type DetectionContext } from './context.js';
import type { EventView } from './event-view.js';
import { hashText, isLoginPath } from './paths.js';
import { addToCounter, clearRecent, countRecent, counterWindowStart, createCounter, createRecentSet, recentSize, touchRecent, windowSlots, type RecentSet, type SlidingCounter } from './windows.js';

/** What a login event says: nothing, a success, a failure. */
export type LoginOutcome = 0 | 1 | 2;
export const notALogin = 0;
export const loginSucceeded = 1;
export const loginFailed = 2;

export function loginOutcome(view: EventView): LoginOutcome {
  if (view.auth && view.outcome !== '') return view.outcome === 'failure' ? loginFailed : loginSucceeded;
  if (!view.web || view.method !== 'POST' || !isLoginPath(view.path)) return notALogin;
  if (view.status === 401 || view.status === 403 || view.outcome === 'failure') return loginFailed;
  return view.status >= 200 && view.status < 400 ? loginSucceeded : notALogin;
}

/** Per-source state; its parts exist only once the source did something that needs them. */
export interface ClientState {
  failures: SlidingCounter | null;
  failedAccounts: RecentSet | null;
  scanPaths: RecentSet | null;
  /** Time of the last finding of each kind (0: never). */
  bruteForceAt: number;
  stuffingAt: number;
  scanAt: number;
}

export function createClientState(): ClientState {
  // -0 is 0 to every comparison, but makes V8 hold the times as doubles from the start (see windows.ts).
  return { failures: null, failedAccounts: null, scanPaths: null, bruteForceAt: -0, stuffingAt: -0, scanAt: -0 };
}

/** A failed login from the event's source. */
export function observeSourceFailure(client: ClientState, context: DetectionContext): void {
  const { view, options } = context;
  const windowMs = options.loginWindowSeconds * 1000;
  const slotMs = windowMs / windowSlots;
  const failures = (client.failures ??= createCounter());
  if (!addToCounter(failures, slotMs, view.timeMs)) return;
  if (view.user !== '') touchRecent((client.failedAccounts ??= createRecentSet()), hashText(view.user), 0, view.timeMs, windowMs, options.maxValuesPerKey);
  const accounts = client.failedAccounts ? countRecent(client.failedAccounts, view.timeMs, windowMs) : 0;
  const stuffing = accounts >= options.stuffingAccounts;
  if (!stuffing && failures.total < options.bruteForceFailures) return;
  const last = stuffing ? client.stuffingAt : client.bruteForceAt;
  if (last !== 0 && view.timeMs < last + windowMs) return;
  if (stuffing) client.stuffingAt = view.timeMs;
  else client.bruteForceAt = view.timeMs;
  const threshold = stuffing ? options.stuffingAccounts : options.bruteForceFailures;
  const observed = stuffing ? accounts : failures.total;
  context.emit({
    kind: stuffing ? 'credential-stuffing' : 'brute-force',
    subject: `src:${view.ip}`,
    windowStartMs: counterWindowStart(failures, slotMs),
    severity: stuffing || observed >= 5 * threshold ? 'high' : 'medium',
    measures: {
      failures: failures.total,
      accounts,
      accountsCapped: client.failedAccounts?.capped ? 1 : 0,
      threshold,
      windowMinutes: options.loginWindowSeconds / 60,
    },
    fields: commonFields(context),
  });
}

/** Per-service logins of the current bucket and the usual failure ratio. */
export interface ServiceLogins {
  bucket: number;
  attempts: number;
  failures: number;
  sources: RecentSet;
  accounts: RecentSet;
  fired: boolean;
  ratioN: number;
  ratioMean: number;
}

/** Buckets with fewer logins say nothing about the usual failure ratio. */
const minAttemptsForRatio = 10;
const minRatioObservations = 3;
/** Weight of a bucket in the usual failure ratio, after the first 20. */
const ratioAlpha = 0.05;

export function createServiceLogins(bucket: number): ServiceLogins {
  return { bucket, attempts: 0, failures: 0, sources: createRecentSet(), accounts: createRecentSet(), fired: false, ratioN: 0, ratioMean: 0 };
}

function closeLoginBucket(logins: ServiceLogins, bucket: number): void {
  // A bucket under attack is not usual: it does not teach the ratio.
  if (logins.attempts >= minAttemptsForRatio && !logins.fired) {
    logins.ratioN++;
    logins.ratioMean += Math.max(ratioAlpha, 1 / logins.ratioN) * (logins.failures / logins.attempts - logins.ratioMean);
  }
  logins.bucket = bucket;
  logins.attempts = logins.failures = 0;
  logins.fired = false;
  clearRecent(logins.sources);
  clearRecent(logins.accounts);
}

/** A login attempt against the event's service. */
export function observeServiceLogin(logins: ServiceLogins, context: DetectionContext, failed: boolean): void {
  const { view, options } = context;
  const bucketMs = options.bucketSeconds * 1000;
  const bucket = Math.floor(view.timeMs / bucketMs);
  if (bucket < logins.bucket) return;
  if (bucket > logins.bucket) closeLoginBucket(logins, bucket);
  logins.attempts++;
  if (!failed) return;
  logins.failures++;
  // Once the bucket fired, its spread is known: no need to keep counting sources and accounts.
  if (logins.fired) return;
  const cap = options.maxValuesPerKey;
  if (view.ip !== '') touchRecent(logins.sources, hashText(view.ip), 0, view.timeMs, bucketMs, cap);
  if (view.user !== '') touchRecent(logins.accounts, hashText(view.user), 0, view.timeMs, bucketMs, cap);
  if (logins.failures < options.serviceStuffingFailures) return;
  const sources = recentSize(logins.sources);
  const accounts = recentSize(logins.accounts);
  if (sources < options.serviceStuffingSpread || accounts < options.serviceStuffingSpread) return;
  const usual = logins.ratioN >= minRatioObservations ? logins.ratioMean : options.serviceStuffingPriorRatio;
  const ratio = logins.failures / logins.attempts;
  if (ratio < usual + options.serviceStuffingRatioMargin || ratio < 2 * usual) return;
  logins.fired = true;
  context.emit({
    kind: 'credential-stuffing',
    subject: `svc:${view.service}`,
    windowStartMs: bucket * bucketMs,
    severity: 'high',
    measures: { failures: logins.failures, attempts: logins.attempts, sources, accounts, failureRatio: ratio, usualRatio: usual, threshold: options.serviceStuffingFailures, windowMinutes: options.bucketSeconds / 60 },
    fields: { 'url.domain': view.service },
  });
}

/**
 * @module analyze/behaviour/options
 * Every threshold, window and memory bound of the behaviour engine, with its default and the
 * reason for it. Options are checked once, all problems reported together, then frozen: the
 * engine never re-reads them. Defaults are tuned on the generated streams of `streams.ts`
 * (Vietnamese public-service portals) so that weeks of normal traffic give no finding at all.
 */

export interface BehaviourOptions {
  /** Local time zone of the monitored services, minutes east of UTC. Vietnam is UTC+7: 420. Hours of day, weekends and account days are local. */
  utcOffsetMinutes: number;

  /** Sliding window for failed logins per source (brute force, credential stuffing). Default 300 s. */
  loginWindowSeconds: number;
  /** Brute force: failed logins from one source within the login window. Default 20 (a citizen mistypes 1–3 times). */
  bruteForceFailures: number;
  /** Credential stuffing from one source: distinct failing accounts within the login window. Default 10. */
  stuffingAccounts: number;
  /** Distributed stuffing against one service: failures in one bucket. Default 30. */
  serviceStuffingFailures: number;
  /** Distributed stuffing: distinct failing sources and, separately, distinct failing accounts in the bucket. Default 10 each. */
  serviceStuffingSpread: number;
  /** Distributed stuffing: the bucket's failure ratio must exceed the service's usual ratio by this much (and be twice it). Default 0.3. */
  serviceStuffingRatioMargin: number;
  /** Usual failure ratio assumed until a service has 3 buckets with ≥ 10 logins. Default 0.1. */
  serviceStuffingPriorRatio: number;

  /** Enumeration window: slow walks (one request per 20–30 s) must fit in it. Default 3600 s. */
  enumerationWindowSeconds: number;
  /** Enumeration: distinct identifier values served (2xx) to one client for one parameter. Default 50. */
  enumerationDistinct: number;
  /** Enumeration: two numeric values at most this far apart are neighbours (a walk). Default 16. */
  enumerationWalkDistance: number;
  /** Enumeration: share of values with a neighbour needed to call it a walk. Default 0.5 (a citizen's own records are far apart). */
  enumerationWalkShare: number;

  /** Scanning window. Default 60 s. */
  scanWindowSeconds: number;
  /** Scanning: distinct paths answered 400/403/404/405 to one client within the window. Default 30. */
  scanDistinctPaths: number;

  /** Service buckets for request rate and 5xx share. Must divide an hour. Default 300 s. */
  bucketSeconds: number;
  /** Weight of a new observation in the running (EWMA) statistics, after the first 1/alpha ones are averaged. Default 0.02 (about a week of one weekday hour). */
  baselineAlpha: number;
  /** A seasonal slot is judged only once it was learned on this many distinct local days. Default 3. */
  baselineMinDays: number;
  /** Rate anomaly: requests above mean + this many standard deviations of the slot. Default 5. */
  rateSigmas: number;
  /** Rate anomaly: and at least this multiple of the slot mean. Default 3. */
  rateMinRatio: number;
  /** Rate anomaly: and at least this many requests in the bucket. Default 100. */
  rateMinCount: number;
  /** Error anomaly: at least this many 5xx responses in the bucket. Default 20. */
  errorMin5xx: number;
  /** Error anomaly: the bucket's 5xx share above the slot's usual share by this much. Default 0.2. */
  errorShareMargin: number;
  /** Empty buckets learned as zeros after a silence, at most (one week of 5-min buckets). Default 2016. */
  maxFillBuckets: number;

  /** Large response: observations of a (service, path template) before judging. Default 50. */
  largeMinObservations: number;
  /** Large response: z-score in log space. Default 4. */
  largeSigmas: number;
  /** Large response: and at least this many bytes. Default 1 MiB. */
  largeMinBytes: number;
  /** Large response: and at least this multiple of the usual (geometric mean) size. Default 10. */
  largeMinRatio: number;

  /** An account is established (new admin paths and countries fire) once seen succeeding on this many distinct local days. Default 3. */
  accountLearningDays: number;
  /** … and with at least this many successful events. Default 10. */
  accountLearningEvents: number;

  /** Tracked (organisation, source.ip) clients, least recently seen evicted. Default 100,000. */
  maxClients: number;
  /** Tracked (organisation, user.name) accounts. Default 100,000. */
  maxAccounts: number;
  /** Tracked (organisation, service) baselines. Default 2,000. */
  maxServices: number;
  /** Tracked (organisation, service, path template) response-size statistics. Default 20,000. */
  maxResponseTemplates: number;
  /** Tracked (organisation, client, path template, parameter) enumeration walks. Default 50,000. */
  maxEnumerationTrackers: number;
  /** Distinct values kept per key (paths, accounts, identifiers, sources); the oldest goes first. Default 256. */
  maxValuesPerKey: number;
  /** Admin sections remembered per account. Default 64. */
  maxAdminSectionsPerAccount: number;
  /** Countries remembered per account. Default 16. */
  maxCountriesPerAccount: number;
}

export const defaultBehaviourOptions: Readonly<BehaviourOptions> = Object.freeze({
  utcOffsetMinutes: 420,
  loginWindowSeconds: 300,
  bruteForceFailures: 20,
  stuffingAccounts: 10,
  serviceStuffingFailures: 30,
  serviceStuffingSpread: 10,
  serviceStuffingRatioMargin: 0.3,
  serviceStuffingPriorRatio: 0.1,
  enumerationWindowSeconds: 3600,
  enumerationDistinct: 50,
  enumerationWalkDistance: 16,
  enumerationWalkShare: 0.5,
  scanWindowSeconds: 60,
  scanDistinctPaths: 30,
  bucketSeconds: 300,
  baselineAlpha: 0.02,
  baselineMinDays: 3,
  rateSigmas: 5,
  rateMinRatio: 3,
  rateMinCount: 100,
  errorMin5xx: 20,
  errorShareMargin: 0.2,
  maxFillBuckets: 2016,
  largeMinObservations: 50,
  largeSigmas: 4,
  largeMinBytes: 1024 * 1024,
  largeMinRatio: 10,
  accountLearningDays: 3,
  accountLearningEvents: 10,
  maxClients: 100_000,
  maxAccounts: 100_000,
  maxServices: 2_000,
  maxResponseTemplates: 20_000,
  maxEnumerationTrackers: 50_000,
  maxValuesPerKey: 256,
  maxAdminSectionsPerAccount: 64,
  maxCountriesPerAccount: 16,
});

interface Rule {
  min: number;
  max: number;
  integer: boolean;
  /** What the value must be, for the error message. */
  text: string;
}

const range = (min: number, max: number, integer: boolean): Rule => ({ min, max, integer, text: `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]` });
const positiveInteger: Rule = { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, text: 'a positive integer' };
const share: Rule = { min: Number.MIN_VALUE, max: 1, integer: false, text: 'a number in (0, 1]' };
const positive: Rule = { min: Number.MIN_VALUE, max: Number.MAX_VALUE, integer: false, text: 'a positive number' };
const atLeastOne: Rule = { min: 1, max: Number.MAX_VALUE, integer: false, text: 'a number ≥ 1' };
const nonNegative: Rule = { min: 0, max: Number.MAX_VALUE, integer: false, text: 'a number ≥ 0' };
const nonNegativeInteger: Rule = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, text: 'an integer ≥ 0' };

const rules: { [K in keyof BehaviourOptions]: Rule } = {
  // UTC−14:00 … UTC+14:00, the offsets in use.
  utcOffsetMinutes: range(-840, 840, true),
  loginWindowSeconds: positiveInteger,
  bruteForceFailures: positiveInteger,
  stuffingAccounts: positiveInteger,
  serviceStuffingFailures: positiveInteger,
  serviceStuffingSpread: positiveInteger,
  serviceStuffingRatioMargin: share,
  serviceStuffingPriorRatio: share,
  enumerationWindowSeconds: positiveInteger,
  enumerationDistinct: { ...positiveInteger, min: 2, text: 'an integer ≥ 2' },
  enumerationWalkDistance: nonNegative,
  enumerationWalkShare: share,
  scanWindowSeconds: positiveInteger,
  scanDistinctPaths: positiveInteger,
  bucketSeconds: range(1, 3600, true),
  baselineAlpha: share,
  baselineMinDays: positiveInteger,
  rateSigmas: positive,
  rateMinRatio: atLeastOne,
  rateMinCount: positiveInteger,
  errorMin5xx: positiveInteger,
  errorShareMargin: share,
  maxFillBuckets: nonNegativeInteger,
  largeMinObservations: positiveInteger,
  largeSigmas: positive,
  largeMinBytes: nonNegative,
  largeMinRatio: atLeastOne,
  accountLearningDays: positiveInteger,
  accountLearningEvents: nonNegativeInteger,
  maxClients: positiveInteger,
  maxAccounts: positiveInteger,
  maxServices: positiveInteger,
  maxResponseTemplates: positiveInteger,
  maxEnumerationTrackers: positiveInteger,
  maxValuesPerKey: positiveInteger,
  maxAdminSectionsPerAccount: positiveInteger,
  maxCountriesPerAccount: positiveInteger,
};

function problemsOf(options: BehaviourOptions): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(rules) as (keyof BehaviourOptions)[]) {
    const { min, max, integer, text } = rules[name];
    const value: unknown = options[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be ${text}, got ${String(value)}`);
    }
  }
  if (problems.length > 0) return problems;
  // A bucket must never straddle two hours, or it would belong to two seasonal slots.
  if (3600 % options.bucketSeconds !== 0) problems.push(`bucketSeconds must divide 3600, got ${options.bucketSeconds}`);
  // A distinct set capped below its threshold could never reach it.
  for (const name of ['enumerationDistinct', 'scanDistinctPaths', 'stuffingAccounts', 'serviceStuffingSpread'] as const) {
    if (options[name] > options.maxValuesPerKey) problems.push(`${name} (${options[name]}) exceeds maxValuesPerKey (${options.maxValuesPerKey})`);
  }
  return problems;
}

/** The defaults with `overrides` applied, checked, frozen. Throws one Error naming every problem. */
export function resolveBehaviourOptions(overrides: Partial<BehaviourOptions> = {}): Readonly<BehaviourOptions> {
  const options: BehaviourOptions = { ...defaultBehaviourOptions };
  for (const name of Object.keys(rules) as (keyof BehaviourOptions)[]) {
    const value = overrides[name];
    if (value !== undefined) options[name] = value;
  }
  const problems = problemsOf(options);
  if (problems.length > 0) throw new Error(`Invalid behaviour options: ${problems.join('; ')}`);
  return Object.freeze(options);
}

/**
 * @module analyze/behaviour/snapshot
 * The engine's state as plain JSON: baselines, account habits, open windows and counters, each
 * map's entries in insertion order with their use clocks, so eviction continues in the same order. A snapshot also
 * records the options that shape the state (bucket and window lengths, time zone): restoring it
 * under other ones would misread every window, so that is refused. Thresholds and bounds may
 * change freely between snapshot and restore. Restore checks everything (`json-shape.ts`) and names
 * the first problem with its path in the snapshot.
 */
import type { AccountState } from './accounts.js';
import type { BoundedMapData } from './bounded-map.js';
import type { EnumerationTracker } from './enumeration.js';
import { array, boolean, count, finite, integer, literal, nullable, object, ShapeError, text, tuple, type Check } from './json-shape.js';
import type { SizeStats } from './large-response.js';
import type { ClientState, ServiceLogins } from './logins.js';
import type { BehaviourOptions } from './options.js';
import { slotsPerWeek, type SlotBaseline } from './seasonal.js';
import type { ServiceState } from './service-rate.js';
import { windowSlots, type RecentSet, type SlidingCounter } from './windows.js';

export const snapshotVersion = 1;

/** The options a snapshot's state depends on. */
export interface SnapshotLayout {
  bucketSeconds: number;
  utcOffsetMinutes: number;
  loginWindowSeconds: number;
  scanWindowSeconds: number;
  enumerationWindowSeconds: number;
  windowSlots: number;
}

export interface BehaviourCounters {
  /** Events observed. */
  received: number;
  /** Findings returned. */
  emitted: number;
  /** Events not used, by reason: unusable (no organisation, no time, not web or authentication), late (too old for the service buckets; still used elsewhere). */
  dropped: { unusable: number; late: number };
  /** Events on which the engine failed internally (skipped, never thrown). */
  failed: number;
  /** Keys forgotten to stay within bounds, by map. */
  evicted: { clients: number; accounts: number; services: number; responseSizes: number; enumeration: number };
}

export interface BehaviourSnapshot {
  version: typeof snapshotVersion;
  layout: SnapshotLayout;
  counters: BehaviourCounters;
  clients: BoundedMapData<ClientState>;
  accounts: BoundedMapData<AccountState>;
  services: BoundedMapData<ServiceState>;
  responseSizes: BoundedMapData<SizeStats>;
  enumeration: BoundedMapData<EnumerationTracker>;
}

export function layoutOf(options: Readonly<BehaviourOptions>): SnapshotLayout {
  return {
    bucketSeconds: options.bucketSeconds,
    utcOffsetMinutes: options.utcOffsetMinutes,
    loginWindowSeconds: options.loginWindowSeconds,
    scanWindowSeconds: options.scanWindowSeconds,
    enumerationWindowSeconds: options.enumerationWindowSeconds,
    windowSlots,
  };
}

/** Bounds a hostile snapshot cannot exceed, whatever the options. */
const maxEntries = 10_000_000;
const maxValues = 100_000;
const maxKeyLength = 4096;

const counterShape: Check<SlidingCounter> = object<SlidingCounter>({ head: integer, total: finite, slots: array(finite, { length: windowSlots }) });

const recentSetShape: Check<RecentSet> = object<RecentSet>({
  // (group, value, time) triples.
  entries: array(finite, { maxLength: 3 * maxValues, multipleOf: 3 }),
  newest: finite,
  oldest: finite,
  capped: boolean,
});

const clientShape = object<ClientState>({
  failures: nullable(counterShape),
  failedAccounts: nullable(recentSetShape),
  scanPaths: nullable(recentSetShape),
  bruteForceAt: finite,
  stuffingAt: finite,
  scanAt: finite,
});

const slotArray = array(finite, { length: slotsPerWeek });
const baselineShape = object<SlotBaseline>({
  n: slotArray,
  mean: slotArray,
  variance: slotArray,
  days: slotArray,
  lastDay: slotArray,
  errN: slotArray,
  errMean: slotArray,
  allErrN: count,
  allErrMean: finite,
});

const loginsShape = object<ServiceLogins>({
  bucket: integer,
  attempts: count,
  failures: count,
  sources: recentSetShape,
  accounts: recentSetShape,
  fired: boolean,
  ratioN: count,
  ratioMean: finite,
});

const serviceShape = object<ServiceState>({
  first: integer,
  head: integer,
  headCount: count,
  headErrors: count,
  headFired: count,
  prevCount: count,
  prevErrors: count,
  prevFired: count,
  lateRun: count,
  baseline: nullable(baselineShape),
  logins: nullable(loginsShape),
});

const sizeShape = object<SizeStats>({ n: count, mean: finite, variance: finite, firedBucket: integer });

const trackerShape = object<EnumerationTracker>({ values: recentSetShape, firedAt: finite });

const accountShape = object<AccountState>({
  days: count,
  lastDay: integer,
  events: count,
  adminSections: array(finite, { maxLength: maxValues }),
  countries: array(text(8), { maxLength: maxValues }),
  capped: boolean,
});

function entries<V>(value: Check<V>): Check<BoundedMapData<V>> {
  const key = text(maxKeyLength);
  return object<BoundedMapData<V>>({ clock: count, entries: array(tuple<[string, string, number, number, V]>(key, key, count, count, value), { maxLength: maxEntries }) });
}

const snapshotShape = object<BehaviourSnapshot>({
  version: literal(snapshotVersion),
  layout: object<SnapshotLayout>({ bucketSeconds: finite, utcOffsetMinutes: finite, loginWindowSeconds: finite, scanWindowSeconds: finite, enumerationWindowSeconds: finite, windowSlots: finite }),
  counters: object<BehaviourCounters>({
    received: count,
    emitted: count,
    dropped: object<BehaviourCounters['dropped']>({ unusable: count, late: count }),
    failed: count,
    evicted: object<BehaviourCounters['evicted']>({ clients: count, accounts: count, services: count, responseSizes: count, enumeration: count }),
  }),
  clients: entries(clientShape),
  accounts: entries(accountShape),
  services: entries(serviceShape),
  responseSizes: entries(sizeShape),
  enumeration: entries(trackerShape),
});

export class BehaviourSnapshotError extends Error {
  constructor(detail: string) {
    super(`Invalid behaviour snapshot: ${detail}`);
    this.name = 'BehaviourSnapshotError';
  }
}

/** The snapshot in `value`, checked against the layout of `options`; throws BehaviourSnapshotError. */
export function parseSnapshot(value: unknown, options: Readonly<BehaviourOptions>): BehaviourSnapshot {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BehaviourSnapshotError(`expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  const version = (value as { version?: unknown }).version;
  if (version !== snapshotVersion) throw new BehaviourSnapshotError(`unknown version ${JSON.stringify(version) ?? 'undefined'}; this engine reads version ${snapshotVersion}`);
  let parsed: BehaviourSnapshot;
  try {
    parsed = snapshotShape(value);
  } catch (error) {
    if (error instanceof ShapeError) throw new BehaviourSnapshotError(`${error.path}: ${error.problem}`);
    throw error;
  }
  const expected = layoutOf(options);
  for (const name of Object.keys(expected) as (keyof SnapshotLayout)[]) {
    if (parsed.layout[name] !== expected[name]) {
      throw new BehaviourSnapshotError(`it was taken with ${name} = ${parsed.layout[name]}, these options have ${expected[name]}; its windows and baselines would be misread`);
    }
  }
  return parsed;
}

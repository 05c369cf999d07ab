/**
 * @module analyze/behaviour/memory
 * An estimate of the heap the engine's state holds, for `stats().approxBytes`, modelled on V8 on
 * 64 bits without pointer compression (Node's default): 24-byte object headers and 8 bytes per
 * field, a 16-byte box for a field holding a non-integer or large number (times in ms, means), an
 * array as a 32-byte object plus a 16-byte store of 8 bytes per slot — exact for fixed-size and
 * one-element arrays, grown by half again plus 16 by `push` — and per key a `Map` entry, the
 * eviction queue's slot and the key string. Checked against measured heap growth in
 * `memory.test.ts`; an estimate, not an account.
 */
import type { AccountState } from './accounts.js';
import type { EnumerationTracker } from './enumeration.js';
import type { SizeStats } from './large-response.js';
import type { ClientState, ServiceLogins } from './logins.js';
import type { ServiceState } from './service-rate.js';
import type { RecentSet, SlidingCounter } from './windows.js';

const objectBytes = (fields: number, boxed = 0): number => 24 + 8 * fields + 16 * boxed;
const fixedArrayBytes = (length: number): number => 48 + 8 * length;
/** An array that starts as a literal of `literal` elements and then grows by `push` (V8: to 1.5 × length + 16). */
function pushedArrayBytes(length: number, literal = 1): number {
  return length <= literal ? fixedArrayBytes(length) : fixedArrayBytes(Math.ceil(length * 1.25) + 8);
}
const boxedIf = (value: number): number => (Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : 1);

/** A key's share of the maps and queue, its slot and its string (the scope's strings are shared by its keys). */
export function keyBytes(key: string): number {
  const mapEntry = 40;
  const queueEntry = 12;
  const slot = objectBytes(6);
  const string = 16 + Math.ceil(key.length / 8) * 8;
  return mapEntry + queueEntry + slot + string;
}

function counterBytes(counter: SlidingCounter | null): number {
  return counter === null ? 0 : objectBytes(3) + fixedArrayBytes(counter.slots.length);
}

function recentSetBytes(set: RecentSet | null): number {
  return set === null ? 0 : objectBytes(4, 2) + pushedArrayBytes(set.entries.length, 3);
}

export function clientBytes(client: ClientState): number {
  const boxed = boxedIf(client.bruteForceAt) + boxedIf(client.stuffingAt) + boxedIf(client.scanAt);
  return objectBytes(6, boxed) + counterBytes(client.failures) + recentSetBytes(client.failedAccounts) + recentSetBytes(client.scanPaths);
}

function loginsBytes(logins: ServiceLogins | null): number {
  return logins === null ? 0 : objectBytes(8, 1) + recentSetBytes(logins.sources) + recentSetBytes(logins.accounts);
}

export function serviceBytes(service: ServiceState): number {
  const baseline = service.baseline === null ? 0 : objectBytes(9, 1) + 7 * fixedArrayBytes(service.baseline.n.length);
  return objectBytes(10) + baseline + loginsBytes(service.logins);
}

export function accountBytes(account: AccountState): number {
  return objectBytes(6) + pushedArrayBytes(account.adminSections.length) + pushedArrayBytes(account.countries.length) + 24 * account.countries.length;
}

export function sizeStatsBytes(stats: SizeStats): number {
  return objectBytes(4, 2 + boxedIf(stats.firedBucket));
}

export function trackerBytes(tracker: EnumerationTracker): number {
  return objectBytes(2, boxedIf(tracker.firedAt)) + recentSetBytes(tracker.values);
}

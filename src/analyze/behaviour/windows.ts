/**
 * @module analyze/behaviour/windows
 * Bounded memory over sliding windows of event time. A `SlidingCounter` counts events in a fixed
 * ring of sub-buckets (ten per window: the count is exact to a tenth of the window, whatever the
 * rate). A `RecentSet` holds distinct values with the time each was last seen, in one flat array of
 * numbers (one allocation, unboxed), at most `cap` of them: expired values leave first, then the least recently seen, and `capped` records that a value
 * was ever pushed out (the distinct count is then a lower bound). Both are plain JSON data, so a
 * snapshot is a copy. Late events count when their sub-bucket is still in the window; older ones
 * are ignored.
 */

/** Sub-buckets per sliding window. */
export const windowSlots = 10;

export interface SlidingCounter {
  /** Absolute index (time / slot length) of the newest sub-bucket. */
  head: number;
  total: number;
  slots: number[];
}

/** Copied, not built: `new Array(n).fill(0)` makes a holey array, slower to create and to use. */
const emptySlots: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

export function createCounter(): SlidingCounter {
  return { head: 0, total: 0, slots: emptySlots.slice() };
}

/** Adds `amount` at `timeMs`; false when the time is older than the window. */
export function addToCounter(counter: SlidingCounter, slotMs: number, timeMs: number, amount = 1): boolean {
  const index = Math.floor(timeMs / slotMs);
  const slots = counter.slots;
  if (index > counter.head) {
    if (index - counter.head >= windowSlots) {
      // All slots are zero when the total is (counts are never negative).
      if (counter.total !== 0) for (let i = 0; i < windowSlots; i++) slots[i] = 0;
      counter.total = 0;
    } else {
      for (let i = counter.head + 1; i <= index; i++) {
        const at = i % windowSlots;
        counter.total -= slots[at] ?? 0;
        slots[at] = 0;
      }
    }
    counter.head = index;
  } else if (index <= counter.head - windowSlots) return false;
  const at = index % windowSlots;
  slots[at] = (slots[at] ?? 0) + amount;
  counter.total += amount;
  return true;
}

/** Start (ms) of the oldest sub-bucket still counted. */
export function counterWindowStart(counter: SlidingCounter, slotMs: number): number {
  return (counter.head - windowSlots + 1) * slotMs;
}

/** Numbers per value in `RecentSet.entries`: group, value, time last seen. */
const stride = 3;

export interface RecentSet {
  /** Group, value and time last seen of each value, flat: one array, unboxed doubles. */
  entries: number[];
  /** Newest time seen: the window ends there. */
  newest: number;
  /** Oldest time held (a lower bound): pruning is skipped while nothing can have expired. */
  oldest: number;
  capped: boolean;
}

export function createRecentSet(): RecentSet {
  // -0, not 0: these fields hold times in ms, beyond small integers; starting them as a double
  // spares V8 changing the field's representation (and every object's shape) on the first write.
  return { entries: [], newest: -0, oldest: -0, capped: false };
}

/** Distinct values held. */
export function recentSize(set: RecentSet): number {
  return set.entries.length / stride;
}

function removeAt(set: RecentSet, at: number): void {
  const entries = set.entries;
  const last = entries.length - stride;
  // Order carries no meaning: the last value fills the hole.
  entries[at] = entries[last] as number;
  entries[at + 1] = entries[last + 1] as number;
  entries[at + 2] = entries[last + 2] as number;
  entries.length = last;
}

/** Drops values last seen before `cutoff`. */
function prune(set: RecentSet, cutoff: number): void {
  if (set.oldest >= cutoff) return;
  let oldest = Number.MAX_SAFE_INTEGER;
  for (let at = set.entries.length - stride; at >= 0; at -= stride) {
    const time = set.entries[at + 2] as number;
    if (time < cutoff) removeAt(set, at);
    else if (time < oldest) oldest = time;
  }
  // Values moved by removeAt come from the end, already visited: none is missed.
  set.oldest = set.entries.length === 0 ? set.newest : oldest;
}

function evictLeastRecent(set: RecentSet): void {
  const entries = set.entries;
  let least = 0;
  for (let at = stride; at < entries.length; at += stride) if ((entries[at + 2] as number) < (entries[least + 2] as number)) least = at;
  removeAt(set, least);
  set.capped = true;
}

/**
 * Records `(group, value)` seen at `timeMs` in a window of `windowMs`, at most `cap` values.
 * Returns true when the value is new to the window. A time older than the window is ignored.
 */
export function touchRecent(set: RecentSet, group: number, value: number, timeMs: number, windowMs: number, cap: number): boolean {
  if (timeMs > set.newest) set.newest = timeMs;
  const cutoff = set.newest - windowMs;
  if (timeMs < cutoff) return false;
  prune(set, cutoff);
  const entries = set.entries;
  for (let at = 0; at < entries.length; at += stride) {
    if (entries[at + 1] === value && entries[at] === group) {
      if (timeMs > (entries[at + 2] as number)) entries[at + 2] = timeMs;
      return false;
    }
  }
  while (entries.length >= cap * stride) evictLeastRecent(set);
  if (entries.length === 0) {
    // Most sets never hold more than one value: a literal of exactly one, not push's 17-slot growth.
    set.entries = [group, value, timeMs];
    set.oldest = timeMs;
    return true;
  }
  entries.push(group, value, timeMs);
  if (timeMs < set.oldest) set.oldest = timeMs;
  return true;
}

/** Distinct values seen within `windowMs` before `nowMs` (or the newest time seen, if later). */
export function countRecent(set: RecentSet, nowMs: number, windowMs: number): number {
  prune(set, Math.max(set.newest, nowMs) - windowMs);
  return recentSize(set);
}

/** Forgets every value (a tumbling bucket starts again). */
export function clearRecent(set: RecentSet): void {
  set.entries.length = 0;
  set.capped = false;
}

/**
 * Share of values that are walkable (≥ 0) and have another value of the same group at most
 * `distance` away: high for a walk over neighbouring record numbers, near zero for unrelated
 * look-ups.
 */
export function walkShare(set: RecentSet, distance: number): number {
  const entries = set.entries;
  const walkable: number[] = [];
  for (let at = 0; at < entries.length; at += stride) if ((entries[at + 1] as number) >= 0) walkable.push(at);
  if (walkable.length < 2) return 0;
  walkable.sort((a, b) => (entries[a] as number) - (entries[b] as number) || (entries[a + 1] as number) - (entries[b + 1] as number));
  const close = (a: number, b: number | undefined): boolean => b !== undefined && entries[a] === entries[b] && Math.abs((entries[a + 1] as number) - (entries[b + 1] as number)) <= distance;
  let near = 0;
  for (let k = 0; k < walkable.length; k++) {
    const at = walkable[k] as number;
    if (close(at, walkable[k - 1]) || close(at, walkable[k + 1])) near++;
  }
  return near / recentSize(set);
}

/** Smallest and largest walkable value, for a finding's measures (-1 when there is none). */
export function walkRange(set: RecentSet): { lowest: number; highest: number } {
  let lowest = Number.MAX_SAFE_INTEGER;
  let highest = -1;
  for (let at = 1; at < set.entries.length; at += stride) {
    const value = set.entries[at] as number;
    if (value < 0) continue;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  return highest < 0 ? { lowest: -1, highest: -1 } : { lowest, highest };
}

/** The values held, for tests and inspection. */
export function recentValues(set: RecentSet): number[] {
  const values: number[] = [];
  for (let at = 1; at < set.entries.length; at += stride) values.push(set.entries[at] as number);
  return values;
}

/**
 * @module intel/hash-tables
 * Open-addressing hash tables in typed arrays for the matcher's exact lookups: int32 → int32 (IPv4
 * addresses) and string → int32 (canonical values). Measured on a million-indicator store, a
 * JavaScript `Map` lookup of a number, or of a freshly parsed event string (whose hash V8 has not
 * cached yet), costs several times a probe of these tables: the Map follows a bucket to a chain
 * of entries elsewhere in memory; here a key and its value share one cell of one array. The
 * string table also looks up a *range* of a string by a hash the caller computed, which is how
 * the matcher walks a domain's parents without slicing a new string for each (`fnv1aReverse`).
 *
 * Nearly every lookup misses (an event's values are almost never indicators), so each table has
 * a small Bloom filter in front (`BitFilter`): a miss usually costs one read of a word of it,
 * which is a sixteenth the size of the table and stays in cache. Deleting
 * leaves its bit set (a stale bit only costs a probe); the bits are rebuilt when the table grows
 * or when as many entries were deleted as remain.
 *
 * Linear probing at a load of at most one half; deletion shifts the following entries back
 * (Knuth, TAOCP vol. 3, §6.4 Algorithm R), so there are no tombstones and a table that churns
 * (feeds adding and expiring indicators all day) never degrades.
 */

/** Marks an empty cell; stored values must be other int32 values. */
const EMPTY = -0x80000000;
const MIN_CAPACITY = 16;

/** Spreads the bits of a 32-bit hash (the finaliser of MurmurHash3): picks the table cell. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second hash for the filter, independent of `mix` (a product's bits, Fibonacci hashing). */
function filterHash(hash: number): number {
  return Math.imul(hash ^ (hash >>> 15), 0x9e3779b1);
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * FNV-1a over the code units of `text` from the last to the first. Reading a name backwards, the
 * running value at each `.` is the hash of the suffix after it, so one pass over `a.b.evil.vn`
 * yields the hashes of `vn`, `evil.vn`, `b.evil.vn` and the whole name.
 */
export function fnv1aReverse(text: string): number {
  let h = FNV_OFFSET;
  for (let i = text.length - 1; i >= 0; i--) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** One step of `fnv1a`/`fnv1aReverse`, for callers that hash as they scan. */
export function fnv1aStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}
export const fnv1aOffset = FNV_OFFSET;

/**
 * A cheap 32-bit hash of a long string from its length and a dozen code units spread over it,
 * ASCII case folded (`| 0x20`), so that an upper-case hash from an event is tested before it is
 * lower-cased. Hashing every character of a 120-character user-agent or a 64-digit SHA-256 on
 * every event costs more than the rest of matching it; this looks at twelve, and with the
 * sampled filter decides nearly every miss.
 */
export function sampledHash(text: string): number {
  const length = text.length;
  let h = Math.imul(length ^ FNV_OFFSET, FNV_PRIME);
  if (length <= 12) {
    for (let i = 0; i < length; i++) h = Math.imul(h ^ (text.charCodeAt(i) | 0x20), FNV_PRIME);
  } else {
    const step = (length - 1) / 11;
    for (let k = 0; k < 12; k++) h = Math.imul(h ^ (text.charCodeAt((k * step) | 0) | 0x20), FNV_PRIME);
  }
  return h;
}

/**
 * A blocked Bloom filter (Putze, Sanders, Singler, "Cache-, hash- and space-efficient Bloom
 * filters", 2007): four bits per table cell, so 8–16 per entry, and each entry sets two bits of
 * one 32-bit word, so a test reads one word. About 2–6% of misses pass. Small on purpose: on a
 * busy machine everything beyond the core's L2 cache costs a hundred nanoseconds and more per
 * read, and the filters of the tables an event touches must stay within it.
 */
class BitFilter {
  words: Int32Array;
  shift: number;
  deleted = 0;

  constructor(capacity: number) {
    const wordCount = Math.max(1, capacity / 8);
    this.words = new Int32Array(wordCount);
    this.shift = 32 - Math.log2(wordCount);
  }

  private static mask(h: number): number {
    return (1 << (h & 31)) | (1 << ((h >>> 5) & 31));
  }

  add(hash: number): void {
    const h = filterHash(hash);
    const word = this.shift === 32 ? 0 : h >>> this.shift;
    this.words[word] = (this.words[word] as number) | BitFilter.mask(h);
  }

  has(hash: number): boolean {
    const h = filterHash(hash);
    const mask = BitFilter.mask(h);
    return ((this.words[this.shift === 32 ? 0 : h >>> this.shift] as number) & mask) === mask;
  }
}

/** int32 → int32. Cells are `[key, value]` pairs in one array. */
export class IntTable {
  private cells = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;
  private filter = new BitFilter(MIN_CAPACITY);

  get size(): number {
    return this.count;
  }

  /** Grows at once to hold `count` entries (a load from the store knows how many are coming). */
  reserve(count: number): void {
    let capacity = this.mask + 1;
    while (count * 2 > capacity) capacity *= 2;
    if (capacity > this.mask + 1) this.rebuild(capacity);
  }

  get(key: number): number | undefined {
    if (!this.filter.has(key)) return undefined;
    const { cells, mask } = this;
    for (let i = mix(key) & mask; ; i = (i + 1) & mask) {
      const value = cells[2 * i + 1] as number;
      if (value === EMPTY) return undefined;
      if (cells[2 * i] === key) return value;
    }
  }

  set(key: number, value: number): void {
    if (value === EMPTY) throw new RangeError('intel/hash-tables: value out of range');
    const { cells, mask } = this;
    let i = mix(key) & mask;
    for (; cells[2 * i + 1] !== EMPTY; i = (i + 1) & mask) {
      if (cells[2 * i] === key) {
        cells[2 * i + 1] = value;
        return;
      }
    }
    cells[2 * i] = key;
    cells[2 * i + 1] = value;
    this.filter.add(key);
    if (++this.count * 2 > mask + 1) this.rebuild((mask + 1) * 2);
  }

  delete(key: number): boolean {
    const { cells, mask } = this;
    let i = mix(key) & mask;
    for (; ; i = (i + 1) & mask) {
      if (cells[2 * i + 1] === EMPTY) return false;
      if (cells[2 * i] === key) break;
    }
    // Algorithm R: move back every later entry of the run whose home is not between the hole and it.
    for (let j = (i + 1) & mask; cells[2 * j + 1] !== EMPTY; j = (j + 1) & mask) {
      const home = mix(cells[2 * j] as number) & mask;
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      cells[2 * i] = cells[2 * j] as number;
      cells[2 * i + 1] = cells[2 * j + 1] as number;
      i = j;
    }
    cells[2 * i + 1] = EMPTY;
    this.count--;
    if (++this.filter.deleted > this.count) this.rebuild(mask + 1);
    return true;
  }

  clear(): void {
    this.cells = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
    this.filter = new BitFilter(MIN_CAPACITY);
  }

  private rebuild(capacity: number): void {
    const old = this.cells;
    this.cells = new Int32Array(2 * capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.filter = new BitFilter(capacity);
    for (let c = 0; c < old.length; c += 2) {
      const value = old[c + 1] as number;
      if (value === EMPTY) continue;
      const key = old[c] as number;
      let j = mix(key) & this.mask;
      while (this.cells[2 * j + 1] !== EMPTY) j = (j + 1) & this.mask;
      this.cells[2 * j] = key;
      this.cells[2 * j + 1] = value;
      this.filter.add(key);
    }
  }
}

/**
 * string → int32, hashed with `hash` (`fnv1a`, or `fnv1aReverse` for domains so that suffixes can
 * be looked up by a hash computed while scanning, with `getRange`). Cells are `[hash, value]`
 * pairs; the key strings, compared only when the hash matches, are in a parallel array. With
 * `sampled`, `get` (and `mightContain`) decide by `sampledHash` whether to hash the whole string
 * at all (for long strings that nearly always miss: user-agents, file hashes).
 */
export class TextTable {
  private cells = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
  private keys: (string | undefined)[] = new Array<string | undefined>(MIN_CAPACITY).fill(undefined);
  private mask = MIN_CAPACITY - 1;
  private count = 0;
  private filter = new BitFilter(MIN_CAPACITY);
  private sampledFilter: BitFilter | null;

  constructor(
    private readonly hash: (text: string) => number = fnv1a,
    sampled = false,
  ) {
    this.sampledFilter = sampled ? new BitFilter(MIN_CAPACITY) : null;
  }

  get size(): number {
    return this.count;
  }

  /** Grows at once to hold `count` entries (a load from the store knows how many are coming). */
  reserve(count: number): void {
    let capacity = this.mask + 1;
    while (count * 2 > capacity) capacity *= 2;
    if (capacity > this.mask + 1) this.rebuild(capacity);
  }

  get(text: string): number | undefined {
    if (!this.mightContain(text)) return undefined;
    return this.getRange(this.hash(text), text, 0, text.length);
  }

  /**
   * False when `text` (in any ASCII case) is certainly not a key; true when it may be. Always
   * true without the sampled filter.
   */
  mightContain(text: string): boolean {
    return this.sampledFilter === null || this.sampledFilter.has(sampledHash(text));
  }

  /** The value of `text.slice(start, end)`, whose hash (by this table's function) is `hash`. */
  getRange(hash: number, text: string, start: number, end: number): number | undefined {
    if (!this.filter.has(hash)) return undefined;
    const { cells, keys, mask } = this;
    const length = end - start;
    for (let i = mix(hash) & mask; ; i = (i + 1) & mask) {
      const value = cells[2 * i + 1] as number;
      if (value === EMPTY) return undefined;
      if (cells[2 * i] === hash) {
        const key = keys[i] as string;
        if (key.length === length && text.startsWith(key, start)) return value;
      }
    }
  }

  set(text: string, value: number): void {
    if (value === EMPTY) throw new RangeError('intel/hash-tables: value out of range');
    const hash = this.hash(text);
    const { cells, keys, mask } = this;
    let i = mix(hash) & mask;
    for (; cells[2 * i + 1] !== EMPTY; i = (i + 1) & mask) {
      if (cells[2 * i] === hash && keys[i] === text) {
        cells[2 * i + 1] = value;
        return;
      }
    }
    cells[2 * i] = hash;
    cells[2 * i + 1] = value;
    keys[i] = text;
    this.filter.add(hash);
    this.sampledFilter?.add(sampledHash(text));
    if (++this.count * 2 > mask + 1) this.rebuild((mask + 1) * 2);
  }

  delete(text: string): boolean {
    const hash = this.hash(text);
    const { cells, keys, mask } = this;
    let i = mix(hash) & mask;
    for (; ; i = (i + 1) & mask) {
      if (cells[2 * i + 1] === EMPTY) return false;
      if (cells[2 * i] === hash && keys[i] === text) break;
    }
    for (let j = (i + 1) & mask; cells[2 * j + 1] !== EMPTY; j = (j + 1) & mask) {
      const home = mix(cells[2 * j] as number) & mask;
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      cells[2 * i] = cells[2 * j] as number;
      cells[2 * i + 1] = cells[2 * j + 1] as number;
      keys[i] = keys[j];
      i = j;
    }
    cells[2 * i + 1] = EMPTY;
    keys[i] = undefined;
    this.count--;
    if (++this.filter.deleted > this.count) this.rebuild(mask + 1);
    return true;
  }

  clear(): void {
    this.cells = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
    this.keys = new Array<string | undefined>(MIN_CAPACITY).fill(undefined);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
    this.filter = new BitFilter(MIN_CAPACITY);
    if (this.sampledFilter !== null) this.sampledFilter = new BitFilter(MIN_CAPACITY);
  }

  private rebuild(capacity: number): void {
    const old = this.cells;
    const oldKeys = this.keys;
    this.cells = new Int32Array(2 * capacity).fill(EMPTY);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.filter = new BitFilter(capacity);
    if (this.sampledFilter !== null) this.sampledFilter = new BitFilter(capacity);
    for (let c = 0; c < old.length; c += 2) {
      const value = old[c + 1] as number;
      if (value === EMPTY) continue;
      const hash = old[c] as number;
      const key = oldKeys[c / 2] as string;
      let j = mix(hash) & this.mask;
      while (this.cells[2 * j + 1] !== EMPTY) j = (j + 1) & this.mask;
      this.cells[2 * j] = hash;
      this.cells[2 * j + 1] = value;
      this.keys[j] = key;
      this.filter.add(hash);
      this.sampledFilter?.add(sampledHash(key));
    }
  }
}

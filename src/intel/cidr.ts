/**
 * @module intel/cidr
 * Longest-prefix (and all-covering-prefixes) lookup of IPv4 and IPv6 addresses among CIDR ranges:
 * binary tries over the address bits, nodes in typed arrays (no object per node, nothing for the
 * garbage collector to trace), each prefix carrying one int32 payload (the matcher's indicator slot
 * or group, the warning lists' list number).
 *
 * Why a trie and not one hash table of masked addresses per prefix length: the tables cost one
 * probe per prefix length present — feeds use most lengths from /8 to /32, so 15–25 probes per
 * address, each a likely cache miss — while the trie costs one array read per bit actually
 * shared with some range, and with the block summaries below usually none. `bench/intel.ts`
 * measures both on 45,000 ranges over 17 lengths: 20–30 ns per address for the trie, about 135
 * with per-length int tables (intel/hash-tables), about 600 with per-length `Map`s.
 * The IPv4 trie also keeps a summary per /16 block (see `Ipv4PrefixTrie`) that decides most
 * addresses with one or two reads and no walk.
 *
 * Updates are incremental: adding or removing a range touches only its path, its block's summary
 * and its /20 counters (a range shorter than /16: the counters of the blocks it covers), and
 * removal prunes the nodes left without payload or children, so the trie never needs a rebuild.
 */

/** Payload value meaning "no range ends here"; callers' payloads must be other int32 values. */
const NONE = -0x80000000;

/**
 * Binary trie nodes, three int32 per node in one array so that a node is one cache line read:
 * `[3n]` and `[3n + 1]` the children for bit 0 and 1 (0: none; the root, node 0, is nobody's
 * child), `[3n + 2]` the payload.
 */
class TrieNodes {
  cells = TrieNodes.fresh(1024);
  /** Nodes in use or freed (the next fresh node); freed ones are reused first. */
  private high = 1;
  private readonly freed: number[] = [];

  private static fresh(capacity: number): Int32Array {
    const cells = new Int32Array(3 * capacity);
    for (let n = 0; n < capacity; n++) cells[3 * n + 2] = NONE;
    return cells;
  }

  allocate(): number {
    const reused = this.freed.pop();
    if (reused !== undefined) return reused;
    if (3 * this.high === this.cells.length) {
      const cells = TrieNodes.fresh((2 * this.cells.length) / 3);
      cells.set(this.cells);
      this.cells = cells;
    }
    return this.high++;
  }

  release(node: number): void {
    this.cells[3 * node] = 0;
    this.cells[3 * node + 1] = 0;
    this.cells[3 * node + 2] = NONE;
    this.freed.push(node);
  }

  /** Nodes currently part of the trie (for memory accounting and tests). */
  get nodeCount(): number {
    return this.high - this.freed.length;
  }

  clear(): void {
    this.cells = TrieNodes.fresh(1024);
    this.high = 1;
    this.freed.length = 0;
  }
}

/** Bits of a /16 block's low half that a range of length `len` (16–32) fixes. */
function lowMask(len: number): number {
  return (0xffff << (32 - len)) & 0xffff;
}

const bitSet = (bits: Int32Array, index: number): boolean => ((bits[index >>> 5] as number) & (1 << (index & 31))) !== 0;
function setBit(bits: Int32Array, index: number, on: boolean): void {
  const word = bits[index >>> 5] as number;
  bits[index >>> 5] = on ? word | (1 << (index & 31)) : word & ~(1 << (index & 31));
}

/**
 * IPv4 ranges (addresses as int32, see intel/ip) → int32 payload.
 *
 * Besides the trie, a summary per /16 block decides most lookups without walking it: feeds' ranges
 * are scattered, so most blocks hold none, and most of the rest exactly one range of /16 or longer.
 * Per block: whether anything is there (a bit, 8 KiB for all), whether a range shorter than /16
 * covers it (a bit; then the walk starts at the root), and a word pair: 0 when no range of /16 or
 * longer is inside; the one such range inline (`~(netLow << 5 | len − 16)` and its payload); or,
 * for two or more, the trie node at depth 16 to walk from. Between the two, a bit per /20 (128
 * KiB) says whether any range of /16 or longer touches it. On the bench's million indicators
 * (45,000 IPv4 ranges) random public addresses pass the /16 bit half the time, the /20 bit one
 * time in twenty, and reach trie nodes one time in thirty; the bits together stay in a core's L2
 * cache, where the word pairs and nodes do not.
 */
export class Ipv4PrefixTrie {
  private readonly nodes = new TrieNodes();
  private blocks = new Int32Array(2 * 65536);
  /** Ranges of length ≥ 16 inside each block, and ranges shorter than 16 covering it (counts). */
  private deep = new Int32Array(65536);
  private short = new Int32Array(65536);
  private occupied = new Int32Array(65536 / 32);
  private shortCovered = new Int32Array(65536 / 32);
  /**
   * Finer: per /20, how many ranges of /16 or longer intersect it (a count, for removals) and a
   * bit (128 KiB, so it stays in cache). A block holding a range or two has it in one or two of
   * its sixteen /20s, so most addresses of occupied blocks stop here too.
   */
  private deep20 = new Uint16Array(1 << 20);
  private occupied20 = new Int32Array((1 << 20) / 32);
  private readonly path = new Int32Array(33);
  private prefixes = 0;

  get size(): number {
    return this.prefixes;
  }

  get nodeCount(): number {
    return this.nodes.nodeCount;
  }

  /** Sets the payload of `net/len` (host bits of `net` are ignored). Returns the previous one. */
  set(net: number, len: number, payload: number): number | undefined {
    const masked = len === 0 ? 0 : net & (-1 << (32 - len));
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      const slot = 3 * node + ((masked >>> (31 - depth)) & 1);
      let next = this.nodes.cells[slot] as number;
      if (next === 0) {
        next = this.nodes.allocate(); // may grow (replace) the array: read it afresh
        this.nodes.cells[slot] = next;
      }
      node = next;
    }
    const previous = this.nodes.cells[3 * node + 2] as number;
    this.nodes.cells[3 * node + 2] = payload;
    const block = masked >>> 16;
    if (previous !== NONE) {
      if (len >= 16 && (this.blocks[2 * block] as number) < 0) this.blocks[2 * block + 1] = payload;
      return previous;
    }
    this.prefixes++;
    if (len < 16) this.coverBlocks(masked, len, 1);
    else {
      this.deep[block] = (this.deep[block] as number) + 1;
      this.count20(masked, len, 1);
      this.summarise(block, masked, len, payload);
    }
    return undefined;
  }

  get(net: number, len: number): number | undefined {
    const node = this.find(net, len);
    if (node < 0) return undefined;
    const payload = this.nodes.cells[3 * node + 2] as number;
    return payload === NONE ? undefined : payload;
  }

  /** Removes `net/len`; returns its payload, or undefined when it was not there. */
  delete(net: number, len: number): number | undefined {
    const { path } = this;
    const masked = len === 0 ? 0 : net & (-1 << (32 - len));
    let node = 0;
    path[0] = 0;
    for (let depth = 0; depth < len; depth++) {
      node = this.nodes.cells[3 * node + ((masked >>> (31 - depth)) & 1)] as number;
      if (node === 0) return undefined;
      path[depth + 1] = node;
    }
    const payload = this.nodes.cells[3 * node + 2] as number;
    if (payload === NONE) return undefined;
    this.nodes.cells[3 * node + 2] = NONE;
    this.prefixes--;
    // Prune the now-useless tail of the path.
    for (let depth = len; depth > 0; depth--) {
      const current = path[depth] as number;
      if (this.nodes.cells[3 * current + 2] !== NONE || this.nodes.cells[3 * current] !== 0 || this.nodes.cells[3 * current + 1] !== 0) break;
      this.nodes.cells[3 * (path[depth - 1] as number) + ((masked >>> (32 - depth)) & 1)] = 0;
      this.nodes.release(current);
    }
    if (len < 16) this.coverBlocks(masked, len, -1);
    else {
      const block = masked >>> 16;
      this.deep[block] = (this.deep[block] as number) - 1;
      this.count20(masked, len, -1);
      this.summarise(block, 0, 0, NONE);
    }
    return payload;
  }

  /**
   * Writes into `out` the payloads of every range containing `addr`, shortest first, and returns
   * how many (at most 33, so `out` needs 33 entries). Allocates nothing.
   */
  collect(addr: number, out: Int32Array): number {
    const block = addr >>> 16;
    if (!bitSet(this.occupied, block)) return 0;
    let node: number;
    let depth: number;
    if (bitSet(this.shortCovered, block)) {
      node = 0;
      depth = 0;
    } else {
      if (!bitSet(this.occupied20, addr >>> 12)) return 0;
      const summary = this.blocks[2 * block] as number;
      if (summary < 0) {
        // one range inline
        const encoded = ~summary;
        if ((addr & lowMask(16 + (encoded & 31))) !== encoded >>> 5) return 0;
        out[0] = this.blocks[2 * block + 1] as number;
        return 1;
      }
      node = summary;
      depth = 16;
    }
    const cells = this.nodes.cells;
    let found = 0;
    for (;;) {
      const value = cells[3 * node + 2] as number;
      if (value !== NONE) out[found++] = value;
      if (depth === 32) return found;
      node = cells[3 * node + ((addr >>> (31 - depth)) & 1)] as number;
      if (node === 0) return found;
      depth++;
    }
  }

  /** Payload of the longest range containing `addr` among those no longer than `maxLen`. */
  longest(addr: number, maxLen = 32): number | undefined {
    const cells = this.nodes.cells;
    let node = 0;
    let best = NONE;
    for (let depth = 0; ; depth++) {
      const value = cells[3 * node + 2] as number;
      if (value !== NONE) best = value;
      if (depth === maxLen) break;
      node = cells[3 * node + ((addr >>> (31 - depth)) & 1)] as number;
      if (node === 0) break;
    }
    return best === NONE ? undefined : best;
  }

  clear(): void {
    this.nodes.clear();
    this.blocks = new Int32Array(2 * 65536);
    this.deep = new Int32Array(65536);
    this.short = new Int32Array(65536);
    this.occupied = new Int32Array(65536 / 32);
    this.shortCovered = new Int32Array(65536 / 32);
    this.deep20 = new Uint16Array(1 << 20);
    this.occupied20 = new Int32Array((1 << 20) / 32);
    this.prefixes = 0;
  }

  private find(net: number, len: number): number {
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      node = this.nodes.cells[3 * node + ((net >>> (31 - depth)) & 1)] as number;
      if (node === 0) return -1;
    }
    return node;
  }

  private coverBlocks(net: number, len: number, delta: number): void {
    const first = (net >>> 16) & ~((1 << (16 - len)) - 1);
    const count = 1 << (16 - len);
    for (let block = first; block < first + count; block++) {
      const covered = (this.short[block] as number) + delta;
      this.short[block] = covered;
      setBit(this.shortCovered, block, covered > 0);
      setBit(this.occupied, block, covered > 0 || this.deep[block] !== 0);
    }
  }

  /** Counts a range of /16 or longer in (or out of) the /20s it intersects. */
  private count20(net: number, len: number, delta: number): void {
    const span = len >= 20 ? 1 : 1 << (20 - len);
    const first = (net >>> 12) & ~(span - 1);
    for (let unit = first; unit < first + span; unit++) {
      const count = (this.deep20[unit] as number) + delta;
      this.deep20[unit] = count;
      setBit(this.occupied20, unit, count > 0);
    }
  }

  /**
   * Rewrites a block's summary after its ranges of /16 and longer changed. With one left, that
   * range (the one just added, or the only path left under the depth-16 node) goes inline.
   */
  private summarise(block: number, addedNet: number, addedLen: number, addedPayload: number): void {
    const deep = this.deep[block] as number;
    setBit(this.occupied, block, deep > 0 || this.short[block] !== 0);
    if (deep === 0) {
      this.blocks[2 * block] = 0;
      this.blocks[2 * block + 1] = 0;
      return;
    }
    // the node at depth 16
    let node = 0;
    for (let depth = 0; depth < 16; depth++) {
      node = this.nodes.cells[3 * node + ((block >>> (15 - depth)) & 1)] as number;
      if (node === 0) break;
    }
    if (deep > 1) {
      this.blocks[2 * block] = node;
      this.blocks[2 * block + 1] = 0;
      return;
    }
    let net = addedNet;
    let len = addedLen;
    let payload = addedPayload;
    if (payload === NONE) {
      // Follow the single path down to the one range left.
      net = block << 16;
      len = 16;
      const cells = this.nodes.cells;
      while (cells[3 * node + 2] === NONE) {
        const zero = cells[3 * node] as number;
        const bit = zero !== 0 ? 0 : 1;
        node = bit === 0 ? zero : (cells[3 * node + 1] as number);
        if (bit === 1) net |= 1 << (31 - len);
        len++;
      }
      payload = cells[3 * node + 2] as number;
    }
    this.blocks[2 * block] = ~(((net & 0xffff) << 5) | (len - 16));
    this.blocks[2 * block + 1] = payload;
  }
}

/** Bit `index` (0 = most significant) of an IPv6 address held as four int32 words. */
function bitOf(words: Int32Array, index: number): number {
  return ((words[index >>> 5] as number) >>> (31 - (index & 31))) & 1;
}

/**
 * IPv6 ranges → int32 payload. No block shortcut: IPv6 traffic and ranges are a small share of
 * what the centre sees, and the trie is sparse enough that a walk ends after a few nodes.
 */
export class Ipv6PrefixTrie {
  private readonly nodes = new TrieNodes();
  private readonly path = new Int32Array(129);
  private prefixes = 0;

  get size(): number {
    return this.prefixes;
  }

  get nodeCount(): number {
    return this.nodes.nodeCount;
  }

  set(words: Int32Array, len: number, payload: number): number | undefined {
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      const slot = 3 * node + bitOf(words, depth);
      let next = this.nodes.cells[slot] as number;
      if (next === 0) {
        next = this.nodes.allocate();
        this.nodes.cells[slot] = next;
      }
      node = next;
    }
    const previous = this.nodes.cells[3 * node + 2] as number;
    this.nodes.cells[3 * node + 2] = payload;
    if (previous !== NONE) return previous;
    this.prefixes++;
    return undefined;
  }

  get(words: Int32Array, len: number): number | undefined {
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      node = this.nodes.cells[3 * node + bitOf(words, depth)] as number;
      if (node === 0) return undefined;
    }
    const payload = this.nodes.cells[3 * node + 2] as number;
    return payload === NONE ? undefined : payload;
  }

  delete(words: Int32Array, len: number): number | undefined {
    const { path } = this;
    let node = 0;
    path[0] = 0;
    for (let depth = 0; depth < len; depth++) {
      node = this.nodes.cells[3 * node + bitOf(words, depth)] as number;
      if (node === 0) return undefined;
      path[depth + 1] = node;
    }
    const payload = this.nodes.cells[3 * node + 2] as number;
    if (payload === NONE) return undefined;
    this.nodes.cells[3 * node + 2] = NONE;
    this.prefixes--;
    for (let depth = len; depth > 0; depth--) {
      const current = path[depth] as number;
      if (this.nodes.cells[3 * current + 2] !== NONE || this.nodes.cells[3 * current] !== 0 || this.nodes.cells[3 * current + 1] !== 0) break;
      this.nodes.cells[3 * (path[depth - 1] as number) + bitOf(words, depth - 1)] = 0;
      this.nodes.release(current);
    }
    return payload;
  }

  /** As `Ipv4PrefixTrie.collect`; `out` needs 129 entries. */
  collect(words: Int32Array, out: Int32Array): number {
    const cells = this.nodes.cells;
    let node = 0;
    let found = 0;
    for (let depth = 0; ; depth++) {
      const value = cells[3 * node + 2] as number;
      if (value !== NONE) out[found++] = value;
      if (depth === 128) return found;
      node = cells[3 * node + bitOf(words, depth)] as number;
      if (node === 0) return found;
    }
  }

  longest(words: Int32Array, maxLen = 128): number | undefined {
    const cells = this.nodes.cells;
    let node = 0;
    let best = NONE;
    for (let depth = 0; ; depth++) {
      const value = cells[3 * node + 2] as number;
      if (value !== NONE) best = value;
      if (depth === maxLen) break;
      node = cells[3 * node + bitOf(words, depth)] as number;
      if (node === 0) break;
    }
    return best === NONE ? undefined : best;
  }

  clear(): void {
    this.nodes.clear();
    this.prefixes = 0;
  }
}

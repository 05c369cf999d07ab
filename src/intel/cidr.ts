/**
 * @module intel/cidr
 * Longest-prefix (and all-covering-prefixes) lookup of IPv4 and IPv6 addresses among CIDR ranges:
 * binary tries over the address bits, nodes in typed arrays (no object per node, nothing for the
 * garbage collector to trace), each prefix carrying one int32 payload (the matcher's indicator slot
 * or group, the warning lists' list number).
 *
 * Why a trie and not one hash map of masked addresses per prefix length: the maps cost one hash
 * probe per prefix length present — feeds use most lengths from /8 to /32, so 15–25 probes per
 * address — while the trie costs one array read per bit actually shared with some range, and
 * `bench/intel.ts` measures both (the trie was faster on every run; see its output). The IPv4
 * trie also keeps, per /16 block, the node at depth 16 and how many shorter ranges cover the
 * block: an address under no range shorter than /16 (nearly all of them) starts at depth 16 with
 * one read, and one under no range at all stops there.
 *
 * Updates are incremental: adding or removing a range touches only its path (plus, for a range
 * shorter than /16, its blocks' counters), and removal prunes the nodes left without payload or
 * children, so the trie never needs a rebuild.
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

/** IPv4 ranges (addresses as int32, see intel/ip) → int32 payload. */
export class Ipv4PrefixTrie {
  private readonly nodes = new TrieNodes();
  /**
   * Per /16 block, side by side: `[2b]` the node at depth 16 (0: none), `[2b + 1]` how many
   * ranges shorter than /16 cover the block.
   */
  private blocks = new Int32Array(2 * 65536);
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
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      const slot = 3 * node + ((net >>> (31 - depth)) & 1);
      let next = this.nodes.cells[slot] as number;
      if (next === 0) {
        next = this.nodes.allocate(); // may grow (replace) the arrays: read them afresh
        this.nodes.cells[slot] = next;
        if (depth === 15) this.blocks[2 * (net >>> 16)] = next;
      }
      node = next;
    }
    const previous = this.nodes.cells[3 * node + 2] as number;
    this.nodes.cells[3 * node + 2] = payload;
    if (previous !== NONE) return previous;
    this.prefixes++;
    if (len < 16) this.coverBlocks(net, len, 1);
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
    let node = 0;
    path[0] = 0;
    for (let depth = 0; depth < len; depth++) {
      node = this.nodes.cells[3 * node + ((net >>> (31 - depth)) & 1)] as number;
      if (node === 0) return undefined;
      path[depth + 1] = node;
    }
    const payload = this.nodes.cells[3 * node + 2] as number;
    if (payload === NONE) return undefined;
    this.nodes.cells[3 * node + 2] = NONE;
    this.prefixes--;
    if (len < 16) this.coverBlocks(net, len, -1);
    // Prune the now-useless tail of the path.
    for (let depth = len; depth > 0; depth--) {
      const current = path[depth] as number;
      if (this.nodes.cells[3 * current + 2] !== NONE || this.nodes.cells[3 * current] !== 0 || this.nodes.cells[3 * current + 1] !== 0) break;
      this.nodes.cells[3 * (path[depth - 1] as number) + ((net >>> (32 - depth)) & 1)] = 0;
      this.nodes.release(current);
      if (depth === 16) this.blocks[2 * (net >>> 16)] = 0;
    }
    return payload;
  }

  /**
   * Writes into `out` the payloads of every range containing `addr`, shortest first, and returns
   * how many (at most 33, so `out` needs 33 entries). Allocates nothing.
   */
  collect(addr: number, out: Int32Array): number {
    const cells = this.nodes.cells;
    const block = addr >>> 16;
    let node: number;
    let depth: number;
    if (this.blocks[2 * block + 1] !== 0) {
      node = 0;
      depth = 0;
    } else {
      node = this.blocks[2 * block] as number;
      if (node === 0) return 0;
      depth = 16;
    }
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
    for (let block = first; block < first + count; block++) this.blocks[2 * block + 1] = (this.blocks[2 * block + 1] as number) + delta;
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

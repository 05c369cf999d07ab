/**
 * @module analyze/behaviour/bounded-map
 * A map from (scope, key) — an organisation and a source address, an organisation and a user name
 * — with a capacity, that forgets keys not seen for the longest time first ("second chance", a
 * deterministic approximation of least-recently-used). Two levels, not one concatenated key: the
 * parts arrive as separate strings whose hashes V8 computes once and caches, while a concatenation
 * would be built, flattened and hashed anew for every event — the single largest cost of the hot
 * path. Keys wait in a FIFO queue in insertion order; a use only stamps the key's slot with the use
 * clock, so the hot path never reorders anything. When the map is over capacity, the first key in
 * the queue goes — unless it was used since it entered the queue, in which case it re-enters at
 * the back and the next is considered. So a key is only ever forgotten after a full turn of the
 * queue without a single use. (A `Map`'s own order is not used for this: V8 leaves deleted entries
 * as holes that every new iterator walks over, which makes eviction from its front quadratic.) The
 * queue and the clocks are part of the snapshot: a restored engine evicts exactly as the original
 * would have.
 */

export interface Slot<V> {
  readonly scope: string;
  readonly key: string;
  value: V;
  /** False once the key was forgotten: a caller holding the slot must look the key up again. */
  live: boolean;
  /** Use clock when the key entered the queue, and when it was last used. */
  queued: number;
  used: number;
}

/** A bounded map as plain data: entries in queue order, with their clocks. */
export interface BoundedMapData<V> {
  clock: number;
  entries: [scope: string, key: string, queued: number, used: number, value: V][];
}

/** Queue entries already dequeued are dropped once they are this many and half the array. */
const compactAfter = 1024;

export class BoundedMap<V> {
  private readonly scopes = new Map<string, Map<string, Slot<V>>>();
  private queue: Slot<V>[] = [];
  private head = 0;
  private clock = 0;
  private count = 0;
  /** The scope looked up last, and its keys: events come in runs of one organisation. */
  private lastScope = '';
  private lastKeys: Map<string, Slot<V>> | undefined = undefined;
  /** Keys forgotten to stay within capacity. */
  evicted = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  private keysOf(scope: string): Map<string, Slot<V>> | undefined {
    if (this.lastKeys !== undefined && scope === this.lastScope) return this.lastKeys;
    const keys = this.scopes.get(scope);
    if (keys !== undefined) {
      this.lastScope = scope;
      this.lastKeys = keys;
    }
    return keys;
  }

  /** The value of (scope, key), which counts as used now. */
  touch(scope: string, key: string): V | undefined {
    const slot = this.keysOf(scope)?.get(key);
    if (slot === undefined) return undefined;
    slot.used = ++this.clock;
    return slot.value;
  }

  /** The value of (scope, key), created by `create` when absent; used now either way. */
  obtain(scope: string, key: string, create: () => V): V {
    return this.obtainSlot(scope, key, create).value;
  }

  /** The slot of (scope, key) (see `obtain`), for a caller that will use it again through `use`. */
  obtainSlot(scope: string, key: string, create: () => V): Slot<V> {
    const slot = this.keysOf(scope)?.get(key);
    if (slot !== undefined) {
      slot.used = ++this.clock;
      return slot;
    }
    const now = ++this.clock;
    const created: Slot<V> = { scope, key, value: create(), live: true, queued: now, used: now };
    this.enqueue(created);
    if (this.count > this.capacity) this.evict();
    return created;
  }

  /** Uses a live slot obtained before, exactly as `obtain` of its key would, without looking it up. */
  use(slot: Slot<V>): V {
    slot.used = ++this.clock;
    return slot.value;
  }

  private enqueue(slot: Slot<V>): void {
    let keys = this.keysOf(slot.scope);
    if (keys === undefined) {
      keys = new Map();
      this.scopes.set(slot.scope, keys);
    }
    if (!keys.has(slot.key)) this.count++;
    keys.set(slot.key, slot);
    this.queue.push(slot);
  }

  /** Forgets the first queued key not used since it was queued, giving the used ones a second chance. */
  private evict(): void {
    // Terminates: a re-queued slot has used === queued, so it goes on the next turn at the latest.
    for (;;) {
      const slot = this.queue[this.head++] as Slot<V>;
      if (slot.used > slot.queued) {
        slot.queued = slot.used = ++this.clock;
        this.queue.push(slot);
        continue;
      }
      this.forget(slot);
      break;
    }
    if (this.head >= compactAfter && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private forget(slot: Slot<V>): void {
    const keys = this.scopes.get(slot.scope);
    if (keys !== undefined && keys.get(slot.key) === slot) {
      keys.delete(slot.key);
      this.count--;
      if (keys.size === 0) {
        this.scopes.delete(slot.scope);
        if (this.lastKeys === keys) this.lastKeys = undefined;
      }
    }
    slot.live = false;
    this.evicted++;
  }

  *values(): IterableIterator<V> {
    for (let i = this.head; i < this.queue.length; i++) yield (this.queue[i] as Slot<V>).value;
  }

  /** Entries in queue order: scope, key, value. */
  *entries(): IterableIterator<[string, string, V]> {
    for (let i = this.head; i < this.queue.length; i++) {
      const slot = this.queue[i] as Slot<V>;
      yield [slot.scope, slot.key, slot.value];
    }
  }

  /** The map as data (values shared, not copied). */
  toData(): BoundedMapData<V> {
    const entries: [string, string, number, number, V][] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const slot = this.queue[i] as Slot<V>;
      entries.push([slot.scope, slot.key, slot.queued, slot.used, slot.value]);
    }
    return { clock: this.clock, entries };
  }

  /** A map from `data`; when it holds more than `capacity` entries the first queued go. A repeated key keeps its last entry. */
  static fromData<V>(data: BoundedMapData<V>, capacity: number): BoundedMap<V> {
    const bounded = new BoundedMap<V>(capacity);
    bounded.clock = data.clock;
    const last = new Map<string, number>();
    data.entries.forEach(([scope, key], i) => last.set(JSON.stringify([scope, key]), i));
    data.entries.forEach(([scope, key, queued, used, value], i) => {
      if (last.get(JSON.stringify([scope, key])) !== i) return;
      bounded.enqueue({ scope, key, value, live: true, queued, used });
      if (bounded.count > capacity) bounded.evict();
    });
    return bounded;
  }
}

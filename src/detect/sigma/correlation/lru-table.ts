/**
 * @module detect/sigma/correlation/lru-table
 * A correlation's groups by key, in least-recently-updated order, for the bounded state the
 * engine keeps (evict the least recently updated group; prune expired groups from the old end).
 *
 * The order is an intrusive doubly linked list rather than a `Map`'s insertion order moved by
 * delete-and-set: V8 leaves deleted `Map` entries in place until it rehashes, so reading the
 * oldest entry of a busy map walks over them and costs O(deleted) per event.
 */

export interface LruEntry<T> {
  readonly key: string;
  prev: T | null;
  next: T | null;
}

export class LruTable<T extends LruEntry<T>> {
  private readonly byKey = new Map<string, T>();
  /** Least recently updated. */
  private head: T | null = null;
  /** Most recently updated. */
  private tail: T | null = null;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** The least recently updated entry. */
  oldest(): T | null {
    return this.head;
  }

  /** Adds an entry (whose key is not present) as the most recently updated. */
  add(entry: T): void {
    this.byKey.set(entry.key, entry);
    this.append(entry);
  }

  /** Marks an entry as the most recently updated. */
  touch(entry: T): void {
    if (this.tail === entry) return;
    this.unlink(entry);
    this.append(entry);
  }

  delete(entry: T): void {
    this.byKey.delete(entry.key);
    this.unlink(entry);
  }

  /** Entries from least to most recently updated. */
  *values(): IterableIterator<T> {
    for (let entry = this.head; entry !== null; entry = entry.next) yield entry;
  }

  private append(entry: T): void {
    entry.prev = this.tail;
    entry.next = null;
    if (this.tail === null) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
  }

  private unlink(entry: T): void {
    if (entry.prev === null) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === null) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = null;
    entry.next = null;
  }
}

/**
 * @module detect/atom-prefilter
 * Prefiltering many rules at once. Most rules can only match when one of a few literal strings
 * ("atoms": `mimikatz`, `union select`, `/etc/passwd`) occurs somewhere in the event. All atoms
 * of a rule group go into one Aho–Corasick automaton; one pass over the event's text finds every
 * atom present, and only the rules owning one of them — plus rules without atoms — are evaluated.
 * The cost of a pass depends on the event's length, not on the number of rules, so adding rules
 * costs far less than evaluating each of them.
 *
 * The text is the event's string (and number) leaves, lower-cased, separated by NUL so that an
 * atom never matches across two fields. Atoms are lower-case (CompiledRule.requiredAtoms).
 */

const SEPARATOR = '\u0000';

/** Lower-cased text of every leaf value of an event (keyword searches read them all), NUL-separated. */
export function eventText(event: unknown): string {
  const parts: string[] = [];
  collect(event, parts, 0);
  return parts.join(SEPARATOR).toLowerCase();
}

function collect(value: unknown, parts: string[], depth: number): void {
  if (depth > 16) return;
  if (typeof value === 'string') parts.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') parts.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collect(item, parts, depth + 1);
  else if (value !== null && typeof value === 'object') for (const key in value) collect((value as Record<string, unknown>)[key], parts, depth + 1);
}

/** Aho–Corasick over UTF-16 code units, built once per rule group. */
class AtomAutomaton {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Owners (rule positions) of the atoms ending at each node. */
  private readonly owners: number[][] = [[]];
  /** Nearest node down the fail chain that owns something (-1: none): avoids walking empty links. */
  private outputLink: number[] = [];
  /** Code units that begin some atom: at the root, every other character is skipped at once. */
  private readonly starts = new Uint8Array(65536);
  /**
   * The automaton as a DFA over ASCII: `dense[node * 128 + code]` is the next node with the fail
   * links already followed, so scanning ASCII text (most of an event) is one array read per
   * character. Other code units take the map-and-fail-link path.
   */
  private dense: Int32Array | null = null;

  add(atom: string, owner: number): void {
    this.starts[atom.charCodeAt(0)] = 1;
    let node = 0;
    for (let i = 0; i < atom.length; i++) {
      const code = atom.charCodeAt(i);
      const edges = this.next[node] as Map<number, number>;
      let child = edges.get(code);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.owners.push([]);
        edges.set(code, child);
      }
      node = child;
    }
    (this.owners[node] as number[]).push(owner);
  }

  build(): void {
    const queue: number[] = [];
    for (const child of (this.next[0] as Map<number, number>).values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as number;
      for (const [code, child] of this.next[node] as Map<number, number>) {
        let f = this.fail[node] as number;
        while (f !== 0 && !(this.next[f] as Map<number, number>).has(code)) f = this.fail[f] as number;
        const target = (this.next[f] as Map<number, number>).get(code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    this.outputLink = new Array<number>(this.next.length).fill(-1);
    for (const node of queue) {
      const f = this.fail[node] as number;
      this.outputLink[node] = (this.owners[f] as number[]).length > 0 ? f : (this.outputLink[f] as number);
    }
    // 128 entries per node; beyond ~16M entries (64 MiB) the maps alone are used.
    if (this.next.length * 128 <= 16_777_216) {
      const dense = new Int32Array(this.next.length * 128);
      for (const [code, child] of this.next[0] as Map<number, number>) if (code < 128) dense[code] = child;
      for (const node of queue) {
        const base = node * 128;
        const failBase = (this.fail[node] as number) * 128;
        const edges = this.next[node] as Map<number, number>;
        for (let code = 0; code < 128; code++) dense[base + code] = edges.get(code) ?? (dense[failBase + code] as number);
      }
      this.dense = dense;
    }
  }

  /** Calls `found` with every owner of an atom occurring in `text` (owners may repeat). */
  scan(text: string, found: (owner: number) => void): void {
    let node = 0;
    const starts = this.starts;
    const dense = this.dense;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (node === 0 && starts[code] === 0) continue;
      if (dense !== null && code < 128) {
        node = dense[node * 128 + code] as number;
        for (let out = node; out > 0; out = this.outputLink[out] as number) {
          for (const owner of this.owners[out] as number[]) found(owner);
        }
        continue;
      }
      let target = (this.next[node] as Map<number, number>).get(code);
      while (target === undefined && node !== 0) {
        node = this.fail[node] as number;
        target = (this.next[node] as Map<number, number>).get(code);
      }
      node = target ?? 0;
      for (let out = node; out > 0; out = this.outputLink[out] as number) {
        for (const owner of this.owners[out] as number[]) found(owner);
      }
    }
  }
}

/** A group of items (rules) with their atoms; `select` gives the ones worth evaluating. */
export class AtomPrefilter<T> {
  private readonly always: number[] = [];
  private readonly automaton = new AtomAutomaton();
  private readonly seen: Uint32Array;
  private generation = 0;
  private readonly hasAtoms: boolean;

  constructor(
    private readonly items: readonly T[],
    atomsOf: (item: T) => readonly string[] | null,
  ) {
    let anyAtoms = false;
    items.forEach((item, index) => {
      const atoms = atomsOf(item);
      if (atoms === null || atoms.length === 0 || atoms.some((a) => a.length === 0)) {
        this.always.push(index);
        return;
      }
      anyAtoms = true;
      for (const atom of atoms) this.automaton.add(atom, index);
    });
    this.hasAtoms = anyAtoms;
    this.automaton.build();
    this.seen = new Uint32Array(items.length);
  }

  /** The items that may match an event whose text is `text` (see `eventText`), in their order. */
  select(text: () => string): T[] {
    if (!this.hasAtoms) return this.items as T[];
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const chosen: number[] = [...this.always];
    for (const index of this.always) this.seen[index] = generation;
    this.automaton.scan(text(), (owner) => {
      if (this.seen[owner] !== generation) {
        this.seen[owner] = generation;
        chosen.push(owner);
      }
    });
    chosen.sort((a, b) => a - b);
    return chosen.map((index) => this.items[index] as T);
  }
}

/**
 * @module detect/sigma/matchers
 * One detection item (`field|modifiers: values`, after modifiers) → a closure over the event.
 * Semantics (Sigma rules spec "Lists", "Special Field Values", "Field Existence", "Keywords
 * search"; modifiers appendix): values are OR-ed, AND-ed with `all` (each value may match a
 * different element of an array field); an array field matches when any element does; a rule
 * number matches an equal number or numeric string, a rule string matches a number's text; `null`
 * matches a null or absent field; `exists` only checks presence (null is present); `neq` negates
 * the item (so an absent field is "not equal"); keyword items search every leaf value of the
 * event, as substrings (they "are applied to the full log message").
 */
import type { FieldGetter } from './contract.js';
import { inCidr, parseCidr, parseIp } from './cidr.js';
import { compileRegex } from './modifiers.js';
import type { CompareOp, ItemSpec, LeafValue, TimePart } from './modifiers.js';
import { compileStringTest, numericForm, simpleShape, stringForm } from './values.js';

export type EventTest = (event: unknown, get: FieldGetter) => boolean;

/** A test of one scalar event value `v`, given its string form `s` and folded form `f`. */
type LeafTest = (v: unknown, s: string | null, f: string | null, event: unknown, get: FieldGetter) => boolean;

export function compileItem(spec: ItemSpec): EventTest {
  const test = spec.field === null ? keywordTest(spec) : fieldTest(spec, spec.field);
  return spec.negated ? (e, g) => !test(e, g) : test;
}

function fieldTest(spec: ItemSpec, field: string): EventTest {
  const only = spec.values.length === 1 ? spec.values[0] : undefined;
  const first = only?.length === 1 ? only[0] : undefined;
  if (first?.t === 'exists') {
    const want = first.b;
    return (e, g) => (g(e, field) !== undefined) === want;
  }
  const fold = needsFold(spec);
  if (!spec.linkAll) {
    const leaves = spec.values.flat();
    const test = orTest(leaves);
    return (e, g) => {
      const v = g(e, field);
      if (Array.isArray(v)) {
        for (const x of v) if (scalarMatches(test, x, fold, e, g)) return true;
        return false;
      }
      return scalarMatches(test, v, fold, e, g);
    };
  }
  const groups = spec.values.map(orTest);
  return (e, g) => {
    const v = g(e, field);
    if (!Array.isArray(v)) {
      const s = stringForm(v);
      const f = fold && s !== null && typeof v === 'string' ? foldCase(v) : s;
      for (const t of groups) if (!t(v, s, f, e, g)) return false;
      return true;
    }
    for (const t of groups) {
      let any = false;
      for (const x of v) {
        if (scalarMatches(t, x, fold, e, g)) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  };
}

/**
 * Lower-cases an event string, memoised in a tiny direct-mapped cache (slot by length): the rules
 * run one after another over the same event and read the same few field values, and a pointer
 * comparison is far cheaper than lower-casing again.
 */
const foldKeys: string[] = new Array<string>(64).fill('');
const foldValues: string[] = new Array<string>(64).fill('');
export function foldCase(v: string): string {
  const slot = v.length & 63;
  if (foldKeys[slot] === v) return foldValues[slot] as string;
  const f = v.toLowerCase();
  foldKeys[slot] = v;
  foldValues[slot] = f;
  return f;
}

function scalarMatches(test: LeafTest, v: unknown, fold: boolean, e: unknown, g: FieldGetter): boolean {
  const s = stringForm(v);
  const f = fold && s !== null && typeof v === 'string' ? foldCase(v) : s;
  return test(v, s, f, e, g);
}

function needsFold(spec: ItemSpec): boolean {
  return spec.values.some((alts) => alts.some((l) => (l.t === 'str' && !l.cased) || l.t === 'fieldref'));
}

/**
 * OR over leaves. Case-insensitive literal shapes are grouped: exact values in one Set, prefixes
 * and suffixes bucketed by a hash of their first/last three characters (so a list of fifty
 * `endswith` paths costs one bucket lookup and a few `endsWith`), substrings in one loop.
 */
function orTest(leaves: LeafValue[]): LeafTest {
  const exact = new Set<string>();
  const prefixes = new Bucketed(false);
  const suffixes = new Bucketed(true);
  const contains: string[] = [];
  const others: LeafTest[] = [];
  for (const l of leaves) {
    const shape = l.t === 'str' && !l.cased ? simpleShape(l.s) : null;
    if (l.t === 'str' && !l.cased && l.s.length === 0) exact.add('');
    else if (shape?.shape === 'eq') exact.add(shape.text.toLowerCase());
    else if (shape?.shape === 'prefix') prefixes.add(shape.text.toLowerCase());
    else if (shape?.shape === 'suffix') suffixes.add(shape.text.toLowerCase());
    else if (shape?.shape === 'contains') contains.push(shape.text.toLowerCase());
    else others.push(compileLeaf(l));
  }
  const strTests: ((f: string) => boolean)[] = [];
  if (exact.size > 0) strTests.push((f) => exact.has(f));
  if (prefixes.size > 0) strTests.push((f) => prefixes.test(f));
  if (suffixes.size > 0) strTests.push((f) => suffixes.test(f));
  if (contains.length === 1) {
    const c = contains[0] ?? '';
    strTests.push((f) => f.includes(c));
  } else if (contains.length > 1) {
    strTests.push((f) => {
      for (const c of contains) if (f.includes(c)) return true;
      return false;
    });
  }
  if (strTests.length === 0 && others.length === 1) return others[0] as LeafTest;
  if (strTests.length === 1 && others.length === 0) {
    const t = strTests[0] as (f: string) => boolean;
    return (_v, _s, f) => f !== null && t(f);
  }
  return (v, s, f, e, g) => {
    if (f !== null) for (const t of strTests) if (t(f)) return true;
    for (const t of others) if (t(v, s, f, e, g)) return true;
    return false;
  };
}

/** Prefixes (or suffixes) keyed by a hash of their first (last) three characters. */
class Bucketed {
  private readonly buckets = new Map<number, string[]>();
  private readonly short: string[] = [];
  size = 0;
  constructor(private readonly fromEnd: boolean) {}

  private key(s: string): number {
    const n = s.length;
    return this.fromEnd
      ? (s.charCodeAt(n - 1) * 65599 + s.charCodeAt(n - 2)) * 65599 + s.charCodeAt(n - 3)
      : (s.charCodeAt(0) * 65599 + s.charCodeAt(1)) * 65599 + s.charCodeAt(2);
  }

  add(s: string): void {
    this.size++;
    if (s.length < 3) {
      this.short.push(s);
      return;
    }
    const k = this.key(s);
    const list = this.buckets.get(k);
    if (list) list.push(s);
    else this.buckets.set(k, [s]);
  }

  test(f: string): boolean {
    for (const s of this.short) if (this.fromEnd ? f.endsWith(s) : f.startsWith(s)) return true;
    if (f.length < 3 || this.buckets.size === 0) return false;
    const list = this.buckets.get(this.key(f));
    if (!list) return false;
    for (const s of list) if (this.fromEnd ? f.endsWith(s) : f.startsWith(s)) return true;
    return false;
  }
}

function compileLeaf(l: LeafValue): LeafTest {
  switch (l.t) {
    case 'str': {
      const t = compileStringTest(l.s, l.cased);
      return (_v, s, f) => s !== null && t(s, f ?? s);
    }
    case 'num': {
      const n = l.n;
      const text = String(n);
      return (v, s) => (typeof v === 'number' ? v === n : s !== null && typeof v === 'string' && (s === text || numericForm(s) === n));
    }
    case 'bool': {
      const text = String(l.b);
      const b = l.b;
      return (v) => v === b || (typeof v === 'string' && v.toLowerCase() === text);
    }
    case 'null':
      return (v) => v === null || v === undefined;
    case 're': {
      const re = compileRegex(l.pattern, l.flags);
      return (_v, s) => s !== null && re.test(s);
    }
    case 'cidr': {
      const net = parseCidr(l.cidr);
      if (!net) return () => false;
      return (_v, s) => {
        if (s === null) return false;
        const ip = parseIp(s);
        return ip !== null && inCidr(ip, net);
      };
    }
    case 'cmp':
      return compareTest(l.op, l.n);
    case 'exists': {
      const want = l.b;
      return (v) => (v !== undefined) === want;
    }
    case 'fieldref':
      return fieldRefTest(l.field, l.startsWith, l.endsWith);
    case 'timepart':
      return timePartTest(l.part, l.n);
  }
}

function compareTest(op: CompareOp, n: number): LeafTest {
  switch (op) {
    case 'gt':
      return (v) => {
        const x = numericForm(v);
        return x !== null && x > n;
      };
    case 'gte':
      return (v) => {
        const x = numericForm(v);
        return x !== null && x >= n;
      };
    case 'lt':
      return (v) => {
        const x = numericForm(v);
        return x !== null && x < n;
      };
    case 'lte':
      return (v) => {
        const x = numericForm(v);
        return x !== null && x <= n;
      };
  }
}

/** `fieldref` (with contains/startswith/endswith): compares with another field of the same event. */
function fieldRefTest(other: string, startsWith: boolean, endsWith: boolean): LeafTest {
  const cmp = (f: string, o: string): boolean =>
    startsWith && endsWith ? f.includes(o) : startsWith ? f.startsWith(o) : endsWith ? f.endsWith(o) : f === o;
  return (_v, _s, f, e, g) => {
    if (f === null) return false;
    const ref = g(e, other);
    const refs = Array.isArray(ref) ? ref : [ref];
    for (const r of refs) {
      const rs = stringForm(r);
      if (rs !== null && cmp(f, rs.toLowerCase())) return true;
    }
    return false;
  };
}

/** Time modifiers (modifiers appendix "Time Modifiers"): a part of the event's date, in UTC. */
function timePartTest(part: TimePart, n: number): LeafTest {
  return (v) => {
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) return false;
    const d = new Date(ms);
    switch (part) {
      case 'minute':
        return d.getUTCMinutes() === n;
      case 'hour':
        return d.getUTCHours() === n;
      case 'day':
        return d.getUTCDate() === n;
      case 'month':
        return d.getUTCMonth() + 1 === n;
      case 'year':
        return d.getUTCFullYear() === n;
      case 'week':
        return isoWeek(d) === n;
    }
  };
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/**
 * The leaves of the event last searched by a keyword item, with their string and folded forms.
 * Rules run one after another over the same event, and every keyword rule needs the same leaves:
 * they are collected and lower-cased once per event, not once per rule. (Events are not changed
 * while detection reads them.)
 */
let leavesEvent: unknown = undefined;
let leavesValues: unknown[] = [];
let leavesStrings: (string | null)[] = [];
let leavesFolded: (string | null)[] = [];

function leavesOf(e: unknown): void {
  if (e === leavesEvent) return;
  const values: unknown[] = [];
  collectLeaves(e, values, 0);
  leavesValues = values;
  leavesStrings = values.map(stringForm);
  leavesFolded = values.map((v, i) => (typeof v === 'string' ? v.toLowerCase() : (leavesStrings[i] as string | null)));
  leavesEvent = e;
}

/** Keyword items: every value is searched for in every leaf of the event. */
function keywordTest(spec: ItemSpec): EventTest {
  const groups = spec.values.map(orTest);
  const fold = needsFold(spec);
  return (e, g) => {
    leavesOf(e);
    const values = leavesValues;
    const strings = leavesStrings;
    const folded = fold ? leavesFolded : leavesStrings;
    const matchesSome = (t: LeafTest): boolean => {
      for (let i = 0; i < values.length; i++) if (t(values[i], strings[i] as string | null, folded[i] as string | null, e, g)) return true;
      return false;
    };
    return spec.linkAll ? groups.every(matchesSome) : groups.some(matchesSome);
  };
}

function collectLeaves(v: unknown, out: unknown[], depth: number): void {
  if (depth > 32) return;
  if (Array.isArray(v)) {
    for (const x of v) collectLeaves(x, out, depth + 1);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) collectLeaves(x, out, depth + 1);
  } else if (v !== null && v !== undefined) {
    out.push(v);
  }
}

/**
 * @module intel/stix/evaluate
 * Evaluates a STIX 2.1 pattern against observations (§9.4: true when some of them match). The
 * semantics, section by section:
 * - an observation expression `[…]` matches one observation, and all its comparison
 *   expressions must start from the same SCO of it (§9.5); object paths follow `_ref`/`_refs`
 *   properties to the referenced SCOs of that observation, `[n]` and `[*]` into lists (§9.7);
 * - a path that leads nowhere makes its comparison false whatever the operator (§9.6), except
 *   `NOT EXISTS`, which is the negation of EXISTS; `[*]` is true when any item is (§9.7.2) and a
 *   NOT modifier negates that result (§9.6.1);
 * - AND, OR and FOLLOWEDBY between observation expressions need different observations; with
 *   FOLLOWEDBY the right side's time is at or after the left side's (§9.5.2);
 * - an Observed Data object stands for `number_observed` observations somewhere between its
 *   `first_observed` and `last_observed` (§9.1), so one object can satisfy `REPEATS n TIMES`
 *   (§9.5.1: n matches on different observations) and time tests ask whether times *can* be
 *   chosen inside those windows: WITHIN x needs latest start minus earliest end below x seconds
 *   ("MUST NOT be equal to or later than" earliest plus x), START/STOP needs every window to
 *   reach into [START, STOP), FOLLOWEDBY needs the left's latest start at or before the right's
 *   earliest end (the test the OASIS reference matcher applies).
 * The search enumerates candidate sets of observations ("bindings") bottom-up and is bounded:
 * past `MAX_BINDINGS` per node or `MAX_STEPS` in all it stops and reports `truncated`, so a
 * hostile pattern or a flood of observations costs bounded time instead of an exponential one.
 */
import { compileValueTest } from './compare.js';
import type { ValueTest } from './compare.js';
import { eventToObservation } from './observation.js';
import type { Observation, Sco } from './observation.js';
import type { EcsEvent } from '../../core/event.js';
import type { ComparisonExpression, ObservationExpression, PathStep, Pattern } from './pattern-ast.js';
import { instantToMillis, parseStixTimestamp } from './timestamp.js';

const MAX_BINDINGS = 5_000;
const MAX_STEPS = 2_000_000;
/** A bound on the observation instances one Observed Data object contributes (its `number_observed`). */
const MAX_INSTANCES = 1_000;

export interface PatternMatch {
  matched: boolean;
  /** Indexes into the observations of one set that satisfies the pattern (empty when not matched). */
  observations: number[];
  /** The search reached its bounds before finding a match: a match may have been missed. */
  truncated: boolean;
  /** Parts of the pattern that cannot be evaluated here (they never match). */
  warnings: string[];
}

interface CompiledTest {
  objectType: string;
  steps: readonly PathStep[];
  negated: boolean;
  /** Absent for EXISTS. */
  test?: ValueTest;
}

type CompiledComparison = { kind: 'test'; test: CompiledTest } | { kind: 'and' | 'or'; left: CompiledComparison; right: CompiledComparison };

type CompiledObservation =
  | { kind: 'observation'; comparison: CompiledComparison }
  | { kind: 'and' | 'or' | 'followedby'; left: CompiledObservation; right: CompiledObservation }
  | { kind: 'within'; expression: CompiledObservation; millis: number }
  | { kind: 'startstop'; expression: CompiledObservation; start: number; stop: number }
  | { kind: 'repeats'; expression: CompiledObservation; times: number };

/** A pattern prepared for evaluation: regular expressions compiled once, observation slots counted. */
export interface CompiledPattern {
  readonly pattern: Pattern;
  readonly root: CompiledObservation;
  /** How many observations one match uses at most (bounds the instances taken from one object). */
  readonly slots: number;
  readonly warnings: readonly string[];
}

export function compilePattern(pattern: Pattern): CompiledPattern {
  const warnings: string[] = [];
  const root = compileObservation(pattern.root, warnings);
  return { pattern, root, slots: Math.min(slotsOf(root), MAX_INSTANCES), warnings };
}

/** Evaluates a pattern against observations (§9.4). */
export function evaluateObservation(pattern: Pattern | CompiledPattern, observations: readonly Observation[]): PatternMatch {
  const compiled = 'slots' in pattern ? pattern : compilePattern(pattern);
  const evaluation = new Evaluation(observations, compiled.slots);
  const bindings = evaluation.evaluate(compiled.root);
  const first = bindings[0];
  const observed = first ? [...new Set(first.keys.map((k) => Math.floor(k / compiled.slots)))].sort((a, b) => a - b) : [];
  return { matched: first !== undefined, observations: observed, truncated: evaluation.truncated && !first, warnings: [...compiled.warnings] };
}

/** Evaluates a pattern against one ECS event, as a single observation. */
export function evaluateEvent(pattern: Pattern | CompiledPattern, event: EcsEvent): PatternMatch {
  return evaluateObservation(pattern, [eventToObservation(event)]);
}

function compileObservation(e: ObservationExpression, warnings: string[]): CompiledObservation {
  switch (e.kind) {
    case 'observation':
      return { kind: 'observation', comparison: compileComparison(e.comparison, warnings) };
    case 'qualified': {
      const expression = compileObservation(e.expression, warnings);
      const q = e.qualifier;
      if (q.kind === 'within') return { kind: 'within', expression, millis: q.seconds * 1000 };
      if (q.kind === 'repeats') return { kind: 'repeats', expression, times: q.times };
      return { kind: 'startstop', expression, start: millisOf(q.start), stop: millisOf(q.stop) };
    }
    default:
      return { kind: e.kind, left: compileObservation(e.left, warnings), right: compileObservation(e.right, warnings) };
  }
}

function compileComparison(e: ComparisonExpression, warnings: string[]): CompiledComparison {
  if (e.kind !== 'test') return { kind: e.kind, left: compileComparison(e.left, warnings), right: compileComparison(e.right, warnings) };
  const base = { objectType: e.path.objectType, steps: e.path.steps, negated: e.negated };
  if (e.operator === 'EXISTS') return { kind: 'test', test: base };
  const compiled = compileValueTest(e.operator, e.operator === 'IN' ? e.values : e.value);
  if (compiled.warning) warnings.push(compiled.warning);
  return { kind: 'test', test: { ...base, test: compiled.test } };
}

function slotsOf(e: CompiledObservation): number {
  switch (e.kind) {
    case 'observation':
      return 1;
    case 'and':
    case 'or':
    case 'followedby':
      return slotsOf(e.left) + slotsOf(e.right);
    case 'repeats':
      return Math.min(e.times * slotsOf(e.expression), MAX_INSTANCES);
    default:
      return slotsOf(e.expression);
  }
}

function millisOf(timestamp: string): number {
  const instant = parseStixTimestamp(timestamp);
  return instant ? instantToMillis(instant) : Number.NaN;
}

/** Observation instances (observation index × slots + instance number), sorted, with their time bounds. */
interface Binding {
  keys: number[];
  maxFirst: number;
  minLast: number;
}

class Evaluation {
  truncated = false;
  private steps = 0;
  private readonly windows: ({ first: number; last: number } | null)[];

  constructor(
    private readonly observations: readonly Observation[],
    private readonly slots: number,
  ) {
    this.windows = observations.map((o) => {
      const [first, last] = [parseStixTimestamp(o.firstObserved), parseStixTimestamp(o.lastObserved)];
      if (!first || !last || !(o.numberObserved >= 1)) return null;
      const window = { first: instantToMillis(first), last: instantToMillis(last) };
      return window.last >= window.first ? window : null;
    });
  }

  evaluate(e: CompiledObservation): Binding[] {
    switch (e.kind) {
      case 'observation':
        return this.leaf(e.comparison);
      case 'or':
        return this.dedupe([...this.evaluate(e.left), ...this.evaluate(e.right)]);
      case 'and':
        return this.join(this.evaluate(e.left), this.evaluate(e.right), () => true);
      case 'followedby':
        return this.join(this.evaluate(e.left), this.evaluate(e.right), (l, r) => l.maxFirst <= r.minLast);
      case 'within':
        return this.evaluate(e.expression).filter((b) => b.maxFirst - b.minLast < e.millis);
      case 'startstop':
        return this.evaluate(e.expression).filter((b) => b.maxFirst < e.stop && b.minLast >= e.start);
      case 'repeats':
        return this.repeats(this.evaluate(e.expression), e.times);
    }
  }

  private leaf(comparison: CompiledComparison): Binding[] {
    const out: Binding[] = [];
    this.observations.forEach((o, index) => {
      const window = this.windows[index];
      if (!window || !this.tick()) return;
      const scos = Object.values(o.objects);
      if (!scos.some((root) => matchesComparison(comparison, root, o.objects))) return;
      const instances = Math.min(o.numberObserved, this.slots);
      for (let k = 0; k < instances; k++) {
        if (out.length >= MAX_BINDINGS) {
          this.truncated = true;
          return;
        }
        out.push({ keys: [index * this.slots + k], maxFirst: window.first, minLast: window.last });
      }
    });
    return out;
  }

  private join(left: Binding[], right: Binding[], accept: (l: Binding, r: Binding) => boolean): Binding[] {
    const out = new Map<string, Binding>();
    for (const l of left) {
      for (const r of right) {
        if (!this.tick() || out.size >= MAX_BINDINGS) return this.stop(out);
        if (!accept(l, r)) continue;
        const merged = mergeDisjoint(l, r);
        if (merged) out.set(merged.keys.join(','), merged);
      }
    }
    return [...out.values()];
  }

  /** n bindings over pairwise different observations, as one (§9.5.1: "each match is a different Observation"). */
  private repeats(bindings: Binding[], times: number): Binding[] {
    const out = new Map<string, Binding>();
    const choose = (from: number, acc: Binding | null, left: number): boolean => {
      if (left === 0) {
        if (acc) out.set(acc.keys.join(','), acc);
        return out.size < MAX_BINDINGS;
      }
      for (let i = from; i <= bindings.length - left; i++) {
        if (!this.tick()) return false;
        const next = bindings[i] as Binding;
        const merged = acc ? mergeDisjoint(acc, next) : next;
        if (merged && !choose(i + 1, merged, left - 1)) return false;
      }
      return true;
    };
    if (!choose(0, null, times)) this.truncated = true;
    return [...out.values()];
  }

  private dedupe(bindings: Binding[]): Binding[] {
    const out = new Map<string, Binding>();
    for (const b of bindings) out.set(b.keys.join(','), b);
    return [...out.values()].slice(0, MAX_BINDINGS);
  }

  private stop(out: Map<string, Binding>): Binding[] {
    this.truncated = true;
    return [...out.values()];
  }

  private tick(): boolean {
    if (++this.steps <= MAX_STEPS) return true;
    this.truncated = true;
    return false;
  }
}

/** The union of two bindings that share no observation instance, or null. */
function mergeDisjoint(a: Binding, b: Binding): Binding | null {
  const keys: number[] = [];
  let [i, j] = [0, 0];
  while (i < a.keys.length || j < b.keys.length) {
    const [x, y] = [a.keys[i], b.keys[j]];
    if (x !== undefined && x === y) return null;
    if (y === undefined || (x !== undefined && x < y)) {
      keys.push(x as number);
      i++;
    } else {
      keys.push(y);
      j++;
    }
  }
  return { keys, maxFirst: Math.max(a.maxFirst, b.maxFirst), minLast: Math.min(a.minLast, b.minLast) };
}

/** §9.5: the comparison expressions of one observation expression, all starting from `root`. */
function matchesComparison(c: CompiledComparison, root: Sco, objects: Readonly<Record<string, Sco>>): boolean {
  if (c.kind !== 'test') {
    const left = matchesComparison(c.left, root, objects);
    return c.kind === 'and' ? left && matchesComparison(c.right, root, objects) : left || matchesComparison(c.right, root, objects);
  }
  const t = c.test;
  if (root.type !== t.objectType) return false;
  const values = resolvePath(root, t.steps, objects);
  if (!t.test) return (values.length > 0) !== t.negated;
  if (values.length === 0) return false;
  const test = t.test;
  const any = values.some((v) => test(v.value, v.property, v.holder));
  return any !== t.negated;
}

interface Resolved {
  value: unknown;
  /** The last property name on the way (decides `_bin`/`_hex` decoding). */
  property: string;
  /** The object that property belongs to. */
  holder: unknown;
}

/** The values an object path reaches from an SCO (§9.7), dereferencing `_ref`/`_refs` inside the observation (§9.7.4). */
export function resolvePath(root: Sco, steps: readonly PathStep[], objects: Readonly<Record<string, Sco>>): Resolved[] {
  let current: Resolved[] = [{ value: root, property: '', holder: undefined }];
  steps.forEach((step, i) => {
    const more = i < steps.length - 1;
    const next: Resolved[] = [];
    for (const c of current) {
      if (step.kind === 'key') {
        if (!isRecord(c.value) || !Object.hasOwn(c.value, step.name)) continue;
        let value: unknown = c.value[step.name];
        if (more && step.name.endsWith('_ref')) value = typeof value === 'string' ? objects[value] : undefined;
        else if (more && step.name.endsWith('_refs')) value = Array.isArray(value) ? value.map((ref) => (typeof ref === 'string' ? objects[ref] : undefined)) : undefined;
        if (value !== undefined) next.push({ value, property: step.name, holder: c.value });
      } else if (Array.isArray(c.value)) {
        // §9.7.2: an index out of range (a negative one included) makes the comparison false.
        const items: unknown[] = step.kind === 'any' ? c.value : step.index >= 0 && step.index < c.value.length ? [c.value[step.index]] : [];
        for (const value of items) if (value !== undefined) next.push({ value, property: c.property, holder: c.holder });
      }
    }
    current = next;
  });
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

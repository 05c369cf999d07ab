/**
 * @module detect/sigma/fields/getter
 * Reads a Sigma field from an event the way Sigma backends address it after their processing
 * pipelines (pySigma `FieldMappingTransformation`, then `AddFieldnamePrefixTransformation
 * ("winlog.event_data.")` for Windows, as in the Elasticsearch backend's `ecs_windows`), but at
 * match time and for both shapes Vigil sees:
 *
 *   (a) the event's own top-level key of exactly that name: Sigma-native flat events
 *       (`{"EventID":4625,"TargetUserName":"x"}`) and dotted ECS keys (`{"source.ip":…}`);
 *   (b) the ECS paths `fields/taxonomy` maps the name to for the rule's logsource, in order;
 *   (c) for Windows logsources, `winlog.event_data.<name>` then `winlog.user_data.<name>`;
 *   (d) the name itself as a dotted path (rules written against ECS: `source.ip`).
 *
 * The first present value wins, returned raw (`winlog.event_id` is text in Winlogbeat 8 and number
 * in older documents: comparing is the compiler's business). `null` is a value; arrays are returned
 * as they are, and an array met half-way along a path (`dns.answers.data`) yields the values of
 * each element, flattened. Everything that can be is computed once per logsource and field name:
 * a call is a Map lookup and a few property reads.
 */
import type { FieldGetter, Logsource } from '../contract.js';
import { EVENT_DATA_PREFIX, USER_DATA_PREFIX, fieldTables } from './taxonomy.js';
import type { FieldTable } from './taxonomy.js';
import { ruleLogsourceKey } from './routing.js';

type Obj = Record<string, unknown>;

/** A dotted path, split once. */
interface CompiledPath {
  readonly dotted: string;
  readonly segments: readonly string[];
  /** Some segment names an `Object.prototype` member: own properties only for this path. */
  readonly guarded: boolean;
}

/** How one field is read for one logsource. */
interface FieldPlan {
  /** The field's name is an `Object.prototype` member (`constructor`…): read it as an own key only. */
  readonly guardTop: boolean;
  readonly paths: readonly CompiledPath[];
}

/** Bound on the field names cached per logsource; past it, plans are built per call. */
const PLAN_LIMIT = 10_000;

function isInherited(name: string): boolean {
  return name in Object.prototype;
}

function compilePath(dotted: string): CompiledPath {
  const segments = dotted.split('.');
  return { dotted, segments, guarded: segments.some(isInherited) };
}

/** Reads `segments[from…]` below `node`; arrays on the way contribute each element's value. */
function readBelow(node: unknown, segments: readonly string[], from: number, guarded: boolean): unknown {
  let current = node;
  for (let i = from; i < segments.length; i++) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) return collect(current, segments, i, guarded);
    const segment = segments[i] as string;
    const next = (current as Obj)[segment];
    if (next === undefined || (guarded && !Object.hasOwn(current, segment))) return undefined;
    current = next;
  }
  return current;
}

function collect(list: readonly unknown[], segments: readonly string[], from: number, guarded: boolean): unknown {
  let out: unknown[] | undefined;
  for (const element of list) {
    const v = readBelow(element, segments, from, guarded);
    if (v === undefined) continue;
    out ??= [];
    if (Array.isArray(v)) for (const x of v) out.push(x);
    else out.push(v);
  }
  return out;
}

function readPath(root: Obj, path: CompiledPath): unknown {
  const segments = path.segments;
  const head = root[segments[0] as string];
  if (head === undefined || (path.guarded && !Object.hasOwn(root, segments[0] as string))) {
    // A flat document with dotted keys (`"source.ip": …`) rather than nested objects.
    return segments.length > 1 ? root[path.dotted] : undefined;
  }
  return segments.length === 1 ? head : readBelow(head, segments, 1, path.guarded);
}

interface NormalisedLogsource {
  category: string;
  product: string;
  service: string;
}

function normalise(logsource: Logsource): NormalisedLogsource {
  const n = (v: string | undefined): string => (v === undefined ? '' : v.trim().toLowerCase());
  return { category: n(logsource.category), product: n(logsource.product), service: n(logsource.service) };
}

function tableApplies(table: FieldTable, ls: NormalisedLogsource): boolean {
  const w = table.when;
  return (
    (w.category === undefined || w.category === ls.category) &&
    (w.product === undefined || w.product === ls.product) &&
    (w.service === undefined || w.service === ls.service)
  );
}

function statedKeys(table: FieldTable): number {
  const w = table.when;
  return (w.category === undefined ? 0 : 1) + (w.product === undefined ? 0 : 1) + (w.service === undefined ? 0 : 1);
}

/** Sigma field → mapped ECS paths for a logsource: the most specific table defining a field decides it. */
function mappingFor(ls: NormalisedLogsource): Map<string, readonly string[]> {
  const applicable = fieldTables
    .map((table, order) => ({ table, order, keys: statedKeys(table) }))
    .filter((t) => tableApplies(t.table, ls))
    .sort((a, b) => b.keys - a.keys || a.order - b.order);
  const out = new Map<string, readonly string[]>();
  for (const { table } of applicable) {
    for (const field of Object.keys(table.fields)) {
      const paths = table.fields[field];
      if (paths !== undefined && !out.has(field)) out.set(field, paths);
    }
  }
  return out;
}

/** Everything one logsource's getter needs, and the getter. */
class LogsourceFields {
  /** The getter for this logsource: one Map lookup for the plan, then property reads. */
  readonly get: FieldGetter;
  private readonly mapping: Map<string, readonly string[]>;
  private readonly windows: boolean;
  private readonly plans = new Map<string, FieldPlan>();
  private readonly compiled = new Map<string, CompiledPath>();

  constructor(logsource: Logsource) {
    const ls = normalise(logsource);
    this.mapping = mappingFor(ls);
    this.windows = ls.product === 'windows';
    const plans = this.plans;
    this.get = (event, field) => {
      if (typeof event !== 'object' || event === null) return undefined;
      const root = event as Obj;
      const plan = plans.get(field) ?? this.plan(field);
      const own = root[field];
      if (own !== undefined && (!plan.guardTop || Object.hasOwn(root, field))) return own;
      const paths = plan.paths;
      for (let i = 0; i < paths.length; i++) {
        const v = readPath(root, paths[i] as CompiledPath);
        if (v !== undefined) return v;
      }
      return undefined;
    };
  }

  /** The dotted paths tried after the top-level key, in order: (b), (c), (d). */
  pathsOf(field: string): string[] {
    const out: string[] = [];
    const add = (p: string): void => {
      if (!out.includes(p)) out.push(p);
    };
    for (const p of this.mapping.get(field) ?? []) add(p);
    const dotted = field.includes('.');
    if (this.windows && !dotted) {
      add(EVENT_DATA_PREFIX + field);
      add(USER_DATA_PREFIX + field);
    }
    // (d): a name without a dot is the top-level key (a) already read.
    if (dotted) add(field);
    return out;
  }

  private plan(field: string): FieldPlan {
    const plan: FieldPlan = {
      guardTop: isInherited(field),
      paths: this.pathsOf(field).map((p) => {
        let c = this.compiled.get(p);
        if (c === undefined) {
          c = compilePath(p);
          this.compiled.set(p, c);
        }
        return c;
      }),
    };
    if (this.plans.size < PLAN_LIMIT) this.plans.set(field, plan);
    return plan;
  }
}

const byLogsource = new Map<string, LogsourceFields>();

function fieldsFor(logsource: Logsource): LogsourceFields {
  const key = ruleLogsourceKey(logsource);
  let fields = byLogsource.get(key);
  if (fields === undefined) {
    fields = new LogsourceFields(logsource);
    byLogsource.set(key, fields);
  }
  return fields;
}

/**
 * The field getter for rules of `logsource`: reads a Sigma field name from an ECS event (or a
 * Sigma-native flat event) in the order the module comment gives. Getters are shared by all rules
 * with the same logsource key.
 */
export function fieldGetterFor(logsource: Logsource): FieldGetter {
  return fieldsFor(logsource).get;
}

/**
 * The dotted ECS paths tried for `field` under `logsource` after the event's own top-level key,
 * in order: what an analyst sees when asking "where does this rule read `CommandLine`?".
 */
export function fieldPathsFor(logsource: Logsource, field: string): readonly string[] {
  return fieldsFor(logsource).pathsOf(field);
}

/**
 * Reads only the event's own top-level keys: for flat events (the CLI's, Sigma's test samples),
 * where `CommandLine` is a key and no mapping applies.
 */
export const flatGetter: FieldGetter = (event, field) => {
  if (typeof event !== 'object' || event === null) return undefined;
  const v = (event as Obj)[field];
  // Inherited members of Object.prototype are functions (or `__proto__`): never event values.
  if (v !== undefined && (typeof v === 'function' || field === '__proto__') && !Object.hasOwn(event, field)) return undefined;
  return v;
};

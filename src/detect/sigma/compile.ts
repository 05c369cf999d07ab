/**
 * @module detect/sigma/compile
 * Rule model → `CompiledRule`: closures built once per rule, nothing walked per event. Each
 * search becomes an OR of alternatives, each an AND of item closures (see `matchers.ts`); the
 * condition (rules spec "Condition"; a list of conditions is OR-ed) becomes nested and/or/not
 * closures over them. Placeholders are filled from `options.placeholders`; a rule with an unfilled
 * one is rejected (rules spec "Placeholders": a tool that cannot handle them must reject the rule).
 * Keyword values without contains/startswith/endswith are searched as substrings.
 */
import { VigilError } from '../../core/errors.js';
import type { CompiledRule, FieldGetter } from './contract.js';
import { conditionAtoms, itemAtoms, anyOf, allOf } from './atoms.js';
import type { Atoms } from './atoms.js';
import { positiveIdentifiers, resolveCondition } from './condition.js';
import type { ResolvedCondition } from './condition.js';
import { compileItem } from './matchers.js';
import type { EventTest } from './matchers.js';
import { applyModifiers, ModifierError } from './modifiers.js';
import type { ItemSpec } from './modifiers.js';
import type { DetectionItemModel, DetectionModel, SigmaRuleModel } from './model.js';

export interface CompileOptions {
  /** Values for `expand` placeholders: `%Servers%` → `{ Servers: ['srv*'] }`. */
  placeholders?: Record<string, string[]>;
}

/** A compiled detection section: what a rule and a filter have in common. */
export interface CompiledDetection {
  matches: EventTest;
  matchedFields(event: unknown, get: FieldGetter): string[];
  requiredAtoms: readonly string[] | null;
}

interface CompiledSearch {
  test: EventTest;
  /** Fields of the first alternative that matches, or null when none does. */
  fields(event: unknown, get: FieldGetter): string[] | null;
  atoms: Atoms;
}

export function compileRule(model: SigmaRuleModel, options: CompileOptions = {}): CompiledRule {
  const detection = compileDetection(model.detection, model.location.file, options);
  return {
    id: model.id,
    name: model.name,
    title: model.title,
    level: model.level,
    status: model.status,
    tags: model.tags,
    logsource: model.logsource,
    location: model.location,
    matches: detection.matches,
    matchedFields: detection.matchedFields,
    requiredAtoms: detection.requiredAtoms,
  };
}

export function compileDetection(detection: DetectionModel, file: string, options: CompileOptions = {}): CompiledDetection {
  const searches = new Map<string, CompiledSearch>();
  for (const s of detection.searches) {
    searches.set(s.name, compileSearch(s.alternatives, file, options));
  }
  const names = detection.searches.map((s) => s.name);
  const conditions = detection.conditions.map((c) => resolveCondition(c.tree, names));
  const tests = conditions.map((c) => compileCondition(c, searches));
  const matches: EventTest = tests.length === 1 ? (tests[0] as EventTest) : (e, g) => tests.some((t) => t(e, g));
  const positive = new Set(conditions.flatMap((c) => [...positiveIdentifiers(c)]));
  const shown = [...positive].flatMap((n) => {
    const s = searches.get(n);
    return s ? [s] : [];
  });
  const searchAtoms = new Map([...searches].map(([n, s]) => [n, s.atoms] as const));
  return {
    matches,
    matchedFields(event, get) {
      const out = new Set<string>();
      for (const s of shown) for (const f of s.fields(event, get) ?? []) out.add(f);
      return [...out];
    },
    requiredAtoms: anyOf(conditions.map((c) => conditionAtoms(c, searchAtoms))),
  };
}

function compileSearch(alternatives: DetectionItemModel[][], file: string, options: CompileOptions): CompiledSearch {
  const alts = alternatives.map((items) =>
    items.map((item) => {
      const spec = keywordAsSubstring(item, toSpec(item, file, options));
      return { field: item.field, test: compileItem(spec), atoms: itemAtoms(spec) };
    }),
  );
  const altTests: EventTest[] = alts.map((items) => {
    const tests = items.map((i) => i.test);
    if (tests.length === 1) return tests[0] as EventTest;
    return (e, g) => {
      for (const t of tests) if (!t(e, g)) return false;
      return true;
    };
  });
  const test: EventTest =
    altTests.length === 1
      ? (altTests[0] as EventTest)
      : (e, g) => {
          for (const t of altTests) if (t(e, g)) return true;
          return false;
        };
  return {
    test,
    fields(e, g) {
      for (let i = 0; i < alts.length; i++) {
        if (altTests[i]?.(e, g)) return (alts[i] ?? []).flatMap((it) => (it.field === null ? [] : [it.field]));
      }
      return null;
    },
    atoms: anyOf(alts.map((items) => allOf(items.map((i) => i.atoms)))),
  };
}

function toSpec(item: DetectionItemModel, file: string, options: CompileOptions): ItemSpec {
  try {
    return applyModifiers(item.field, item.modifiers, item.values, { placeholders: options.placeholders ?? {} });
  } catch (err) {
    if (!(err instanceof ModifierError)) throw err;
    const key = [item.field ?? '', ...item.modifiers].join('|');
    throw new VigilError('VIGIL_ERR_SIGMA_RULE', { file, line: item.line, detail: `'${key}': ${err.message}` }, { file, line: item.line });
  }
}

/** Keywords are applied to the full log message: a plain keyword matches anywhere in a value. */
function keywordAsSubstring(item: DetectionItemModel, spec: ItemSpec): ItemSpec {
  if (item.field !== null || item.modifiers.some((m) => m === 'contains' || m === 'startswith' || m === 'endswith')) return spec;
  return {
    ...spec,
    values: spec.values.map((alts) =>
      alts.map((l) => {
        if (l.t !== 'str') return l;
        const s = [...l.s];
        if (s[0]?.kind !== 'star') s.unshift({ kind: 'star' });
        if (s[s.length - 1]?.kind !== 'star') s.push({ kind: 'star' });
        return { ...l, s };
      }),
    ),
  };
}

function compileCondition(node: ResolvedCondition, searches: ReadonlyMap<string, CompiledSearch>): EventTest {
  switch (node.kind) {
    case 'id': {
      const s = searches.get(node.name);
      if (!s) return () => false;
      return s.test;
    }
    case 'not': {
      const inner = compileCondition(node.arg, searches);
      return (e, g) => !inner(e, g);
    }
    case 'and': {
      const args = node.args.map((a) => compileCondition(a, searches));
      if (args.length === 2) {
        const [a, b] = args as [EventTest, EventTest];
        return (e, g) => a(e, g) && b(e, g);
      }
      return (e, g) => {
        for (const t of args) if (!t(e, g)) return false;
        return true;
      };
    }
    case 'or': {
      const args = node.args.map((a) => compileCondition(a, searches));
      if (args.length === 2) {
        const [a, b] = args as [EventTest, EventTest];
        return (e, g) => a(e, g) || b(e, g);
      }
      return (e, g) => {
        for (const t of args) if (t(e, g)) return true;
        return false;
      };
    }
  }
}

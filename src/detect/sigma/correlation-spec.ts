/**
 * @module detect/sigma/correlation-spec
 * The `correlation:` section of a correlation rule → `CorrelationSpec` (Sigma correlation rules
 * specification v2.1, "Correlation section" and "Correlation Types"). `timespan` is a number and
 * one of s/m/h/d; the condition is a map of gt/gte/lt/lte/eq/neq (AND-ed) plus `field` (required
 * by value_count/value_sum/value_avg/value_percentile) and `percentile` (value_percentile). The
 * temporal types may omit the condition: like pySigma, it defaults to `gte: <number of rules>`.
 */
import { correlationTypes } from './contract.js';
import type { CorrelationCondition, CorrelationSpec, CorrelationType, RuleLocation, SigmaLevel } from './contract.js';
import type { Report } from './detection.js';
import { describe, entry } from './yaml-node.js';
import type { LMap, LNode } from './yaml-node.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

export function parseTimespan(text: string): number | null {
  const m = /^(\d+)([smhd])$/u.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
}

export interface CorrelationHeader {
  id: string;
  name: string | null;
  title: string;
  level: SigmaLevel | null;
  tags: string[];
  location: RuleLocation;
}

/** Parses `correlation:`; reports each problem and returns null when there was any. */
export function parseCorrelation(section: LMap, header: CorrelationHeader, report: Report): CorrelationSpec | null {
  let ok = true;
  const fail: Report = (line, detail) => {
    ok = false;
    report(line, detail);
  };
  const strings = (node: LNode | undefined, what: string): string[] | null => {
    if (node === undefined) return [];
    if (node.kind === 'scalar' && typeof node.value === 'string') return [node.value];
    if (node.kind === 'seq' && node.items.every((i) => i.kind === 'scalar' && i.value !== null)) {
      return node.items.map((i) => (i.kind === 'scalar' ? String(i.value) : ''));
    }
    fail(node.line, `correlation '${what}' must be a string or a list of strings, not ${describe(node)}`);
    return null;
  };

  const typeNode = entry(section, 'type')?.value;
  let type: CorrelationType | null = null;
  if (typeNode?.kind === 'scalar' && (correlationTypes as readonly unknown[]).includes(typeNode.value)) {
    type = typeNode.value as CorrelationType;
  } else {
    fail(typeNode?.line ?? section.line, `correlation 'type' must be one of ${correlationTypes.join(', ')}`);
  }
  const rulesEntry = entry(section, 'rules');
  const rules = strings(rulesEntry?.value, 'rules');
  if (rules !== null && rules.length === 0) fail(rulesEntry?.line ?? section.line, "correlation 'rules' must name at least one rule");
  const groupBy = strings(entry(section, 'group-by')?.value, 'group-by');

  const span = entry(section, 'timespan');
  let timespanMs = 0;
  const spanText = span?.value.kind === 'scalar' ? String(span.value.value) : undefined;
  const parsedSpan = spanText === undefined ? null : parseTimespan(spanText);
  if (parsedSpan === null || parsedSpan <= 0) {
    fail(span?.line ?? section.line, "correlation 'timespan' must be a number followed by s, m, h or d (e.g. 5m, 1h)");
  } else {
    timespanMs = parsedSpan;
  }

  const condition: CorrelationCondition = {};
  const condEntry = entry(section, 'condition');
  if (condEntry) {
    const c = condEntry.value;
    if (c.kind !== 'map') fail(c.line, `correlation 'condition' must be a map, not ${describe(c)}`);
    else {
      for (const e of c.entries) {
        const v = e.value.kind === 'scalar' ? e.value.value : null;
        if ((COMPARISONS as readonly string[]).includes(e.key) || e.key === 'percentile') {
          const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
          if (Number.isNaN(n)) fail(e.line, `correlation condition '${e.key}' must be a number`);
          else condition[e.key as (typeof COMPARISONS)[number] | 'percentile'] = n;
        } else if (e.key === 'field') {
          if (typeof v === 'string') condition.field = v;
          else fail(e.line, "correlation condition 'field' must be a field name");
        } else {
          fail(e.line, `unknown correlation condition '${e.key}' (use gt, gte, lt, lte, eq, neq, field, percentile)`);
        }
      }
    }
  }
  const hasComparison = COMPARISONS.some((k) => condition[k] !== undefined);
  if (type === 'temporal' || type === 'temporal_ordered') {
    if (!hasComparison && rules) condition.gte = rules.length;
  } else if (type !== null && !hasComparison) {
    fail(condEntry?.line ?? section.line, `a ${type} correlation needs a condition with gt, gte, lt, lte, eq or neq`);
  }
  if (type !== null && type.startsWith('value_') && condition.field === undefined) {
    fail(condEntry?.line ?? section.line, `a ${type} correlation needs 'field' in its condition`);
  }
  if (type === 'value_percentile' && condition.percentile !== undefined && (condition.percentile < 1 || condition.percentile > 99)) {
    fail(condEntry?.line ?? section.line, "correlation condition 'percentile' must be between 1 and 99");
  }

  const aliases: Record<string, Record<string, string>> = {};
  const aliasEntry = entry(section, 'aliases');
  if (aliasEntry) {
    const a = aliasEntry.value;
    if (a.kind !== 'map') fail(a.line, `correlation 'aliases' must be a map, not ${describe(a)}`);
    else {
      for (const alias of a.entries) {
        if (alias.value.kind !== 'map') {
          fail(alias.line, `alias '${alias.key}' must map rule names to field names`);
          continue;
        }
        const byRule: Record<string, string> = {};
        for (const r of alias.value.entries) {
          if (r.value.kind === 'scalar' && typeof r.value.value === 'string') byRule[r.key] = r.value.value;
          else fail(r.line, `alias '${alias.key}' for rule '${r.key}' must be a field name`);
        }
        aliases[alias.key] = byRule;
      }
    }
  }

  const genEntry = entry(section, 'generate');
  let generate = false;
  if (genEntry) {
    const g = genEntry.value;
    if (g.kind === 'scalar' && typeof g.value === 'boolean') generate = g.value;
    else fail(g.line, "correlation 'generate' must be true or false");
  }

  if (!ok || type === null || rules === null || groupBy === null) return null;
  return { ...header, type, rules, groupBy, timespanMs, condition, aliases, generate };
}

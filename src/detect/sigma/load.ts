/**
 * @module detect/sigma/load
 * YAML text → rule models, correlation specs and filters, every problem reported with its file and
 * line as `VIGIL_ERR_SIGMA_RULE`. A file may hold several documents (rules spec "Rule
 * Correlation"; Sigma rule collections): a document with `correlation:` is a correlation rule,
 * one with `filter:` a filter (filters spec), otherwise a detection rule. Collection actions follow
 * pySigma's `SigmaCollection`: `action: global` sets a template deep-merged into every following
 * document, `action: reset` clears it, `action: repeat` merges into the previous rule and emits
 * another rule. A rule with any problem is left out; the others in the file still load.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { VigilError } from '../../core/errors.js';
import type { CorrelationSpec, Logsource, RuleLocation, SigmaLevel } from './contract.js';
import { parseCorrelation } from './correlation-spec.js';
import { parseDetection } from './detection.js';
import type { Report } from './detection.js';
import type { SigmaFilterModel, SigmaRuleModel } from './model.js';
import { deriveRuleId } from './rule-id.js';
import { deepMerge, describe, entry, toLocated, withoutKey } from './yaml-node.js';
import type { LMap, LNode } from './yaml-node.js';

export interface LoadResult {
  rules: SigmaRuleModel[];
  correlations: CorrelationSpec[];
  filters: SigmaFilterModel[];
  errors: VigilError[];
}

const LEVELS: readonly SigmaLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];

export function sigmaRuleError(file: string, line: number, detail: string, column?: number): VigilError {
  const location = column === undefined ? { file, line } : { file, line, column };
  return new VigilError('VIGIL_ERR_SIGMA_RULE', { file, line, detail }, location);
}

/** Loads every document of one Sigma YAML file. */
export function loadSigmaText(text: string, file: string): LoadResult {
  const result: LoadResult = { rules: [], correlations: [], filters: [], errors: [] };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  if (!Array.isArray(docs)) return result;
  let template: LNode | null = null;
  let previous: LMap | null = null;
  const titles = new Map<string, number>();
  docs.forEach((doc) => {
    const report: Report = (line, detail, column) => result.errors.push(sigmaRuleError(file, line, detail, column));
    if (doc.errors.length > 0) {
      for (const e of doc.errors) report(e.linePos?.[0].line ?? 1, `YAML: ${e.message.split('\n')[0] ?? e.message}`);
      return;
    }
    if (doc.contents === null) return;
    const node = toLocated(doc.contents, doc, lines);
    if (node.kind !== 'map') {
      report(node.line, `a Sigma document must be a map, not ${describe(node)}`);
      return;
    }
    const action = entry(node, 'action');
    const actionName = action?.value.kind === 'scalar' ? action.value.value : undefined;
    let merged: LMap;
    if (action === undefined) {
      merged = (template ? deepMerge(template, node) : node) as LMap;
    } else if (actionName === 'global') {
      template = withoutKey(node, 'action');
      return;
    } else if (actionName === 'reset') {
      template = null;
      return;
    } else if (actionName === 'repeat') {
      if (!previous) {
        report(action.line, "'action: repeat' needs a previous rule in the same file");
        return;
      }
      merged = deepMerge(previous, withoutKey(node, 'action')) as LMap;
    } else {
      report(action.line, `unknown collection action '${String(actionName)}' (use global, reset or repeat)`);
      return;
    }
    previous = merged;
    const title = stringField(merged, 'title', () => undefined) ?? '';
    const n = (titles.get(title) ?? 0) + 1;
    titles.set(title, n);
    const derivedId = deriveRuleId(n === 1 ? file : `${file}#${n}`, title);
    if (entry(merged, 'correlation')) loadCorrelation(merged, file, derivedId, report, result);
    else if (entry(merged, 'filter')) loadFilter(merged, file, derivedId, report, result);
    else loadRule(merged, file, derivedId, report, result);
  });
  return result;
}

function stringField(map: LMap, key: string, report: Report, required = false): string | null {
  const e = entry(map, key);
  if (!e) {
    if (required) report(map.line, `'${key}' is required`);
    return null;
  }
  const v = e.value;
  if (v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number') && String(v.value).trim() !== '') return String(v.value);
  report(e.line, `'${key}' must be a non-empty string, not ${describe(v)}`);
  return null;
}

function stringList(map: LMap, key: string, report: Report): string[] {
  const e = entry(map, key);
  if (!e) return [];
  const v = e.value;
  if (v.kind === 'scalar' && typeof v.value === 'string') return [v.value];
  if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar')) {
    return v.items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [String(i.value)] : []));
  }
  report(e.line, `'${key}' must be a list of strings, not ${describe(v)}`);
  return [];
}

function levelOf(map: LMap, report: Report): SigmaLevel | null {
  const level = stringField(map, 'level', report);
  if (level === null) return null;
  if ((LEVELS as readonly string[]).includes(level)) return level as SigmaLevel;
  report(entry(map, 'level')?.line ?? map.line, `'level' must be one of ${LEVELS.join(', ')}, not '${level}'`);
  return null;
}

function logsourceOf(map: LMap, report: Report): Logsource | null {
  const e = entry(map, 'logsource');
  if (!e) {
    report(map.line, "'logsource' is required");
    return null;
  }
  if (e.value.kind !== 'map') {
    report(e.line, `'logsource' must be a map, not ${describe(e.value)}`);
    return null;
  }
  const out: Logsource = {};
  for (const key of ['category', 'product', 'service', 'definition'] as const) {
    const v = stringField(e.value, key, report);
    if (v !== null) out[key] = v;
  }
  return out;
}

function sectionMap(map: LMap, key: string, report: Report): LMap | null {
  const e = entry(map, key);
  if (!e) {
    report(map.line, `'${key}' is required`);
    return null;
  }
  if (e.value.kind !== 'map') {
    report(e.line, `'${key}' must be a map, not ${describe(e.value)}`);
    return null;
  }
  return e.value;
}

/** Runs `build` with a report that also records whether anything failed. */
function tracked<T>(report: Report, build: (r: Report) => T): T | null {
  let failed = false;
  const value = build((line, detail, column) => {
    failed = true;
    report(line, detail, column);
  });
  return failed ? null : value;
}

function loadRule(map: LMap, file: string, derivedId: string, report: Report, out: LoadResult): void {
  const rule = tracked(report, (r): SigmaRuleModel | null => {
    const title = stringField(map, 'title', r, true) ?? '';
    const logsource = logsourceOf(map, r);
    const section = sectionMap(map, 'detection', r);
    const detection = section ? parseDetection(section, r) : null;
    const location: RuleLocation = { file, line: map.line };
    const base = {
      id: stringField(map, 'id', r) ?? derivedId,
      name: stringField(map, 'name', r),
      title,
      description: stringField(map, 'description', () => undefined),
      level: levelOf(map, r),
      status: stringField(map, 'status', r),
      tags: stringList(map, 'tags', r),
      fields: stringList(map, 'fields', () => undefined),
      falsepositives: stringList(map, 'falsepositives', () => undefined),
      location,
    };
    return title !== '' && logsource && detection ? { ...base, logsource, detection } : null;
  });
  if (rule) out.rules.push(rule);
}

function loadCorrelation(map: LMap, file: string, derivedId: string, report: Report, out: LoadResult): void {
  const spec = tracked(report, (r): CorrelationSpec | null => {
    const section = sectionMap(map, 'correlation', r);
    const header = {
      id: stringField(map, 'id', r) ?? derivedId,
      name: stringField(map, 'name', r),
      title: stringField(map, 'title', r, true) ?? '',
      level: levelOf(map, r),
      tags: stringList(map, 'tags', r),
      location: { file, line: map.line },
    };
    return section ? parseCorrelation(section, header, r) : null;
  });
  if (spec) out.correlations.push(spec);
}

function loadFilter(map: LMap, file: string, derivedId: string, report: Report, out: LoadResult): void {
  const filter = tracked(report, (r): SigmaFilterModel | null => {
    const logsource = logsourceOf(map, r);
    const section = sectionMap(map, 'filter', r);
    if (!section) return null;
    const rulesEntry = entry(section, 'rules');
    let rules: string[] = [];
    if (rulesEntry) {
      const v = rulesEntry.value;
      if (v.kind === 'scalar' && typeof v.value === 'string') rules = [v.value];
      else if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string')) {
        rules = v.items.map((i) => (i.kind === 'scalar' ? String(i.value) : ''));
      } else r(rulesEntry.line, `filter 'rules' must be a list of rule ids or names, not ${describe(v)}`);
    }
    const detection = parseDetection(section, r, ['rules']);
    const title = stringField(map, 'title', r, true) ?? '';
    const id = stringField(map, 'id', r) ?? derivedId;
    return logsource && detection && title !== '' ? { id, title, logsource, rules, detection, location: { file, line: map.line } } : null;
  });
  if (filter) out.filters.push(filter);
}

/**
 * @module detect/rule-loader
 * Loads rule files and directories (recursively, `*.yml` / `*.yaml`) into a `RuleSet`: each file
 * is loaded and every rule in it compiled; a file is accepted only when all of its documents
 * compiled into something the engine runs — otherwise it is refused whole, with the reason (file
 * and line). Correlations must refer to rules that exist; filters are applied to the rules they
 * name. Duplicate rule ids are refused (the second file names the first).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { VigilError } from '../core/errors.js';
import type { RuleFileStatus, RuleSet } from './rule-set.js';
import { compileRule } from './sigma/compile.js';
import type { CompiledRule, CorrelationSpec } from './sigma/contract.js';
import { applyFilters } from './sigma/filters.js';
import { loadSigmaText } from './sigma/load.js';
import type { SigmaFilterModel } from './sigma/model.js';

export interface LoadRuleOptions {
  /** Values for `|expand` placeholders (`%Admins%`), from the configuration. */
  placeholders?: Record<string, string[]>;
}

interface FileResult {
  status: RuleFileStatus;
  rules: CompiledRule[];
  correlations: CorrelationSpec[];
  filters: SigmaFilterModel[];
}

/** Every rule file under `path` (or `path` itself), with the name to report it by. */
export function ruleFilesOf(path: string): { file: string; name: string }[] {
  const stat = statSync(path);
  if (stat.isFile()) return [{ file: path, name: relative(dirname(path), path) }];
  const found: { file: string; name: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) found.push({ file: full, name: relative(path, full) });
    }
  };
  walk(path);
  return found;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadFile(file: string, name: string, options: LoadRuleOptions): FileResult {
  const refuse = (error: string): FileResult => ({ status: { file: name, ok: false, error, ruleIds: [] }, rules: [], correlations: [], filters: [] });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return refuse(`cannot read: ${messageOf(error)}`);
  }
  const loaded = loadSigmaText(text, name);
  if (loaded.errors.length > 0) return refuse(loaded.errors.map(messageOf).join('; '));
  if (loaded.rules.length + loaded.correlations.length + loaded.filters.length === 0) return refuse(`${name}: no Sigma rule in the file`);
  const rules: CompiledRule[] = [];
  for (const model of loaded.rules) {
    try {
      rules.push(compileRule(model, options));
    } catch (error) {
      return refuse(messageOf(error));
    }
  }
  return {
    status: { file: name, ok: true, ruleIds: [...rules.map((r) => r.id), ...loaded.correlations.map((c) => c.id)] },
    rules,
    correlations: loaded.correlations,
    filters: loaded.filters,
  };
}

export async function loadRulePaths(paths: readonly string[], options: LoadRuleOptions = {}): Promise<{ ruleSet: RuleSet; files: RuleFileStatus[] }> {
  const results: FileResult[] = [];
  for (const path of paths) {
    let files: { file: string; name: string }[];
    try {
      files = ruleFilesOf(path);
    } catch (error) {
      results.push({ status: { file: path, ok: false, error: `cannot read: ${messageOf(error)}`, ruleIds: [] }, rules: [], correlations: [], filters: [] });
      continue;
    }
    for (const { file, name } of files) results.push(loadFile(file, name, options));
  }

  // Duplicate ids: the first file keeps the id, a later one is refused naming the first.
  const owner = new Map<string, string>();
  for (const result of results) {
    if (!result.status.ok) continue;
    const clash = result.status.ruleIds.find((id) => owner.has(id));
    if (clash !== undefined) {
      refuseResult(result, `duplicate rule id ${clash} (already in ${owner.get(clash)})`);
      continue;
    }
    for (const id of result.status.ruleIds) owner.set(id, result.status.file);
  }

  // Correlations must refer to rules that exist (by id or name), possibly other correlations.
  for (let changed = true; changed; ) {
    changed = false;
    const known = new Set<string>();
    for (const result of results) {
      if (!result.status.ok) continue;
      for (const rule of result.rules) {
        known.add(rule.id);
        if (rule.name !== null) known.add(rule.name);
      }
      for (const correlation of result.correlations) {
        known.add(correlation.id);
        if (correlation.name !== null) known.add(correlation.name);
      }
    }
    for (const result of results) {
      if (!result.status.ok) continue;
      for (const correlation of result.correlations) {
        const missing = correlation.rules.find((ref) => !known.has(ref));
        if (missing !== undefined) {
          refuseResult(result, new VigilError('VIGIL_ERR_SIGMA_RULE', { file: correlation.location.file, line: correlation.location.line, detail: `correlation refers to rule ${missing}, which is not loaded` }).message);
          changed = true;
          break;
        }
      }
    }
  }

  const accepted = results.filter((r) => r.status.ok);
  const filters = accepted.flatMap((r) => r.filters);
  const rules = accepted.flatMap((r) => r.rules);
  return {
    ruleSet: {
      rules: filters.length > 0 ? applyFilters(rules, filters, options) : rules,
      correlations: accepted.flatMap((r) => r.correlations),
      files: results.map((r) => r.status),
      loadedAt: Date.now(),
    },
    files: results.map((r) => r.status),
  };
}

function refuseResult(result: FileResult, error: string): void {
  result.status = { ...result.status, ok: false, error, ruleIds: [] };
  result.rules = [];
  result.correlations = [];
  result.filters = [];
}

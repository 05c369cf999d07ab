/**
 * @module detect/sigma/filters
 * Sigma filters (filters spec v2.1, "Global filter"): a filter names rules by id or name in
 * `filter.rules` and adds `and not <filter condition>` to each. Like pySigma, the filter's
 * logsource must also cover the rule's (every key the filter sets equals the rule's). A filter
 * with no `rules` applies to every rule its logsource covers. The rule's prefilter atoms are
 * unchanged: `x and not y` still needs what `x` needs.
 */
import type { CompiledRule, Logsource } from './contract.js';
import { compileDetection } from './compile.js';
import type { CompileOptions, CompiledDetection } from './compile.js';
import type { SigmaFilterModel } from './model.js';

function covers(filter: Logsource, rule: Logsource): boolean {
  for (const key of ['category', 'product', 'service'] as const) {
    const want = filter[key];
    if (want !== undefined && rule[key] !== want) return false;
  }
  return true;
}

function applies(filter: SigmaFilterModel, rule: CompiledRule): boolean {
  if (!covers(filter.logsource, rule.logsource)) return false;
  if (filter.rules.length === 0) return true;
  return filter.rules.includes(rule.id) || (rule.name !== null && filter.rules.includes(rule.name));
}

/** Returns the rules with every applicable filter AND-NOT-ed into their condition. */
export function applyFilters(rules: readonly CompiledRule[], filters: readonly SigmaFilterModel[], options: CompileOptions = {}): CompiledRule[] {
  const compiled: { model: SigmaFilterModel; detection: CompiledDetection }[] = filters.map((model) => ({
    model,
    detection: compileDetection(model.detection, model.location.file, options),
  }));
  return rules.map((rule) => {
    const mine = compiled.filter((f) => applies(f.model, rule)).map((f) => f.detection.matches);
    if (mine.length === 0) return rule;
    const base = rule.matches;
    const matches: CompiledRule['matches'] = (event, get) => {
      if (!base(event, get)) return false;
      for (const f of mine) if (f(event, get)) return false;
      return true;
    };
    return { ...rule, matches };
  });
}

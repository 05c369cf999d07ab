/**
 * @module detect/sigma/test-rule
 * Test helper: builds a one-search Sigma rule from a detection item and compiles it, so tables of
 * modifier and value cases stay one line each. Flat events are read with `event[field]`.
 */
import type { CompiledRule, FieldGetter } from './contract.js';
import { compileRule } from './compile.js';
import type { CompileOptions } from './compile.js';
import { loadSigmaText } from './load.js';

export const flatGet: FieldGetter = (event, field) =>
  event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[field] : undefined;

/** Loads a whole YAML text that must hold exactly one valid rule, and compiles it. */
export function ruleFromYaml(yaml: string, options: CompileOptions = {}): CompiledRule {
  const res = loadSigmaText(yaml, 'test.yml');
  if (res.errors.length > 0) throw res.errors[0];
  const model = res.rules[0];
  if (!model || res.rules.length !== 1) throw new Error(`expected one rule, got ${res.rules.length}`);
  return compileRule(model, options);
}

/** A rule whose detection is `selection: <detection YAML>` with condition `selection`. */
export function ruleFromSelection(selection: string, options: CompileOptions = {}): CompiledRule {
  const body = selection
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  return ruleFromYaml(`title: t\nlogsource:\n    product: test\ndetection:\n    selection:\n${body}\n    condition: selection\n`, options);
}

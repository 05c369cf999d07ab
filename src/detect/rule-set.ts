/**
 * @module detect/rule-set
 * The rules detection runs: compiled detection rules and correlation specs, with what the
 * operators decided about them (per-organisation switches and exceptions). Immutable: a reload
 * builds a new one and the detection service swaps it in between batches.
 */
import type { CompiledRule, CorrelationSpec } from './sigma/contract.js';

/** One rule file as loaded: its rules, or why it was refused. */
export interface RuleFileStatus {
  file: string;
  ok: boolean;
  error?: string;
  ruleIds: string[];
}

export interface RuleSet {
  rules: readonly CompiledRule[];
  correlations: readonly CorrelationSpec[];
  files: readonly RuleFileStatus[];
  loadedAt: number;
}

export const emptyRuleSet: RuleSet = { rules: [], correlations: [], files: [], loadedAt: 0 };

/** What the API needs of detection, wherever it runs (in process or on its own thread). */
export interface DetectionControl {
  rules(): RuleSet;
  /** Exceptions, per-organisation settings or information systems changed: apply them from the next batch on. */
  reloadControls(): void;
}

/** Something that takes a freshly loaded rule set (the detection service, a catalogue). */
export interface RuleSink {
  setRules(ruleSet: RuleSet): void;
}

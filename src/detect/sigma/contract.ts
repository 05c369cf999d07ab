/**
 * @module detect/sigma/contract
 * The seams between the stages of the Sigma engine, so that each is built and tested alone:
 *  - loading (YAML → rule model, with file and line) and compiling a detection into a matcher;
 *  - field access: how a Sigma field name (`CommandLine`, `cs-uri-query`, `c-ip`) is read from an
 *    event — ECS events through the logsource's mapping, Sigma-native events as they are;
 *  - correlation: base-rule matches in, correlation hits out.
 * Nothing here knows about HTTP, the database or the pipeline.
 */

/** Where a rule (or a part of one) is: the file and 1-based line. */
export interface RuleLocation {
  file: string;
  line: number;
  column?: number;
}

/** Sigma logsource (specification: Sigma rules, "Log Source"). */
export interface Logsource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
}

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/**
 * Reads the value(s) of a Sigma field from an event. Returns undefined when the field is absent;
 * arrays are returned as arrays (a value matches when any element matches). `null` is a value.
 */
export type FieldGetter = (event: unknown, field: string) => unknown;

/** A detection rule compiled into something that runs. */
export interface CompiledRule {
  /** The rule's `id` (UUID) — or, when it has none, a stable id derived from file and title. */
  id: string;
  /** The rule's `name` (used by correlations to refer to it), if any. */
  name: string | null;
  title: string;
  level: SigmaLevel | null;
  status: string | null;
  tags: string[];
  logsource: Logsource;
  location: RuleLocation;
  /** True when the event matches the rule's condition. */
  matches(event: unknown, get: FieldGetter): boolean;
  /** The Sigma field names whose values decided a match (for the alert's "matched fields"). */
  matchedFields(event: unknown, get: FieldGetter): string[];
  /**
   * Lower-cased literal strings of which at least one must occur in some field value for the rule
   * to match, or null when no such set exists. Used to prefilter many rules at once.
   */
  requiredAtoms: readonly string[] | null;
}

/** Comparison of a correlation condition (Sigma correlation rules: "condition"). */
export interface CorrelationCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
  /** For value_count / value_sum / value_avg / value_percentile: the field aggregated. */
  field?: string;
  /** For value_percentile: which percentile (1–99). */
  percentile?: number;
}

export const correlationTypes = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export type CorrelationType = (typeof correlationTypes)[number];

/** A correlation rule, parsed and validated (Sigma correlation rules specification v2.x). */
export interface CorrelationSpec {
  id: string;
  name: string | null;
  title: string;
  level: SigmaLevel | null;
  tags: string[];
  type: CorrelationType;
  /** The rules correlated: ids or names of detection rules or of other correlations (chaining). */
  rules: string[];
  /** Field names grouped by (after alias resolution these are alias names). */
  groupBy: string[];
  /** Window length in milliseconds. */
  timespanMs: number;
  condition: CorrelationCondition;
  /** alias name → (rule id or name → field name in that rule's events). */
  aliases: Record<string, Record<string, string>>;
  /** Whether the correlated rules also produce their own matches (Sigma `generate`). */
  generate: boolean;
  location: RuleLocation;
}

/** One event matched by one rule, fed to the correlation engine in event-time order. */
export interface RuleMatch {
  /** The id of the matching rule (a detection rule, or a correlation when chaining). */
  ruleId: string;
  ruleName: string | null;
  /** Event time, epoch milliseconds. */
  time: number;
  /** Opaque reference to the event (a line number, a store seq), echoed in hits. */
  ref: number;
  /** Reads a field of the matched event (for group-by, aliases and value_* fields). */
  value(field: string): unknown;
}

/** A correlation fired. */
export interface CorrelationHit {
  correlationId: string;
  correlationName: string | null;
  /** The reference of the event that completed it. */
  ref: number;
  time: number;
  /** Group-by field → value. */
  group: Record<string, string>;
  /** References of the events in the window that made it fire (bounded). */
  refs: number[];
}

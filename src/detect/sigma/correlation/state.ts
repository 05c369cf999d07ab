/**
 * @module detect/sigma/correlation/state
 * The correlation engine's state as plain, versioned JSON, so that the pipeline can persist it
 * next to its detection cursor and resume after a restart without losing open windows (DESIGN:
 * "Detection resumes from a persisted cursor after a crash").
 *
 * Per correlation it keeps the watermark (the latest event time seen), the counters and, per
 * group, its latest event time, when it was last updated and the retained events as columns. Aggregates (distinct values, sums, ordered chains) are
 * not stored: they are rebuilt from the events on restore, so they can never disagree with them.
 * Each correlation's state carries a `shape` — the spec fields that decide what the stored events
 * mean (type, rules, group-by, aliases, condition field) — and is dropped on restore when the
 * correlation is gone or its shape changed. Thresholds and timespan may change freely.
 *
 * `parseCorrelationState` checks the whole structure and throws a `CorrelationStateError` naming
 * the first bad path; the engine then checks each group against its spec.
 */
import { VigilError } from '../../../core/errors.js';
import type { CorrelationSpec } from '../contract.js';

export const correlationStateVersion = 1;

export interface CorrelationState {
  version: typeof correlationStateVersion;
  correlations: CorrelationRuntimeState[];
}

export interface CorrelationRuntimeState {
  id: string;
  shape: string;
  /** The latest event time this correlation has seen (epoch ms), or null before the first. */
  watermark: number | null;
  evicted: number;
  late: number;
  missingGroupField: number;
  /** Least recently updated first. */
  groups: GroupState[];
}

export interface GroupState {
  /** The group-by values, in the spec's group-by order. */
  values: string[];
  /** The latest event time the group has seen (its window ends there). */
  maxTime: number;
  /** The correlation's watermark when the group was last updated. */
  touchedAt: number;
  /** Event times, ascending; refs and payloads are parallel to them. */
  times: number[];
  refs: number[];
  /** Rule index (temporal types), distinct-value key (value_count), number (value_*), or 0. */
  payloads: (string | number)[];
}

/** A persisted correlation state that cannot be restored. */
export class CorrelationStateError extends VigilError {
  constructor(path: string, problem: string) {
    super('VIGIL_ERR_VALIDATION', { detail: `correlation state ${path}: ${problem}` }, { field: path });
    this.name = 'CorrelationStateError';
  }
}

/** The fields of a spec that decide what its stored events mean. */
export function correlationShape(spec: CorrelationSpec): string {
  const aliases = Object.keys(spec.aliases)
    .sort()
    .map((alias) => {
      const mapping = spec.aliases[alias] ?? {};
      return [alias, Object.keys(mapping).sort().map((rule) => [rule, mapping[rule]])];
    });
  return JSON.stringify([spec.type, spec.rules, spec.groupBy, aliases, spec.condition.field ?? null]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CorrelationStateError(path, 'expected a finite number');
  return value;
}

function count(value: unknown, path: string): number {
  const n = finiteNumber(value, path);
  if (!Number.isInteger(n) || n < 0) throw new CorrelationStateError(path, 'expected a non-negative integer');
  return n;
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new CorrelationStateError(path, 'expected an array of strings');
  return value as string[];
}

function numberArray(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new CorrelationStateError(path, 'expected an array of finite numbers');
  }
  return value as number[];
}

function parseGroup(value: unknown, path: string): GroupState {
  if (!isRecord(value)) throw new CorrelationStateError(path, 'expected an object');
  const values = stringArray(value.values, `${path}.values`);
  const times = numberArray(value.times, `${path}.times`);
  const refs = numberArray(value.refs, `${path}.refs`);
  const payloads = value.payloads;
  if (!Array.isArray(payloads) || !payloads.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isFinite(p)))) {
    throw new CorrelationStateError(`${path}.payloads`, 'expected an array of strings and finite numbers');
  }
  if (refs.length !== times.length || payloads.length !== times.length) {
    throw new CorrelationStateError(path, 'times, refs and payloads differ in length');
  }
  for (let i = 1; i < times.length; i++) {
    if ((times[i] ?? 0) < (times[i - 1] ?? 0)) throw new CorrelationStateError(`${path}.times[${i}]`, 'times are not ascending');
  }
  const maxTime = finiteNumber(value.maxTime, `${path}.maxTime`);
  const touchedAt = finiteNumber(value.touchedAt, `${path}.touchedAt`);
  const last = times[times.length - 1];
  if (last !== undefined && last > maxTime) throw new CorrelationStateError(`${path}.maxTime`, 'is before the newest event');
  return { values, maxTime, touchedAt, times, refs, payloads: payloads as (string | number)[] };
}

function parseRuntime(value: unknown, path: string): CorrelationRuntimeState {
  if (!isRecord(value)) throw new CorrelationStateError(path, 'expected an object');
  if (typeof value.id !== 'string') throw new CorrelationStateError(`${path}.id`, 'expected a string');
  if (typeof value.shape !== 'string') throw new CorrelationStateError(`${path}.shape`, 'expected a string');
  const watermark = value.watermark === null ? null : finiteNumber(value.watermark, `${path}.watermark`);
  if (!Array.isArray(value.groups)) throw new CorrelationStateError(`${path}.groups`, 'expected an array');
  return {
    id: value.id,
    shape: value.shape,
    watermark,
    evicted: count(value.evicted, `${path}.evicted`),
    late: count(value.late, `${path}.late`),
    missingGroupField: count(value.missingGroupField, `${path}.missingGroupField`),
    groups: value.groups.map((g, i) => parseGroup(g, `${path}.groups[${i}]`)),
  };
}

/** Checks that a parsed JSON value is a correlation state of this version. */
export function parseCorrelationState(value: unknown): CorrelationState {
  if (!isRecord(value)) throw new CorrelationStateError('$', 'expected an object');
  if (value.version !== correlationStateVersion) {
    throw new CorrelationStateError('$.version', `expected ${correlationStateVersion}, found ${JSON.stringify(value.version) ?? 'nothing'}`);
  }
  if (!Array.isArray(value.correlations)) throw new CorrelationStateError('$.correlations', 'expected an array');
  return {
    version: correlationStateVersion,
    correlations: value.correlations.map((c, i) => parseRuntime(c, `$.correlations[${i}]`)),
  };
}

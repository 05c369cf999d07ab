/**
 * @module detect/sigma/correlation/engine
 * The correlation engine: base-rule matches in, correlation hits out (Sigma correlation rules
 * specification v2.1.0). Correlations are indexed at construction by every entry of their
 * `rules` — an id or a name ("Related rules": "A rule can be referred to by the `id` or `name`") —
 * so a match reaches only the correlations that reference its rule id or name, O(1) each.
 *
 * Chaining ("Allowing the user to chain multiple correlations together"): a hit is fed back, in
 * the same `process` call, as a match of the rule whose id and name are the correlation's, at the
 * completing event's time and ref, whose fields are the hit's group-by values (like the rows a
 * backend's inner correlation query returns). Hits come out in firing order, inner before outer,
 * all of them: whether an intermediate correlation is also alerted on (`generate`) is the
 * caller's decision. A correlation never consumes a hit derived from its own — cycles stop.
 *
 * Window, grouping, firing and bounds: see `correlation-runtime.ts`.
 */
import { VigilError } from '../../../core/errors.js';
import type { CorrelationHit, CorrelationSpec, RuleMatch } from '../contract.js';
import { CorrelationRuntime, type CorrelationLimits } from './correlation-runtime.js';
import { correlationStateVersion, parseCorrelationState, type CorrelationState } from './state.js';

export interface CorrelationEngineOptions {
  /** Groups kept per correlation; the least recently updated is evicted beyond it. Default 100 000. */
  maxGroupsPerCorrelation?: number;
  /** Events kept per group; the oldest is dropped beyond it. Default 10 000. */
  maxEventsPerGroup?: number;
}

export interface CorrelationEngineStats {
  /** Groups currently held, over all correlations. */
  groups: number;
  /** Groups evicted because a correlation held `maxGroupsPerCorrelation`. */
  evicted: number;
  /** Matches dropped because they arrived more than a timespan behind the latest seen. */
  late: number;
  /** Matches skipped because a group-by field was absent from the event. */
  missingGroupField: number;
}

export const defaultMaxGroupsPerCorrelation = 100_000;
export const defaultMaxEventsPerGroup = 10_000;

interface RuleReference {
  readonly runtime: CorrelationRuntime;
  /** The position of the referenced rule in the correlation's `rules`. */
  readonly ruleIndex: number;
}

const noHits: CorrelationHit[] = Object.freeze([]) as unknown as CorrelationHit[];

function specError(spec: CorrelationSpec, detail: string): VigilError {
  const { file, line } = spec.location;
  return new VigilError('VIGIL_ERR_SIGMA_RULE', { file, line, detail: `correlation ${spec.id}: ${detail}` }, { file, line });
}

function checkSpec(spec: CorrelationSpec): void {
  if (!(spec.timespanMs > 0) || !Number.isFinite(spec.timespanMs)) throw specError(spec, 'timespan must be a positive duration');
  if (spec.rules.length === 0) throw specError(spec, 'rules must list at least one rule');
  const needsField = spec.type === 'value_count' || spec.type === 'value_sum' || spec.type === 'value_avg' || spec.type === 'value_percentile';
  if (needsField && spec.condition.field === undefined) throw specError(spec, `${spec.type} requires condition.field`);
  const p = spec.condition.percentile;
  if (p !== undefined && !(p >= 1 && p <= 99)) throw specError(spec, 'condition.percentile must be between 1 and 99');
}

function positiveLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new VigilError('VIGIL_ERR_CONFIG', { detail: `${name} must be a positive integer` });
  return value;
}

export class CorrelationEngine {
  private readonly runtimes: CorrelationRuntime[] = [];
  private readonly byReference = new Map<string, RuleReference[]>();

  constructor(specs: CorrelationSpec[], options: CorrelationEngineOptions = {}) {
    const limits: CorrelationLimits = {
      maxGroupsPerCorrelation: positiveLimit(options.maxGroupsPerCorrelation, defaultMaxGroupsPerCorrelation, 'maxGroupsPerCorrelation'),
      maxEventsPerGroup: positiveLimit(options.maxEventsPerGroup, defaultMaxEventsPerGroup, 'maxEventsPerGroup'),
    };
    const ids = new Set<string>();
    for (const spec of specs) {
      checkSpec(spec);
      if (ids.has(spec.id)) throw specError(spec, 'another correlation has the same id');
      ids.add(spec.id);
      const runtime = new CorrelationRuntime(spec, limits);
      this.runtimes.push(runtime);
      spec.rules.forEach((reference, ruleIndex) => {
        const list = this.byReference.get(reference);
        if (list === undefined) this.byReference.set(reference, [{ runtime, ruleIndex }]);
        // A rule listed twice (the schema forbids it) counts once, at its first place.
        else if (!list.some((r) => r.runtime === runtime)) list.push({ runtime, ruleIndex });
      });
    }
    for (const runtime of this.runtimes) {
      const { id, name } = runtime.spec;
      runtime.hasDependents = this.byReference.has(id) || (name !== null && this.byReference.has(name));
    }
  }

  /** Feeds one match; returns the hits it completed (chained hits included), usually none. */
  process(match: RuleMatch): CorrelationHit[] {
    return this.dispatch(match, undefined, undefined) ?? noHits;
  }

  /** The state as plain JSON, to persist and pass to `restore` after a restart. */
  snapshot(): CorrelationState {
    return { version: correlationStateVersion, correlations: this.runtimes.map((r) => r.toState()) };
  }

  /**
   * An engine for `specs` resuming from a snapshot (as parsed from JSON). State of correlations
   * no longer present, or whose type, rules, group-by, aliases or field changed, is ignored.
   * Throws `CorrelationStateError` when the state is malformed.
   */
  static restore(specs: CorrelationSpec[], state: unknown, options?: CorrelationEngineOptions): CorrelationEngine {
    const parsed = parseCorrelationState(state);
    const engine = new CorrelationEngine(specs, options);
    const byId = new Map(engine.runtimes.map((r) => [r.spec.id, r]));
    parsed.correlations.forEach((stored, i) => {
      const runtime = byId.get(stored.id);
      if (runtime === undefined || runtime.shape !== stored.shape) return;
      byId.delete(stored.id);
      runtime.loadState(stored, `$.correlations[${i}]`);
    });
    return engine;
  }

  stats(): CorrelationEngineStats {
    const stats: CorrelationEngineStats = { groups: 0, evicted: 0, late: 0, missingGroupField: 0 };
    for (const r of this.runtimes) {
      stats.groups += r.groupCount;
      stats.evicted += r.evicted;
      stats.late += r.late;
      stats.missingGroupField += r.missingGroupField;
    }
    return stats;
  }

  /**
   * Offers a match to every correlation referencing its rule by id or name (each at most once),
   * then feeds each hit to the correlations consuming it. `path` holds the correlations whose
   * hits this match derives from: they are not offered it again (cycle protection).
   */
  private dispatch(match: RuleMatch, path: ReadonlySet<CorrelationRuntime> | undefined, hits: CorrelationHit[] | undefined): CorrelationHit[] | undefined {
    const byId = this.byReference.get(match.ruleId);
    const byName = match.ruleName === null ? undefined : this.byReference.get(match.ruleName);
    if (byId !== undefined) hits = this.offer(match, byId, undefined, path, hits);
    if (byName !== undefined && byName !== byId) hits = this.offer(match, byName, byId, path, hits);
    return hits;
  }

  private offer(
    match: RuleMatch,
    references: readonly RuleReference[],
    alreadyOffered: readonly RuleReference[] | undefined,
    path: ReadonlySet<CorrelationRuntime> | undefined,
    hits: CorrelationHit[] | undefined,
  ): CorrelationHit[] | undefined {
    for (const { runtime, ruleIndex } of references) {
      if (path?.has(runtime) === true) continue;
      if (alreadyOffered?.some((r) => r.runtime === runtime) === true) continue;
      const hit = runtime.accept(match, ruleIndex);
      if (hit === undefined) continue;
      (hits ??= []).push(hit);
      if (runtime.hasDependents) {
        const derivedPath = new Set(path);
        derivedPath.add(runtime);
        hits = this.dispatch(hitAsMatch(hit), derivedPath, hits);
      }
    }
    return hits;
  }
}

/** A correlation hit as a match of the correlation's own rule, for the correlations chained on it. */
function hitAsMatch(hit: CorrelationHit): RuleMatch {
  const group = hit.group;
  return {
    ruleId: hit.correlationId,
    ruleName: hit.correlationName,
    time: hit.time,
    ref: hit.ref,
    value: (field) => (Object.hasOwn(group, field) ? group[field] : undefined),
  };
}

/**
 * @module detect/sigma/correlation/correlation-runtime
 * One correlation rule at run time: its groups, each with a sliding event-time window and an
 * incremental aggregate (Sigma correlation rules specification v2.1.0, "Correlation section",
 * "Field Name Aliases").
 *
 * Behaviour the spec leaves open, decided here:
 * - Window: over event time, inclusive — events `timespan` apart are "within" it. A group's
 *   window ends at the latest event time that group has seen; events older than
 *   `that − timespan` are evicted, and an event arriving that late is dropped and counted
 *   (`late`). So arrival may be out of order by up to one timespan. Lateness is per group, not
 *   per correlation, so that a sensor whose forwarder lags (or a replayed file) is correlated
 *   on its own time instead of being dropped as late behind other organisations' live traffic.
 * - Missing group-by field: the event is skipped for this correlation and counted
 *   (`missingGroupField`), as `stats … by` / `terms` in the backends pySigma targets drop events
 *   without the by-field; grouping them under "" would add up unrelated users.
 * - After firing, the group's window is cleared: a hit consumes its events, and the next hit
 *   needs the condition to hold again on events after it. This is what the backends' queries
 *   yield (one result per group per window of events, no event counted in two results) and keeps
 *   a burst bounded: 100 failed logins in a minute with `gte: 10` give 10 hits, not 91.
 * - The condition is tested when an event enters a group, so a condition with only upper bounds
 *   (`lt: 3`) holds on the first event; "fewer than N by the end of the window" would need
 *   window-close evaluation, which this engine does not do.
 * - Aliases apply to the group-by fields and also to `condition.field` when it names an alias.
 * - Bounded state: at most `maxGroupsPerCorrelation` groups (the least recently updated is evicted
 *   and counted) and `maxEventsPerGroup` events per group (the oldest is dropped, so counts
 *   saturate there). A group not updated while the correlation's watermark (its latest event
 *   time over all groups) advanced by a timespan is idle and pruned from the front of the LRU
 *   order, a few per event, never by a full scan.
 */
import type { CorrelationHit, CorrelationSpec, RuleMatch } from '../contract.js';
import { createAggregate, type WindowAggregate } from './aggregates.js';
import { defaultPercentile, thresholdHolds, thresholdOf, type Threshold } from './condition.js';
import { EventWindow, type Payload } from './event-window.js';
import { canonicalFieldValue, groupKey, numericFieldValue } from './field-value.js';
import { LruTable, type LruEntry } from './lru-table.js';
import type { CorrelationRuntimeState, GroupState } from './state.js';
import { CorrelationStateError, correlationShape } from './state.js';

export interface CorrelationLimits {
  maxGroupsPerCorrelation: number;
  maxEventsPerGroup: number;
}

/** At most this many event refs are attached to a hit. */
export const maxHitRefs = 100;
/** Idle groups pruned at most from the front of the LRU order per accepted event. */
const prunePerEvent = 2;

type PayloadKind = 'none' | 'rule' | 'distinct' | 'number';

function payloadKindOf(spec: CorrelationSpec): PayloadKind {
  switch (spec.type) {
    case 'event_count':
      return 'none';
    case 'temporal':
    case 'temporal_ordered':
      return 'rule';
    case 'value_count':
      return 'distinct';
    default:
      return 'number';
  }
}

interface Group extends LruEntry<Group> {
  /** The group-by values; null when there is one group-by field (its value is the key). */
  readonly values: string[] | null;
  readonly window: EventWindow;
  readonly aggregate: WindowAggregate;
  /** The latest event time this group has seen (kept across firing): its window ends there. */
  maxTime: number;
  /** The correlation's watermark when the group was last updated (for pruning idle groups). */
  touchedAt: number;
}

/** Which event fields a given referenced rule's matches are read from, aliases resolved. */
interface FieldPlan {
  readonly groupFields: readonly string[];
  readonly valueField: string | undefined;
}

function ownMap(record: Record<string, string> | undefined): Map<string, string> | undefined {
  if (record === undefined) return undefined;
  return new Map(Object.keys(record).flatMap((k) => (typeof record[k] === 'string' ? [[k, record[k]] as [string, string]] : [])));
}

export class CorrelationRuntime {
  readonly shape: string;
  /** The latest event time seen (−∞ before the first). */
  watermark = Number.NEGATIVE_INFINITY;
  evicted = 0;
  late = 0;
  missingGroupField = 0;
  /** Set by the engine: whether other correlations consume this one's hits. */
  hasDependents = false;

  private readonly threshold: Threshold;
  private readonly percentile: number;
  private readonly kind: PayloadKind;
  private readonly aliases: Map<string, Map<string, string> | undefined>;
  private readonly plans = new Map<string, FieldPlan>();
  private readonly groups = new LruTable<Group>();
  /** The group-by values of the event being accepted (reused: no allocation per event). */
  private readonly scratch: string[];

  constructor(
    readonly spec: CorrelationSpec,
    private readonly limits: CorrelationLimits,
  ) {
    this.shape = correlationShape(spec);
    this.threshold = thresholdOf(spec);
    this.percentile = spec.condition.percentile ?? defaultPercentile;
    this.kind = payloadKindOf(spec);
    this.scratch = new Array<string>(spec.groupBy.length).fill('');
    this.aliases = new Map(Object.keys(spec.aliases).map((alias) => [alias, ownMap(spec.aliases[alias])]));
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** Takes one match of the rule at `ruleIndex` of `spec.rules`; returns a hit when it fires. */
  accept(match: RuleMatch, ruleIndex: number): CorrelationHit | undefined {
    const time = match.time;
    if (!Number.isFinite(time)) return undefined;
    if (time > this.watermark) this.watermark = time;
    const plan = this.planFor(match);
    const fields = plan.groupFields;
    const values = this.scratch;
    for (let i = 0; i < fields.length; i++) {
      const value = canonicalFieldValue(match.value(fields[i] ?? ''));
      if (value === undefined) {
        this.missingGroupField++;
        return undefined;
      }
      values[i] = value;
    }
    const payload = this.payloadOf(match, plan, ruleIndex);
    if (payload === undefined) return undefined;

    const group = this.touch(groupKey(values));
    const span = this.spec.timespanMs;
    if (time < group.maxTime - span) {
      this.late++;
      return undefined;
    }
    if (time > group.maxTime) group.maxTime = time;
    const windowStart = group.maxTime - span;
    const { window, aggregate } = group;
    window.evictBefore(windowStart, aggregate);
    const inOrder = window.insert(time, match.ref, payload);
    if (inOrder || !aggregate.orderSensitive) aggregate.add(payload, time);
    else rebuild(group);
    if (window.size > this.limits.maxEventsPerGroup) window.evictOldest(aggregate);

    const measure = aggregate.measure(Math.max(windowStart, window.oldestTime ?? windowStart), window.size);
    if (measure === undefined || !thresholdHolds(this.threshold, measure)) return undefined;
    const hit: CorrelationHit = {
      correlationId: this.spec.id,
      correlationName: this.spec.name,
      ref: match.ref,
      time,
      group: groupRecord(this.spec.groupBy, group.values ?? [group.key]),
      refs: window.sampleRefs(maxHitRefs),
    };
    window.clear();
    aggregate.clear();
    return hit;
  }

  toState(): CorrelationRuntimeState {
    const groups: GroupState[] = [];
    for (const group of this.groups.values()) {
      groups.push({
        values: group.values?.slice() ?? [group.key],
        maxTime: group.maxTime,
        touchedAt: group.touchedAt,
        ...group.window.toColumns(),
      });
    }
    return {
      id: this.spec.id,
      shape: this.shape,
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      evicted: this.evicted,
      late: this.late,
      missingGroupField: this.missingGroupField,
      groups,
    };
  }

  /** Loads a state whose shape matches this spec; `path` locates it for errors. */
  loadState(state: CorrelationRuntimeState, path: string): void {
    this.watermark = state.watermark ?? Number.NEGATIVE_INFINITY;
    this.evicted = state.evicted;
    this.late = state.late;
    this.missingGroupField = state.missingGroupField;
    const { maxGroupsPerCorrelation, maxEventsPerGroup } = this.limits;
    const skip = Math.max(0, state.groups.length - maxGroupsPerCorrelation);
    this.evicted += skip;
    for (let g = skip; g < state.groups.length; g++) {
      const stored = state.groups[g];
      if (stored === undefined) continue;
      const groupPath = `${path}.groups[${g}]`;
      if (stored.values.length !== this.spec.groupBy.length) {
        throw new CorrelationStateError(`${groupPath}.values`, `expected ${this.spec.groupBy.length} group-by values`);
      }
      for (let i = 0; i < stored.values.length; i++) this.scratch[i] = stored.values[i] ?? '';
      const group = this.createGroup(groupKey(this.scratch));
      group.maxTime = stored.maxTime;
      group.touchedAt = stored.touchedAt;
      const first = Math.max(0, stored.times.length - maxEventsPerGroup);
      for (let i = first; i < stored.times.length; i++) {
        const payload = stored.payloads[i] ?? 0;
        this.checkPayload(payload, `${groupPath}.payloads[${i}]`);
        group.window.insert(stored.times[i] ?? 0, stored.refs[i] ?? 0, payload);
      }
      rebuild(group);
    }
  }

  private checkPayload(payload: Payload, path: string): void {
    const ok =
      this.kind === 'none'
        ? typeof payload === 'number'
        : this.kind === 'rule'
          ? typeof payload === 'number' && Number.isInteger(payload) && payload >= 0 && payload < this.spec.rules.length
          : this.kind === 'distinct'
            ? typeof payload === 'string'
            : typeof payload === 'number';
    if (!ok) throw new CorrelationStateError(path, `not a valid ${this.spec.type} payload`);
  }

  private payloadOf(match: RuleMatch, plan: FieldPlan, ruleIndex: number): Payload | undefined {
    switch (this.kind) {
      case 'none':
        return 0;
      case 'rule':
        return ruleIndex;
      case 'distinct':
        return plan.valueField === undefined ? undefined : canonicalFieldValue(match.value(plan.valueField));
      case 'number':
        return plan.valueField === undefined ? undefined : numericFieldValue(match.value(plan.valueField));
    }
  }

  /** The group for `key`, created or marked as the most recently updated. */
  private touch(key: string): Group {
    const group = this.groups.get(key);
    if (group === undefined) {
      const full = this.groups.size >= this.limits.maxGroupsPerCorrelation;
      this.pruneIdle(full ? Infinity : prunePerEvent);
      if (this.groups.size >= this.limits.maxGroupsPerCorrelation) {
        const oldest = this.groups.oldest();
        if (oldest !== null) {
          this.groups.delete(oldest);
          this.evicted++;
        }
      }
      return this.createGroup(key);
    }
    group.touchedAt = this.watermark;
    this.groups.touch(group);
    this.pruneIdle(prunePerEvent);
    return group;
  }

  /**
   * Deletes up to `budget` groups from the least recently updated end that were not updated
   * while the correlation's watermark advanced by more than a timespan, stopping at the first
   * that was. `touchedAt` grows along the LRU order, so that one and all after it are live; the
   * group just touched has `touchedAt` = watermark and is never pruned.
   */
  private pruneIdle(budget: number): void {
    const idleBefore = this.watermark - this.spec.timespanMs;
    for (let pruned = 0; pruned < budget; pruned++) {
      const oldest = this.groups.oldest();
      if (oldest === null || oldest.touchedAt >= idleBefore) return;
      this.groups.delete(oldest);
    }
  }

  /** A new group for the key of the values in `scratch`. */
  private createGroup(key: string): Group {
    const aggregate = createAggregate(this.spec.type, this.spec.rules.length, this.spec.timespanMs, this.percentile);
    const values = this.scratch.length === 1 ? null : this.scratch.slice();
    const group: Group = {
      key,
      prev: null,
      next: null,
      values,
      window: new EventWindow(this.kind !== 'none'),
      aggregate,
      maxTime: Number.NEGATIVE_INFINITY,
      touchedAt: this.watermark,
    };
    this.groups.add(group);
    return group;
  }

  private planFor(match: RuleMatch): FieldPlan {
    let plan = this.plans.get(match.ruleId);
    if (plan === undefined) {
      const resolve = (field: string): string => {
        const mapping = this.aliases.get(field);
        if (mapping === undefined) return field;
        return mapping.get(match.ruleId) ?? (match.ruleName !== null ? mapping.get(match.ruleName) : undefined) ?? field;
      };
      const valueField = this.spec.condition.field;
      plan = { groupFields: this.spec.groupBy.map(resolve), valueField: valueField === undefined ? undefined : resolve(valueField) };
      this.plans.set(match.ruleId, plan);
    }
    return plan;
  }
}

/** Re-derives a group's aggregate from its retained events, in time order. */
function rebuild(group: Group): void {
  group.aggregate.clear();
  group.window.forEach((time, _ref, payload) => group.aggregate.add(payload, time));
}

function groupRecord(fields: readonly string[], values: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    // A field literally named __proto__ must become a property, not the record's prototype.
    Object.defineProperty(record, field, { value: values[i] ?? '', enumerable: true, writable: true, configurable: true });
  }
  return record;
}

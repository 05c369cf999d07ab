/**
 * @module warn/measures
 * Measures of prevention and response (issue 6, item 6), per organisation and rolled up its
 * subtree, from records the caller has already read in its scope: warning recipients, incidents,
 * the systems inventory and when each sensor last sent an event. Pure: no store, no clock — `now`
 * and the period are inputs, so a figure can be checked by hand.
 *
 * Definitions (each figure of an organisation is over its own records; the subtree's figure pools
 * the records of the organisation and all its descendants — medians are of the pooled samples,
 * never a median of medians):
 * - Time to acknowledge: `acknowledgedAt − notifiedAt` of the recipients of warnings issued in the
 *   period. Median and 90th percentile by linear interpolation between closest ranks (the common
 *   "R-7" definition: the median of an even count is the mean of the two middle values).
 * - Time to remediate: from `notifiedAt` to the last report of the recipient once every system it
 *   was warned about is `remediated` or `not-affected`.
 * - Acknowledged in time: acknowledged at or before the deadline, out of the recipients whose
 *   outcome is known — acknowledged, or not acknowledged with the deadline passed. Recipients still
 *   within their deadline are not counted either way. The same for remediation.
 * - Overdue now: over every issued warning, whatever the period — not acknowledged with the
 *   acknowledgement deadline passed; not remediated with the remediation deadline passed.
 * - Incidents: open ones by severity now; for those created in the period, time to acknowledge
 *   (`acknowledgedAt − createdAt`) and to resolve (`resolvedAt − createdAt`), mean (MTTA, MTTR),
 *   median and 90th percentile.
 * - Coverage: registered systems with no sensor, and those whose sensors sent no event within the
 *   silence window (default one day) before `now`.
 * - Systems whose security plan is not approved, and whose security budget is known and under a
 *   tenth of the project's (inventory/model `securityBudgetBelowMinimum`).
 */
import { alertSeverities, type AlertSeverity, type Organization } from '../core/model.js';
import type { InformationSystem } from '../inventory/model.js';
import { isOpen, type Incident } from './incident-model.js';
import { remediated, type WarningRecipient } from './warning-model.js';

/** A recipient with its warning's deadlines and issue time (`WarningRepository.allRecipients`). */
export interface RecipientRecord extends WarningRecipient {
  ackDeadline: string;
  remediationDeadline: string;
  issuedAt: string;
}

export interface MeasureInputs {
  /** Epoch ms. */
  now: number;
  /** Epoch ms, `[from, to)`: which warnings (by issue time) and incidents (by creation) count. */
  period: { from: number; to: number };
  /** The organisations in the caller's scope; roll-ups follow `parentId` among them. */
  orgs: readonly Organization[];
  /** Recipients of issued warnings — all of them, for "overdue now"; the period filters the rest. */
  recipients: readonly RecipientRecord[];
  /** Incidents owned in the scope: at least the open ones and those created in the period. */
  incidents: readonly Incident[];
  systems: readonly InformationSystem[];
  /** Sensor id → epoch ms of its latest event within the silence window. */
  sensorLastEvent: ReadonlyMap<string, number>;
  /** How long without an event makes a sensor silent; default one day. */
  silenceMs?: number;
  /** At most this many entries in each list (counts stay exact); default no limit. */
  listLimit?: number;
}

export const defaultSilenceMs = 24 * 3_600_000;

export interface DurationSummary {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface SystemRef {
  id: string;
  name: string;
  orgId: string;
}

export interface SilentSystem extends SystemRef {
  sensorIds: string[];
}

/** A list cut to `listLimit` entries, with the exact count. */
export interface Listed<T> {
  count: number;
  items: T[];
}

export interface OverdueItem {
  warningId: string;
  orgId: string;
  what: 'acknowledgement' | 'remediation';
  deadline: string;
  overdueSeconds: number;
}

export interface Measures {
  warnings: {
    /** Recipient records of warnings issued in the period. */
    received: number;
    acknowledged: number;
    acknowledgedInTime: number;
    /** Acknowledged after the deadline, or not at all with the deadline passed. */
    missedAckDeadline: number;
    /** `acknowledgedInTime / (acknowledgedInTime + missedAckDeadline)`; null when both are 0. */
    shareAcknowledgedInTime: number | null;
    timeToAcknowledge: DurationSummary;
    remediated: number;
    remediatedInTime: number;
    missedRemediationDeadline: number;
    shareRemediatedInTime: number | null;
    timeToRemediate: DurationSummary;
  };
  overdue: {
    /** Acknowledgements and remediations whose deadline has passed, met or not (the share's base). */
    due: number;
    acknowledgement: number;
    remediation: number;
    items: Listed<OverdueItem>;
  };
  incidents: {
    open: number;
    openBySeverity: Record<AlertSeverity, number>;
    /** Created in the period. */
    created: number;
    timeToAcknowledge: DurationSummary;
    timeToResolve: DurationSummary;
  };
  coverage: {
    systems: number;
    /** Systems with a sensor that sent an event within the silence window. */
    reporting: number;
    shareReporting: number | null;
    withoutSensor: Listed<SystemRef>;
    /** Systems whose sensors sent nothing within the silence window ("which systems send nothing"). */
    silent: Listed<SilentSystem>;
  };
  securityPlanUnapproved: Listed<SystemRef>;
  securityBudget: {
    /** Systems whose budget share is known (total and security given, total above 0). */
    known: number;
    belowMinimum: Listed<SystemRef>;
  };
}

export interface OrgMeasures {
  orgId: string;
  /** The organisation's own records. */
  own: Measures;
  /** The organisation and every descendant in the scope. */
  subtree: Measures;
}

/** The raw material of one organisation's (or subtree's) measures: samples and counts that add up. */
interface Samples {
  received: number;
  acknowledged: number;
  ackInTime: number;
  ackMissed: number;
  ackMs: number[];
  remediated: number;
  remInTime: number;
  remMissed: number;
  remMs: number[];
  due: number;
  overdueAck: number;
  overdueRem: number;
  overdueItems: OverdueItem[];
  open: number;
  openBySeverity: Record<AlertSeverity, number>;
  created: number;
  incidentAckMs: number[];
  incidentResolveMs: number[];
  systems: number;
  reporting: number;
  withoutSensor: SystemRef[];
  silent: SilentSystem[];
  unapproved: SystemRef[];
  budgetKnown: number;
  budgetBelow: SystemRef[];
}

function bySeverity(): Record<AlertSeverity, number> {
  return Object.fromEntries(alertSeverities.map((s) => [s, 0])) as Record<AlertSeverity, number>;
}

function emptySamples(): Samples {
  return {
    received: 0, acknowledged: 0, ackInTime: 0, ackMissed: 0, ackMs: [], remediated: 0, remInTime: 0, remMissed: 0, remMs: [],
    due: 0, overdueAck: 0, overdueRem: 0, overdueItems: [], open: 0, openBySeverity: bySeverity(), created: 0, incidentAckMs: [], incidentResolveMs: [],
    systems: 0, reporting: 0, withoutSensor: [], silent: [], unapproved: [], budgetKnown: 0, budgetBelow: [],
  };
}

/** Adds `from` into `into` (counts summed, samples and lists concatenated). */
function addSamples(into: Samples, from: Samples): void {
  const counts = ['received', 'acknowledged', 'ackInTime', 'ackMissed', 'remediated', 'remInTime', 'remMissed', 'due', 'overdueAck', 'overdueRem', 'open', 'created', 'systems', 'reporting', 'budgetKnown'] as const;
  for (const key of counts) into[key] += from[key];
  for (const s of alertSeverities) into.openBySeverity[s] += from.openBySeverity[s];
  into.ackMs.push(...from.ackMs);
  into.remMs.push(...from.remMs);
  into.overdueItems.push(...from.overdueItems);
  into.incidentAckMs.push(...from.incidentAckMs);
  into.incidentResolveMs.push(...from.incidentResolveMs);
  into.withoutSensor.push(...from.withoutSensor);
  into.silent.push(...from.silent);
  into.unapproved.push(...from.unapproved);
  into.budgetBelow.push(...from.budgetBelow);
}

/** The `q` quantile (0–1) of sorted values, interpolating linearly between closest ranks. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export function summariseDurations(ms: readonly number[]): DurationSummary {
  if (ms.length === 0) return { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null };
  const sorted = [...ms].sort((a, b) => a - b);
  const seconds = (v: number | null): number | null => (v === null ? null : Math.round(v) / 1000);
  return {
    count: sorted.length,
    meanSeconds: seconds(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
    medianSeconds: seconds(quantile(sorted, 0.5)),
    p90Seconds: seconds(quantile(sorted, 0.9)),
  };
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function listed<T>(items: T[], limit: number): Listed<T> {
  return { count: items.length, items: items.length > limit ? items.slice(0, limit) : items };
}

function summarise(s: Samples, limit: number): Measures {
  const byId = (a: SystemRef, b: SystemRef): number => (a.orgId === b.orgId ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.orgId < b.orgId ? -1 : 1);
  const overdueItems = [...s.overdueItems].sort((a, b) => b.overdueSeconds - a.overdueSeconds || (a.warningId < b.warningId ? -1 : 1));
  return {
    warnings: {
      received: s.received,
      acknowledged: s.acknowledged,
      acknowledgedInTime: s.ackInTime,
      missedAckDeadline: s.ackMissed,
      shareAcknowledgedInTime: share(s.ackInTime, s.ackInTime + s.ackMissed),
      timeToAcknowledge: summariseDurations(s.ackMs),
      remediated: s.remediated,
      remediatedInTime: s.remInTime,
      missedRemediationDeadline: s.remMissed,
      shareRemediatedInTime: share(s.remInTime, s.remInTime + s.remMissed),
      timeToRemediate: summariseDurations(s.remMs),
    },
    overdue: { due: s.due, acknowledgement: s.overdueAck, remediation: s.overdueRem, items: listed(overdueItems, limit) },
    incidents: {
      open: s.open,
      openBySeverity: { ...s.openBySeverity },
      created: s.created,
      timeToAcknowledge: summariseDurations(s.incidentAckMs),
      timeToResolve: summariseDurations(s.incidentResolveMs),
    },
    coverage: {
      systems: s.systems,
      reporting: s.reporting,
      shareReporting: share(s.reporting, s.systems),
      withoutSensor: listed([...s.withoutSensor].sort(byId), limit),
      silent: listed([...s.silent].sort(byId), limit),
    },
    securityPlanUnapproved: listed([...s.unapproved].sort(byId), limit),
    securityBudget: { known: s.budgetKnown, belowMinimum: listed([...s.budgetBelow].sort(byId), limit) },
  };
}

/** When the recipient finished remediating (its last report), or null while it has not. */
export function remediatedAt(recipient: WarningRecipient): number | null {
  if (!remediated(recipient)) return null;
  let last: number | null = null;
  for (const report of recipient.remediation) {
    if (report.reportedAt === null) continue;
    const at = Date.parse(report.reportedAt);
    if (last === null || at > last) last = at;
  }
  return last;
}

function addRecipient(s: Samples, r: RecipientRecord, now: number, period: { from: number; to: number }): void {
  const notified = Date.parse(r.notifiedAt);
  const ackDeadline = Date.parse(r.ackDeadline);
  const remDeadline = Date.parse(r.remediationDeadline);
  const ackAt = r.acknowledgedAt === null ? null : Date.parse(r.acknowledgedAt);
  const doneAt = remediatedAt(r);
  const done = remediated(r);
  if (now > ackDeadline) s.due += 1;
  if (now > remDeadline) s.due += 1;
  if (ackAt === null && now > ackDeadline) {
    s.overdueAck += 1;
    s.overdueItems.push({ warningId: r.warningId, orgId: r.orgId, what: 'acknowledgement', deadline: r.ackDeadline, overdueSeconds: Math.round((now - ackDeadline) / 1000) });
  }
  if (!done && now > remDeadline) {
    s.overdueRem += 1;
    s.overdueItems.push({ warningId: r.warningId, orgId: r.orgId, what: 'remediation', deadline: r.remediationDeadline, overdueSeconds: Math.round((now - remDeadline) / 1000) });
  }
  const issued = Date.parse(r.issuedAt);
  if (!(issued >= period.from && issued < period.to)) return;
  s.received += 1;
  if (ackAt !== null) {
    s.acknowledged += 1;
    s.ackMs.push(Math.max(0, ackAt - notified));
    if (ackAt <= ackDeadline) s.ackInTime += 1;
    else s.ackMissed += 1;
  } else if (now > ackDeadline) s.ackMissed += 1;
  if (doneAt !== null) {
    s.remediated += 1;
    s.remMs.push(Math.max(0, doneAt - notified));
    if (doneAt <= remDeadline) s.remInTime += 1;
    else s.remMissed += 1;
  } else if (!done && now > remDeadline) s.remMissed += 1;
}

function addIncident(s: Samples, incident: Incident, period: { from: number; to: number }): void {
  if (isOpen(incident.status)) {
    s.open += 1;
    s.openBySeverity[incident.severity] += 1;
  }
  const created = Date.parse(incident.createdAt);
  if (!(created >= period.from && created < period.to)) return;
  s.created += 1;
  if (incident.acknowledgedAt !== null) s.incidentAckMs.push(Math.max(0, Date.parse(incident.acknowledgedAt) - created));
  if (incident.resolvedAt !== null) s.incidentResolveMs.push(Math.max(0, Date.parse(incident.resolvedAt) - created));
}

function addSystem(s: Samples, system: InformationSystem, sensorLastEvent: ReadonlyMap<string, number>, quietSince: number): void {
  const ref: SystemRef = { id: system.id, name: system.name, orgId: system.orgId };
  s.systems += 1;
  if (system.sensorIds.length === 0) s.withoutSensor.push(ref);
  else if (system.sensorIds.some((id) => (sensorLastEvent.get(id) ?? -Infinity) >= quietSince)) s.reporting += 1;
  else s.silent.push({ ...ref, sensorIds: [...system.sensorIds] });
  if (!system.securityPlan.approved) s.unapproved.push(ref);
  if (system.securityBudgetShare !== null) s.budgetKnown += 1;
  if (system.securityBudgetBelowMinimum) s.budgetBelow.push(ref);
}

/**
 * Every organisation's own measures and its subtree's, keyed by organisation id. Records of
 * organisations not among `orgs` are ignored (they are outside the caller's scope).
 */
export function computeMeasures(inputs: MeasureInputs): Map<string, OrgMeasures> {
  const limit = inputs.listLimit ?? Number.POSITIVE_INFINITY;
  const quietSince = inputs.now - (inputs.silenceMs ?? defaultSilenceMs);
  const own = new Map<string, Samples>(inputs.orgs.map((o) => [o.id, emptySamples()]));
  for (const r of inputs.recipients) {
    const s = own.get(r.orgId);
    if (s) addRecipient(s, r, inputs.now, inputs.period);
  }
  for (const incident of inputs.incidents) {
    const s = own.get(incident.orgId);
    if (s) addIncident(s, incident, inputs.period);
  }
  for (const system of inputs.systems) {
    const s = own.get(system.orgId);
    if (s) addSystem(s, system, inputs.sensorLastEvent, quietSince);
  }

  // Roll up: deepest organisations first, each subtree added into its parent's.
  const parentOf = new Map<string, string | null>(inputs.orgs.map((o) => [o.id, o.parentId !== null && own.has(o.parentId) ? o.parentId : null]));
  const depth = (id: string): number => {
    let d = 0;
    const seen = new Set<string>();
    for (let p = parentOf.get(id) ?? null; p !== null && !seen.has(p); p = parentOf.get(p) ?? null) {
      seen.add(p);
      d += 1;
    }
    return d;
  };
  const subtree = new Map<string, Samples>();
  for (const [id, samples] of own) {
    const copy = emptySamples();
    addSamples(copy, samples);
    subtree.set(id, copy);
  }
  const order = inputs.orgs.map((o) => ({ id: o.id, depth: depth(o.id) })).sort((a, b) => b.depth - a.depth);
  for (const { id } of order) {
    const parent = parentOf.get(id) ?? null;
    if (parent !== null) addSamples(subtree.get(parent) as Samples, subtree.get(id) as Samples);
  }

  const out = new Map<string, OrgMeasures>();
  for (const org of inputs.orgs) {
    out.set(org.id, { orgId: org.id, own: summarise(own.get(org.id) as Samples, limit), subtree: summarise(subtree.get(org.id) as Samples, limit) });
  }
  return out;
}

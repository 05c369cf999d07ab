/**
 * @module warn/incident-model
 * Incidents: the unit of response. Alerts of one organisation that share a system, an entity (the
 * source address, the account, the indicator) and a technique within a window are one incident;
 * analysts move it through its lifecycle, assign it, add tasks, comments and observables, and the
 * centre may bring in an alliance member as responder, who then sees that incident and nothing else.
 * Every change is a timeline entry: the timeline is the incident's audit trail.
 */
import type { AlertSeverity } from '../core/model.js';
import { alertSeverities } from '../core/model.js';
import type { Tlp } from '../intel/model.js';

/** The lifecycle, in order. */
export const incidentStatuses = ['new', 'acknowledged', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** Statuses in which an incident still collects alerts. */
export function isOpen(status: IncidentStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/**
 * Whether `from → to` is a move the lifecycle allows: forward to any later status (a false alarm
 * may go from `new` straight to `closed`), or back to `investigating` from `contained`, `resolved`
 * or `closed` (reopened: the attacker came back, the fix did not hold). Staying put is not a move.
 */
export function mayMove(from: IncidentStatus, to: IncidentStatus): boolean {
  const a = incidentStatuses.indexOf(from);
  const b = incidentStatuses.indexOf(to);
  if (b > a) return true;
  return to === 'investigating' && a > incidentStatuses.indexOf('investigating');
}

export const entityTypes = ['ip', 'user', 'indicator', 'host', 'none'] as const;
export type EntityType = (typeof entityTypes)[number];

export interface IncidentEntity {
  type: EntityType;
  value: string;
}

export interface Incident {
  /** Deterministic: the grouping key and the first alert, so a replay never opens it twice. */
  id: string;
  orgId: string;
  title: string;
  severity: AlertSeverity;
  status: IncidentStatus;
  tlp: Tlp;
  /** User id of the analyst in charge, or null. */
  assignee: string | null;
  /** The information system the alerts concern (inventory), or null. */
  systemId: string | null;
  /** What grouped the alerts: `<system>|<entity type>:<value>|<technique>`. */
  groupKey: string;
  entity: IncidentEntity;
  /** ATT&CK technique (`t1190`) or the rule id when the rule names none. */
  technique: string;
  /** Event times of the first and last alert. */
  firstSeen: string;
  lastSeen: string;
  alertCount: number;
  /** The organisation asked the centre for help. */
  helpRequested: boolean;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}

export const timelineActions = [
  'created', 'alerts-linked', 'status', 'assigned', 'severity', 'tlp', 'title', 'comment', 'task-added', 'task-updated',
  'observable-added', 'help-requested', 'responder-assigned', 'responder-removed',
] as const;
export type TimelineAction = (typeof timelineActions)[number];

export interface TimelineEntry {
  id: string;
  incidentId: string;
  at: string;
  /** User id, or `system` for what Vigil did itself. */
  actor: string;
  /** The actor's organisation (a responder's comment says who wrote it). */
  actorOrgId: string | null;
  action: TimelineAction;
  /** Human-readable: the comment's text, `new → acknowledged`, … */
  text: string;
  data: Record<string, unknown> | null;
}

export const taskStatuses = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export interface IncidentTask {
  id: string;
  incidentId: string;
  title: string;
  status: TaskStatus;
  assignee: string | null;
  dueAt: string | null;
  createdAt: string;
  createdBy: string;
  doneAt: string | null;
}

export const observableTypes = ['ip', 'domain', 'url', 'hash', 'email', 'user', 'user-agent', 'host', 'other'] as const;
export type ObservableType = (typeof observableTypes)[number];

export interface IncidentObservable {
  incidentId: string;
  type: ObservableType;
  value: string;
  /** `alert` when grouping found it, else the user who added it. */
  addedBy: string;
  addedAt: string;
  note: string | null;
}

export interface IncidentResponder {
  incidentId: string;
  /** The alliance member's organisation. */
  orgId: string;
  assignedBy: string;
  assignedAt: string;
}

/** The higher of two severities. */
export function maxSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return alertSeverities.indexOf(a) >= alertSeverities.indexOf(b) ? a : b;
}

/**
 * An incident's severity from its alerts' highest and the system's security level (Decree
 * 85/2016/NĐ-CP levels 1–5): on a level 4–5 system (national-interest, defence and security
 * systems) the same attack is one step more severe; `informational` alerts stay informational.
 */
export function incidentSeverity(alertMax: AlertSeverity, securityLevel: number | null): AlertSeverity {
  if (securityLevel === null || securityLevel < 4 || alertMax === 'informational') return alertMax;
  const i = alertSeverities.indexOf(alertMax);
  return alertSeverities[Math.min(alertSeverities.length - 1, i + 1)] as AlertSeverity;
}

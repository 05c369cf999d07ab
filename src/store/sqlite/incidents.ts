/**
 * @module store/sqlite/incidents
 * Incidents with their alerts, timeline, tasks, observables and responders. An incident belongs to
 * its organisation's subtree like any row; besides, an alliance member assigned as responder reads
 * it (and only it) and may work it — comment, add tasks and observables — but its lifecycle stays
 * with the owning organisation and the centre (`access`). An alert joins at most one incident
 * (primary key on `alert_id`), which makes grouping idempotent under replay.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import { alertSeverities, type AlertSeverity } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import { tlpLevels, type Tlp } from '../../intel/model.js';
import {
  entityTypes,
  incidentStatuses,
  observableTypes,
  taskStatuses,
  timelineActions,
  type EntityType,
  type Incident,
  type IncidentObservable,
  type IncidentResponder,
  type IncidentStatus,
  type IncidentTask,
  type ObservableType,
  type TaskStatus,
  type TimelineAction,
  type TimelineEntry,
} from '../../warn/incident-model.js';
import type { IncidentAccess, IncidentPatch, IncidentQuery, IncidentRepository, LinkedAlert, TaskPatch } from '../store.js';
import { toIso, toIsoOrNull, toMillis, toMillisOrNull } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface IncidentRow {
  n: number;
  id: string;
  org_id: string;
  title: string;
  severity: string;
  status: string;
  tlp: string;
  assignee: string | null;
  system_id: string | null;
  group_key: string;
  entity_type: string;
  entity_value: string;
  technique: string;
  first_seen: number;
  last_seen: number;
  alert_count: number;
  help_requested: number;
  created_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
}

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function decode(row: IncidentRow): Incident {
  return {
    id: row.id,
    orgId: row.org_id,
    title: row.title,
    severity: oneOf<AlertSeverity>(alertSeverities, row.severity, 'medium'),
    status: oneOf<IncidentStatus>(incidentStatuses, row.status, 'new'),
    tlp: oneOf<Tlp>(tlpLevels, row.tlp, 'amber'),
    assignee: row.assignee,
    systemId: row.system_id,
    groupKey: row.group_key,
    entity: { type: oneOf<EntityType>(entityTypes, row.entity_type, 'none'), value: row.entity_value },
    technique: row.technique,
    firstSeen: toIso(row.first_seen),
    lastSeen: toIso(row.last_seen),
    alertCount: row.alert_count,
    helpRequested: row.help_requested !== 0,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    acknowledgedAt: toIsoOrNull(row.acknowledged_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    closedAt: toIsoOrNull(row.closed_at),
  };
}

/** Readable by the scope: its own subtree's, or one of the scope's organisations is a responder. */
const readable = `(${scopePredicate('i.org_id')} OR i.id IN (SELECT incident_id FROM incident_responders WHERE ${scopePredicate('org_id')}))`;

export class SqliteIncidentRepository implements IncidentRepository {
  private readonly createAll: (incident: Incident, alerts: readonly LinkedAlert[], observables: readonly IncidentObservable[], entry: TimelineEntry) => void;
  private readonly linkAll: (incidentId: string, alerts: readonly LinkedAlert[], update: { severity: AlertSeverity; lastSeen: string; at: string }, entry: TimelineEntry) => number;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    const insertIncident = db.prepare(`INSERT OR IGNORE INTO incidents (id, org_id, title, severity, status, tlp, assignee, system_id, group_key,
      entity_type, entity_value, technique, first_seen, last_seen, alert_count, help_requested, created_at, updated_at, acknowledged_at, resolved_at, closed_at)
      VALUES (@id, @orgId, @title, @severity, @status, @tlp, @assignee, @systemId, @groupKey, @entityType, @entityValue, @technique, @firstSeen, @lastSeen,
      0, @helpRequested, @createdAt, @updatedAt, NULL, NULL, NULL)`);
    const insertLink = db.prepare('INSERT OR IGNORE INTO incident_alerts (alert_id, incident_id, org_id, event_time) VALUES (?, ?, ?, ?)');
    const bumpIncident = db.prepare(`UPDATE incidents SET alert_count = alert_count + @added, severity = @severity,
      last_seen = max(last_seen, @lastSeen), first_seen = min(first_seen, @firstSeen), updated_at = @at WHERE id = @id`);
    this.createAll = db.transaction((incident: Incident, alerts: readonly LinkedAlert[], observables: readonly IncidentObservable[], entry: TimelineEntry) => {
      const inserted = insertIncident.run({
        id: incident.id, orgId: incident.orgId, title: incident.title, severity: incident.severity, status: incident.status, tlp: incident.tlp,
        assignee: incident.assignee, systemId: incident.systemId, groupKey: incident.groupKey, entityType: incident.entity.type,
        entityValue: incident.entity.value, technique: incident.technique, firstSeen: toMillis(incident.firstSeen, 'firstSeen'),
        lastSeen: toMillis(incident.lastSeen, 'lastSeen'), helpRequested: incident.helpRequested ? 1 : 0,
        createdAt: toMillis(incident.createdAt, 'createdAt'), updatedAt: toMillis(incident.updatedAt, 'updatedAt'),
      }).changes;
      if (inserted === 0) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `incident ${incident.id} exists` });
      this.insertTimeline(entry);
      for (const observable of observables) this.insertObservable(observable);
      this.linkInside(incident.id, incident.orgId, alerts, insertLink, bumpIncident, { severity: incident.severity, lastSeen: incident.lastSeen, at: incident.createdAt });
    });
    this.linkAll = db.transaction((incidentId: string, alerts: readonly LinkedAlert[], update: { severity: AlertSeverity; lastSeen: string; at: string }, entry: TimelineEntry) => {
      const row = db.prepare<[string], { org_id: string }>('SELECT org_id FROM incidents WHERE id = ?').get(incidentId);
      if (row === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id: incidentId });
      const added = this.linkInside(incidentId, row.org_id, alerts, insertLink, bumpIncident, update);
      if (added > 0) this.insertTimeline({ ...entry, text: entry.text.replace('{n}', String(added)), data: { ...(entry.data ?? {}), added } });
      return added;
    });
  }

  private linkInside(
    incidentId: string,
    orgId: string,
    alerts: readonly LinkedAlert[],
    insertLink: Database.Statement<unknown[]>,
    bump: Database.Statement<unknown[]>,
    update: { severity: AlertSeverity; lastSeen: string; at: string },
  ): number {
    let added = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = toMillis(update.lastSeen, 'lastSeen');
    for (const alert of alerts) {
      if (alert.orgId !== orgId) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `alert ${alert.id} belongs to another organisation than incident ${incidentId}` });
      const time = toMillis(alert.eventTime, 'eventTime');
      const changes = insertLink.run(alert.id, incidentId, orgId, time).changes;
      if (changes > 0) {
        added++;
        first = Math.min(first, time);
        last = Math.max(last, time);
      }
    }
    bump.run({ id: incidentId, added, severity: update.severity, lastSeen: last, firstSeen: Number.isFinite(first) ? first : last, at: toMillis(update.at, 'at') });
    return added;
  }

  private insertTimeline(entry: TimelineEntry): void {
    this.statements
      .get('INSERT INTO incident_timeline (id, incident_id, at, actor, actor_org_id, action, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(entry.id, entry.incidentId, toMillis(entry.at, 'at'), entry.actor, entry.actorOrgId, entry.action, entry.text, entry.data === null ? null : JSON.stringify(entry.data));
  }

  private insertObservable(o: IncidentObservable): number {
    return this.statements
      .get('INSERT OR IGNORE INTO incident_observables (incident_id, type, value, added_by, added_at, note) VALUES (?, ?, ?, ?, ?, ?)')
      .run(o.incidentId, o.type, o.value, o.addedBy, toMillis(o.addedAt, 'addedAt'), o.note).changes;
  }

  linkedAlertIds(scope: Scope, alertIds: readonly string[]): Set<string> {
    const linked = new Set<string>();
    for (let start = 0; start < alertIds.length; start += 500) {
      const rows = this.statements
        .get<{ alert_id: string }>(`SELECT alert_id FROM incident_alerts WHERE alert_id IN (SELECT value FROM json_each(@ids)) AND ${scopePredicate('org_id')}`)
        .all({ ids: JSON.stringify(alertIds.slice(start, start + 500)), scope: scopeJson(scope) });
      for (const row of rows) linked.add(row.alert_id);
    }
    return linked;
  }

  findOpen(scope: Scope, orgId: string, groupKey: string, seenSince: string): Incident | null {
    scope.assertIncludes(orgId);
    const row = this.statements
      .get<IncidentRow>(`SELECT * FROM incidents i WHERE org_id = @orgId AND group_key = @groupKey AND status NOT IN ('resolved', 'closed')
        AND last_seen >= @since ORDER BY last_seen DESC LIMIT 1`)
      .get({ orgId, groupKey, since: toMillis(seenSince, 'seenSince') });
    return row === undefined ? null : decode(row);
  }

  create(scope: Scope, incident: Incident, alerts: readonly LinkedAlert[], observables: readonly IncidentObservable[], entry: TimelineEntry): Incident {
    scope.assertIncludes(incident.orgId);
    this.createAll(incident, alerts, observables, entry);
    return this.get(scope, incident.id) as Incident;
  }

  linkAlerts(scope: Scope, incidentId: string, alerts: readonly LinkedAlert[], update: { severity: AlertSeverity; lastSeen: string; at: string }, entry: TimelineEntry): number {
    if (this.access(scope, incidentId) !== 'owner') throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id: incidentId });
    return alerts.length === 0 ? 0 : this.linkAll(incidentId, alerts, update, entry);
  }

  access(scope: Scope, id: string): IncidentAccess | null {
    const row = this.statements
      .get<{ owner: number; responder: number }>(`SELECT ${scopePredicate('i.org_id')} AS owner,
        EXISTS (SELECT 1 FROM incident_responders r WHERE r.incident_id = i.id AND ${scopePredicate('r.org_id')}) AS responder
        FROM incidents i WHERE i.id = @id`)
      .get({ id, scope: scopeJson(scope) });
    if (row === undefined) return null;
    if (row.owner !== 0) return 'owner';
    return row.responder !== 0 ? 'responder' : null;
  }

  get(scope: Scope, id: string): Incident | null {
    const row = this.statements.get<IncidentRow>(`SELECT * FROM incidents i WHERE i.id = @id AND ${readable}`).get({ id, scope: scopeJson(scope) });
    return row === undefined ? null : decode(row);
  }

  list(scope: Scope, query: IncidentQuery): { items: Incident[]; next: string | null } {
    const conditions = [readable];
    const params: Record<string, unknown> = { scope: scopeJson(scope), limit: query.limit + 1 };
    if (query.orgIds) {
      conditions.push('i.org_id IN (SELECT value FROM json_each(@orgIds))');
      params['orgIds'] = JSON.stringify(query.orgIds);
    }
    if (query.status) {
      conditions.push('i.status = @status');
      params['status'] = query.status;
    }
    if (query.open === true) conditions.push(`i.status NOT IN ('resolved', 'closed')`);
    if (query.severity) {
      conditions.push('i.severity = @severity');
      params['severity'] = query.severity;
    }
    if (query.assignee) {
      conditions.push('i.assignee = @assignee');
      params['assignee'] = query.assignee;
    }
    if (query.systemId) {
      conditions.push('i.system_id = @systemId');
      params['systemId'] = query.systemId;
    }
    if (query.helpRequested !== undefined) {
      conditions.push('i.help_requested = @help');
      params['help'] = query.helpRequested ? 1 : 0;
    }
    if (query.text) {
      conditions.push(`(instr(lower(i.title), lower(@text)) > 0 OR instr(lower(i.entity_value), lower(@text)) > 0)`);
      params['text'] = query.text;
    }
    const hash = queryHash({ s: scopeJson(scope), o: query.orgIds, st: query.status, op: query.open, sv: query.severity, a: query.assignee, sy: query.systemId, h: query.helpRequested, t: query.text });
    if (query.cursor) {
      const position = decodeCursor(query.cursor, hash, ['t', 'n'] as const);
      conditions.push('(i.last_seen < @ct OR (i.last_seen = @ct AND i.n < @cn))');
      params['ct'] = position.t;
      params['cn'] = position.n;
    }
    const rows = this.statements.get<IncidentRow>(`SELECT * FROM incidents i WHERE ${conditions.join(' AND ')} ORDER BY i.last_seen DESC, i.n DESC LIMIT @limit`).all(params);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(decode), next: more && last ? encodeCursor({ t: last.last_seen, n: last.n }, hash) : null };
  }

  update(scope: Scope, id: string, patch: IncidentPatch, entries: readonly TimelineEntry[]): Incident {
    if (this.access(scope, id) !== 'owner') throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id });
    const sets: string[] = ['updated_at = @at'];
    const params: Record<string, unknown> = { id, at: toMillis(patch.at, 'at') };
    const column = (name: string, key: string, value: unknown): void => {
      sets.push(`${name} = @${key}`);
      params[key] = value;
    };
    if (patch.status !== undefined) column('status', 'status', patch.status);
    if (patch.severity !== undefined) column('severity', 'severity', patch.severity);
    if (patch.tlp !== undefined) column('tlp', 'tlp', patch.tlp);
    if (patch.title !== undefined) column('title', 'title', patch.title);
    if (patch.assignee !== undefined) column('assignee', 'assignee', patch.assignee);
    if (patch.helpRequested !== undefined) column('help_requested', 'help', patch.helpRequested ? 1 : 0);
    if (patch.acknowledgedAt !== undefined) column('acknowledged_at', 'ackAt', toMillisOrNull(patch.acknowledgedAt, 'acknowledgedAt'));
    if (patch.resolvedAt !== undefined) column('resolved_at', 'resAt', toMillisOrNull(patch.resolvedAt, 'resolvedAt'));
    if (patch.closedAt !== undefined) column('closed_at', 'closeAt', toMillisOrNull(patch.closedAt, 'closedAt'));
    this.db.transaction(() => {
      this.statements.get(`UPDATE incidents SET ${sets.join(', ')} WHERE id = @id`).run(params);
      for (const entry of entries) this.insertTimeline(entry);
    })();
    return this.get(scope, id) as Incident;
  }

  private requireReadable(scope: Scope, id: string): IncidentAccess {
    const access = this.access(scope, id);
    if (access === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id });
    return access;
  }

  alerts(scope: Scope, id: string): { alertId: string; eventTime: string }[] {
    this.requireReadable(scope, id);
    return this.statements
      .get<{ alert_id: string; event_time: number }>('SELECT alert_id, event_time FROM incident_alerts WHERE incident_id = ? ORDER BY event_time, alert_id')
      .all(id)
      .map((r) => ({ alertId: r.alert_id, eventTime: toIso(r.event_time) }));
  }

  addTimeline(scope: Scope, entry: TimelineEntry): void {
    this.requireReadable(scope, entry.incidentId);
    this.db.transaction(() => {
      this.insertTimeline(entry);
      this.statements.get('UPDATE incidents SET updated_at = max(updated_at, ?) WHERE id = ?').run(toMillis(entry.at, 'at'), entry.incidentId);
    })();
  }

  timeline(scope: Scope, id: string): TimelineEntry[] {
    this.requireReadable(scope, id);
    return this.statements
      .get<{ id: string; incident_id: string; at: number; actor: string; actor_org_id: string | null; action: string; text: string; data: string | null }>(
        'SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, n',
      )
      .all(id)
      .map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        at: toIso(r.at),
        actor: r.actor,
        actorOrgId: r.actor_org_id,
        action: oneOf<TimelineAction>(timelineActions, r.action, 'comment'),
        text: r.text,
        data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
      }));
  }

  addTask(scope: Scope, task: IncidentTask, entry: TimelineEntry): IncidentTask {
    this.requireReadable(scope, task.incidentId);
    this.db.transaction(() => {
      this.statements
        .get('INSERT INTO incident_tasks (id, incident_id, title, status, assignee, due_at, created_at, created_by, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(task.id, task.incidentId, task.title, task.status, task.assignee, toMillisOrNull(task.dueAt, 'dueAt'), toMillis(task.createdAt, 'createdAt'), task.createdBy, toMillisOrNull(task.doneAt, 'doneAt'));
      this.insertTimeline(entry);
    })();
    return task;
  }

  updateTask(scope: Scope, incidentId: string, taskId: string, patch: TaskPatch, entry: TimelineEntry): IncidentTask {
    this.requireReadable(scope, incidentId);
    const current = this.tasks(scope, incidentId).find((t) => t.id === taskId);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Task', id: taskId });
    const next: IncidentTask = {
      ...current,
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
      ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
      ...(patch.status !== undefined ? { status: patch.status, doneAt: patch.status === 'open' ? null : patch.at } : {}),
    };
    this.db.transaction(() => {
      this.statements
        .get('UPDATE incident_tasks SET title = ?, status = ?, assignee = ?, due_at = ?, done_at = ? WHERE id = ? AND incident_id = ?')
        .run(next.title, next.status, next.assignee, toMillisOrNull(next.dueAt, 'dueAt'), toMillisOrNull(next.doneAt, 'doneAt'), taskId, incidentId);
      this.insertTimeline(entry);
    })();
    return next;
  }

  tasks(scope: Scope, id: string): IncidentTask[] {
    this.requireReadable(scope, id);
    return this.statements
      .get<{ id: string; incident_id: string; title: string; status: string; assignee: string | null; due_at: number | null; created_at: number; created_by: string; done_at: number | null }>(
        'SELECT * FROM incident_tasks WHERE incident_id = ? ORDER BY created_at, id',
      )
      .all(id)
      .map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        title: r.title,
        status: oneOf<TaskStatus>(taskStatuses, r.status, 'open'),
        assignee: r.assignee,
        dueAt: toIsoOrNull(r.due_at),
        createdAt: toIso(r.created_at),
        createdBy: r.created_by,
        doneAt: toIsoOrNull(r.done_at),
      }));
  }

  addObservables(scope: Scope, observables: readonly IncidentObservable[], entry: TimelineEntry | null): number {
    const ids = new Set(observables.map((o) => o.incidentId));
    for (const id of ids) this.requireReadable(scope, id);
    return this.db.transaction(() => {
      let added = 0;
      for (const o of observables) added += this.insertObservable(o);
      if (added > 0 && entry !== null) this.insertTimeline(entry);
      return added;
    })();
  }

  observables(scope: Scope, id: string): IncidentObservable[] {
    this.requireReadable(scope, id);
    return this.statements
      .get<{ incident_id: string; type: string; value: string; added_by: string; added_at: number; note: string | null }>(
        'SELECT * FROM incident_observables WHERE incident_id = ? ORDER BY added_at, type, value',
      )
      .all(id)
      .map((r) => ({ incidentId: r.incident_id, type: oneOf<ObservableType>(observableTypes, r.type, 'other'), value: r.value, addedBy: r.added_by, addedAt: toIso(r.added_at), note: r.note }));
  }

  addResponder(scope: Scope, responder: IncidentResponder, entry: TimelineEntry): boolean {
    if (this.access(scope, responder.incidentId) !== 'owner') throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id: responder.incidentId });
    return this.db.transaction(() => {
      const added = this.statements
        .get('INSERT OR IGNORE INTO incident_responders (incident_id, org_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)')
        .run(responder.incidentId, responder.orgId, responder.assignedBy, toMillis(responder.assignedAt, 'assignedAt')).changes;
      if (added > 0) this.insertTimeline(entry);
      return added > 0;
    })();
  }

  removeResponder(scope: Scope, incidentId: string, orgId: string, entry: TimelineEntry): boolean {
    if (this.access(scope, incidentId) !== 'owner') throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id: incidentId });
    return this.db.transaction(() => {
      const removed = this.statements.get('DELETE FROM incident_responders WHERE incident_id = ? AND org_id = ?').run(incidentId, orgId).changes;
      if (removed > 0) this.insertTimeline(entry);
      return removed > 0;
    })();
  }

  responders(scope: Scope, id: string): IncidentResponder[] {
    this.requireReadable(scope, id);
    return this.statements
      .get<{ incident_id: string; org_id: string; assigned_by: string; assigned_at: number }>('SELECT * FROM incident_responders WHERE incident_id = ? ORDER BY assigned_at, org_id')
      .all(id)
      .map((r) => ({ incidentId: r.incident_id, orgId: r.org_id, assignedBy: r.assigned_by, assignedAt: toIso(r.assigned_at) }));
  }

  openOrCreatedSince(scope: Scope, since: number): Incident[] {
    return this.statements
      .get<IncidentRow>(`SELECT * FROM incidents i WHERE ${scopePredicate('i.org_id')} AND (i.status NOT IN ('resolved', 'closed') OR i.created_at >= @since) ORDER BY i.org_id, i.n`)
      .all({ scope: scopeJson(scope), since })
      .map(decode);
  }
}

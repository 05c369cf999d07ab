/**
 * @module store/sqlite/alerts
 * Alerts. Ids are deterministic (rule and events), and an insert of an id that exists is ignored:
 * detection runs at least once over every event, so a replay after a crash re-derives the same
 * alerts and stores none of them twice. Lists are newest event first with keyset pagination.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import { alertKinds, type Alert, type AlertDetails, type AlertKind, type AlertResolution, type AlertSeverity, type AlertStatus } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { AlertQuery, AlertRepository, AlertUpdate } from '../store.js';
import { fromJsonList, toIso, toIsoOrNull, toMillis } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { scopeClause, scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface AlertRow {
  n: number;
  id: string;
  org_id: string;
  rule_id: string;
  rule_title: string;
  kind: string;
  severity: string;
  tags: string;
  event_time: number;
  created_at: number;
  event_seqs: string;
  matched_fields: string;
  grp: string | null;
  status: string;
  resolution: string | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  closed_by: string | null;
  closed_at: number | null;
  note: string | null;
  details: string | null;
  system_id: string | null;
}

function decode(row: AlertRow): Alert {
  const seqs: unknown = JSON.parse(row.event_seqs);
  return {
    id: row.id,
    orgId: row.org_id,
    ruleId: row.rule_id,
    ruleTitle: row.rule_title,
    kind: (alertKinds as readonly string[]).includes(row.kind) ? (row.kind as AlertKind) : 'detection',
    severity: row.severity as AlertSeverity,
    tags: fromJsonList(row.tags),
    eventTime: toIso(row.event_time),
    createdAt: toIso(row.created_at),
    eventSeqs: Array.isArray(seqs) ? seqs.filter((s): s is number => typeof s === 'number') : [],
    matchedFields: fromJsonList(row.matched_fields),
    group: row.grp === null ? null : (JSON.parse(row.grp) as Record<string, string>),
    details: row.details === null ? null : (JSON.parse(row.details) as AlertDetails),
    systemId: row.system_id ?? null,
    status: row.status as AlertStatus,
    resolution: row.resolution as AlertResolution | null,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: toIsoOrNull(row.acknowledged_at),
    closedBy: row.closed_by,
    closedAt: toIsoOrNull(row.closed_at),
    note: row.note,
  };
}

export class SqliteAlertRepository implements AlertRepository {
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly getStmt: Database.Statement<{ scope: string | null; id: string }, AlertRow>;
  private readonly updateStmt: Database.Statement<unknown[]>;
  private readonly insertAll: (alerts: Alert[]) => number;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insertStmt = db.prepare(`INSERT OR IGNORE INTO alerts (id, org_id, rule_id, rule_title, kind, severity, tags, event_time, created_at,
      event_seqs, matched_fields, grp, status, resolution, acknowledged_by, acknowledged_at, closed_by, closed_at, note, details, system_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.getStmt = db.prepare(`SELECT * FROM alerts WHERE id = @id AND ${scopePredicate('org_id')}`);
    this.updateStmt = db.prepare(`UPDATE alerts SET status = ?, resolution = ?, acknowledged_by = coalesce(acknowledged_by, ?),
      acknowledged_at = coalesce(acknowledged_at, ?), closed_by = ?, closed_at = ?, note = coalesce(?, note) WHERE id = ?`);
    this.insertAll = db.transaction((alerts: Alert[]) => {
      let added = 0;
      for (const a of alerts) {
        added += this.insertStmt.run(
          a.id, a.orgId, a.ruleId, a.ruleTitle, a.kind, a.severity, JSON.stringify(a.tags), toMillis(a.eventTime, 'eventTime'),
          toMillis(a.createdAt, 'createdAt'), JSON.stringify(a.eventSeqs), JSON.stringify(a.matchedFields),
          a.group === null ? null : JSON.stringify(a.group), a.status, a.resolution, a.acknowledgedBy,
          a.acknowledgedAt === null ? null : toMillis(a.acknowledgedAt, 'acknowledgedAt'), a.closedBy,
          a.closedAt === null ? null : toMillis(a.closedAt, 'closedAt'), a.note, a.details === null ? null : JSON.stringify(a.details), a.systemId,
        ).changes;
      }
      return added;
    });
  }

  insert(scope: Scope, alerts: Alert[]): number {
    for (const alert of alerts) scope.assertIncludes(alert.orgId);
    return alerts.length === 0 ? 0 : this.insertAll(alerts);
  }

  list(scope: Scope, query: AlertQuery): { items: Alert[]; next: string | null } {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (query.status) {
      conditions.push('status = ?');
      params.push(query.status);
    }
    if (query.severity) {
      conditions.push('severity = ?');
      params.push(query.severity);
    }
    if (query.kind) {
      conditions.push('kind = ?');
      params.push(query.kind);
    }
    if (query.ruleId) {
      conditions.push('rule_id = ?');
      params.push(query.ruleId);
    }
    if (query.systemId) {
      conditions.push('system_id = ?');
      params.push(query.systemId);
    }
    if (query.from !== undefined) {
      conditions.push('event_time >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      conditions.push('event_time < ?');
      params.push(query.to);
    }
    const hash = queryHash({ s: scopeJson(scope), st: query.status, sv: query.severity, k: query.kind, r: query.ruleId, y: query.systemId, f: query.from, t: query.to });
    if (query.cursor) {
      const position = decodeCursor(query.cursor, hash, ['t', 'n'] as const);
      conditions.push('(event_time < ? OR (event_time = ? AND n < ?))');
      params.push(position.t, position.t, position.n);
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    params.push(query.limit + 1);
    const rows = this.statements.get<AlertRow>(`SELECT * FROM alerts${where} ORDER BY event_time DESC, n DESC LIMIT ?`).all(...params);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(decode), next: more && last ? encodeCursor({ t: last.event_time, n: last.n }, hash) : null };
  }

  get(scope: Scope, id: string): Alert | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : decode(row);
  }

  update(scope: Scope, id: string, update: AlertUpdate): Alert {
    const current = this.get(scope, id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Alert', id });
    const at = toMillis(update.at, 'at');
    const acknowledging = update.status !== 'open';
    const closing = update.status === 'closed';
    this.updateStmt.run(
      update.status,
      closing ? (update.resolution ?? null) : null,
      acknowledging ? update.by : null,
      acknowledging ? at : null,
      closing ? update.by : null,
      closing ? at : null,
      update.note ?? null,
      id,
    );
    return this.get(scope, id) as Alert;
  }

  countByRule(scope: Scope): Map<string, { hits: number; lastEventTime: string | null }> {
    const params: unknown[] = [];
    const scoped = scopeClause(scope, 'org_id', params);
    const rows = this.statements
      .get<{ rule_id: string; hits: number; last: number | null }>(`SELECT rule_id, count(*) AS hits, max(event_time) AS last FROM alerts${scoped ? ` WHERE ${scoped}` : ''} GROUP BY rule_id`)
      .all(...params);
    return new Map(rows.map((r) => [r.rule_id, { hits: r.hits, lastEventTime: toIsoOrNull(r.last) }]));
  }
}

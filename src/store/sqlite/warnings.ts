/**
 * @module store/sqlite/warnings
 * Warnings and their recipients. Reads follow warn/warning-model's TLP rules over the tree (the
 * issuer's chain; CLEAR/GREEN everyone; AMBER the recipients and the chain above them; AMBER+STRICT
 * and RED the recipient organisations themselves); drafts only the issuer's chain. A recipient's
 * record (acknowledgement, remediation) is written by its own chain.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import { alertSeverities, type AlertSeverity } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import { tlpLevels, type Tlp } from '../../intel/model.js';
import {
  warningKinds,
  warningSources,
  warningStatuses,
  type RemediationReport,
  type Warning,
  type WarningKind,
  type WarningRecipient,
  type WarningSource,
  type WarningStatus,
  type WarningTargets,
} from '../../warn/warning-model.js';
import type { OverdueRecipient, WarningQuery, WarningRepository, WarningViewer } from '../store.js';
import { toIso, toIsoOrNull, toMillis } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface WarningRow {
  n: number;
  id: string;
  kind: string;
  source: string;
  campaign_id: string | null;
  issuer_org_id: string;
  severity: string;
  tlp: string;
  title_vi: string;
  title_en: string;
  text_vi: string;
  text_en: string;
  indicators: string;
  actions: string;
  refs: string;
  targets: string;
  ack_deadline: number;
  remediation_deadline: number;
  status: string;
  created_at: number;
  created_by: string;
  issued_at: number | null;
  issued_by: string | null;
  recipient_count: number;
}

interface RecipientRow {
  warning_id: string;
  org_id: string;
  reasons: string;
  system_ids: string;
  notified_at: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  remediation: string;
  ack_escalation: number;
  remediation_escalation: number;
  last_escalated_at: number | null;
}

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function decode(row: WarningRow): Warning {
  return {
    id: row.id,
    kind: oneOf<WarningKind>(warningKinds, row.kind, 'warning'),
    source: oneOf<WarningSource>(warningSources, row.source, 'analyst'),
    campaignId: row.campaign_id,
    issuerOrgId: row.issuer_org_id,
    severity: oneOf<AlertSeverity>(alertSeverities, row.severity, 'medium'),
    tlp: oneOf<Tlp>(tlpLevels, row.tlp, 'amber'),
    title: { vi: row.title_vi, en: row.title_en },
    text: { vi: row.text_vi, en: row.text_en },
    indicators: JSON.parse(row.indicators) as Warning['indicators'],
    actions: JSON.parse(row.actions) as Warning['actions'],
    references: JSON.parse(row.refs) as string[],
    targets: JSON.parse(row.targets) as WarningTargets,
    ackDeadline: toIso(row.ack_deadline),
    remediationDeadline: toIso(row.remediation_deadline),
    status: oneOf<WarningStatus>(warningStatuses, row.status, 'draft'),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    issuedAt: toIsoOrNull(row.issued_at),
    issuedBy: row.issued_by,
    recipientCount: row.recipient_count,
  };
}

function decodeRecipient(row: RecipientRow): WarningRecipient {
  return {
    warningId: row.warning_id,
    orgId: row.org_id,
    reasons: JSON.parse(row.reasons) as string[],
    systemIds: JSON.parse(row.system_ids) as string[],
    notifiedAt: toIso(row.notified_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: toIsoOrNull(row.acknowledged_at),
    remediation: JSON.parse(row.remediation) as RemediationReport[],
    ackEscalation: row.ack_escalation,
    remediationEscalation: row.remediation_escalation,
    lastEscalatedAt: toIsoOrNull(row.last_escalated_at),
  };
}

/** TLP over the tree (module comment); binds @scope and @viewerOrg. */
const readable = `(${scopePredicate('w.issuer_org_id')} OR (w.status <> 'draft' AND (
  w.tlp IN ('clear', 'green')
  OR (w.tlp = 'amber' AND EXISTS (SELECT 1 FROM warning_recipients r WHERE r.warning_id = w.id AND ${scopePredicate('r.org_id')}))
  OR (w.tlp IN ('amber+strict', 'red') AND EXISTS (SELECT 1 FROM warning_recipients r WHERE r.warning_id = w.id AND r.org_id = @viewerOrg)))))`;

export class SqliteWarningRepository implements WarningRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
  ) {}

  private params(viewer: WarningViewer): { scope: string | null; viewerOrg: string | null } {
    return { scope: scopeJson(viewer.scope), viewerOrg: viewer.orgId };
  }

  create(scope: Scope, warning: Warning): Warning {
    scope.assertIncludes(warning.issuerOrgId);
    const changes = this.statements
      .get(`INSERT OR IGNORE INTO warnings (id, kind, source, campaign_id, issuer_org_id, severity, tlp, title_vi, title_en, text_vi, text_en, indicators, actions, refs,
        targets, ack_deadline, remediation_deadline, status, created_at, created_by, issued_at, issued_by, recipient_count)
        VALUES (@id, @kind, @source, @campaignId, @issuer, @severity, @tlp, @titleVi, @titleEn, @textVi, @textEn, @indicators, @actions, @refs, @targets,
        @ack, @rem, @status, @createdAt, @createdBy, NULL, NULL, 0)`)
      .run({
        id: warning.id, kind: warning.kind, source: warning.source, campaignId: warning.campaignId, issuer: warning.issuerOrgId, severity: warning.severity,
        tlp: warning.tlp, titleVi: warning.title.vi, titleEn: warning.title.en, textVi: warning.text.vi, textEn: warning.text.en,
        indicators: JSON.stringify(warning.indicators), actions: JSON.stringify(warning.actions), refs: JSON.stringify(warning.references),
        targets: JSON.stringify(warning.targets), ack: toMillis(warning.ackDeadline, 'ackDeadline'), rem: toMillis(warning.remediationDeadline, 'remediationDeadline'),
        status: 'draft', createdAt: toMillis(warning.createdAt, 'createdAt'), createdBy: warning.createdBy,
      }).changes;
    if (changes === 0) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `warning ${warning.id} exists` });
    return this.getOwned(scope, warning.id) as Warning;
  }

  /** The warning when the scope includes its issuer. */
  getOwned(scope: Scope, id: string): Warning | null {
    const row = this.statements.get<WarningRow>(`SELECT * FROM warnings w WHERE w.id = @id AND ${scopePredicate('w.issuer_org_id')}`).get({ id, scope: scopeJson(scope) });
    return row === undefined ? null : decode(row);
  }

  get(viewer: WarningViewer, id: string): Warning | null {
    const row = this.statements.get<WarningRow>(`SELECT * FROM warnings w WHERE w.id = @id AND ${readable}`).get({ id, ...this.params(viewer) });
    return row === undefined ? null : decode(row);
  }

  list(viewer: WarningViewer, query: WarningQuery): { items: Warning[]; next: string | null } {
    const conditions = [readable];
    const params: Record<string, unknown> = { ...this.params(viewer), limit: query.limit + 1 };
    if (query.status) {
      conditions.push('w.status = @status');
      params['status'] = query.status;
    }
    if (query.severity) {
      conditions.push('w.severity = @severity');
      params['severity'] = query.severity;
    }
    if (query.campaignId) {
      conditions.push('w.campaign_id = @campaign');
      params['campaign'] = query.campaignId;
    }
    if (query.addressedTo) {
      conditions.push('EXISTS (SELECT 1 FROM warning_recipients r2 WHERE r2.warning_id = w.id AND r2.org_id = @to)');
      params['to'] = query.addressedTo;
    }
    if (query.unacknowledged) {
      conditions.push(`EXISTS (SELECT 1 FROM warning_recipients r3 WHERE r3.warning_id = w.id AND r3.acknowledged_at IS NULL AND ${scopePredicate('r3.org_id')})`);
    }
    const hash = queryHash({ s: params['scope'], v: viewer.orgId, st: query.status, sv: query.severity, c: query.campaignId, to: query.addressedTo, u: query.unacknowledged });
    if (query.cursor) {
      const position = decodeCursor(query.cursor, hash, ['n'] as const);
      conditions.push('w.n < @cn');
      params['cn'] = position.n;
    }
    const rows = this.statements.get<WarningRow>(`SELECT * FROM warnings w WHERE ${conditions.join(' AND ')} ORDER BY w.n DESC LIMIT @limit`).all(params);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(decode), next: more && last ? encodeCursor({ n: last.n }, hash) : null };
  }

  update(scope: Scope, id: string, patch: Partial<Pick<Warning, 'severity' | 'tlp' | 'title' | 'text' | 'indicators' | 'actions' | 'references' | 'targets' | 'ackDeadline' | 'remediationDeadline'>>): Warning {
    const current = this.getOwned(scope, id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id });
    if (current.status !== 'draft') throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `warning ${id} is ${current.status}; only a draft can be edited` });
    const next = { ...current, ...patch };
    this.statements
      .get(`UPDATE warnings SET severity = @severity, tlp = @tlp, title_vi = @titleVi, title_en = @titleEn, text_vi = @textVi, text_en = @textEn,
        indicators = @indicators, actions = @actions, refs = @refs, targets = @targets, ack_deadline = @ack, remediation_deadline = @rem WHERE id = @id`)
      .run({
        id, severity: next.severity, tlp: next.tlp, titleVi: next.title.vi, titleEn: next.title.en, textVi: next.text.vi, textEn: next.text.en,
        indicators: JSON.stringify(next.indicators), actions: JSON.stringify(next.actions), refs: JSON.stringify(next.references), targets: JSON.stringify(next.targets),
        ack: toMillis(next.ackDeadline, 'ackDeadline'), rem: toMillis(next.remediationDeadline, 'remediationDeadline'),
      });
    return this.getOwned(scope, id) as Warning;
  }

  issue(scope: Scope, id: string, by: string, at: string, recipients: readonly WarningRecipient[]): Warning {
    const current = this.getOwned(scope, id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id });
    this.db.transaction(() => {
      const changed = this.statements
        .get(`UPDATE warnings SET status = 'issued', issued_at = ?, issued_by = ?, recipient_count = ? WHERE id = ? AND status = 'draft'`)
        .run(toMillis(at, 'at'), by, recipients.length, id).changes;
      if (changed === 0) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `warning ${id} is ${current.status}; only a draft can be issued` });
      const insert = this.statements.get(`INSERT INTO warning_recipients (warning_id, org_id, reasons, system_ids, notified_at, acknowledged_by, acknowledged_at,
        remediation, ack_escalation, remediation_escalation, last_escalated_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, 0, 0, NULL)`);
      for (const r of recipients) insert.run(id, r.orgId, JSON.stringify(r.reasons), JSON.stringify(r.systemIds), toMillis(r.notifiedAt, 'notifiedAt'), JSON.stringify(r.remediation));
    })();
    return this.getOwned(scope, id) as Warning;
  }

  withdraw(scope: Scope, id: string): Warning {
    const changed = this.statements.get(`UPDATE warnings SET status = 'withdrawn' WHERE id = @id AND status <> 'withdrawn' AND ${scopePredicate('issuer_org_id')}`).run({ id, scope: scopeJson(scope) }).changes;
    if (changed === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id });
    return this.getOwned(scope, id) as Warning;
  }

  recipients(viewer: WarningViewer, id: string): WarningRecipient[] {
    const warning = this.get(viewer, id);
    if (!warning) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id });
    // The issuer's chain sees every recipient; a recipient's chain, those within it.
    const all = viewer.scope.includes(warning.issuerOrgId);
    return this.statements
      .get<RecipientRow>(`SELECT * FROM warning_recipients WHERE warning_id = @id${all ? '' : ` AND ${scopePredicate('org_id')}`} ORDER BY org_id`)
      .all({ id, ...(all ? {} : { scope: scopeJson(viewer.scope) }) })
      .map(decodeRecipient);
  }

  recipient(scope: Scope, warningId: string, orgId: string): WarningRecipient | null {
    if (!scope.includes(orgId)) return null;
    const row = this.statements.get<RecipientRow>('SELECT * FROM warning_recipients WHERE warning_id = ? AND org_id = ?').get(warningId, orgId);
    return row === undefined ? null : decodeRecipient(row);
  }

  acknowledge(scope: Scope, warningId: string, orgId: string, by: string, at: string): WarningRecipient {
    scope.assertIncludes(orgId);
    const current = this.recipient(scope, warningId, orgId);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Recipient', id: `${warningId}/${orgId}` });
    if (current.acknowledgedAt !== null) return current;
    this.statements.get('UPDATE warning_recipients SET acknowledged_by = ?, acknowledged_at = ? WHERE warning_id = ? AND org_id = ?').run(by, toMillis(at, 'at'), warningId, orgId);
    return this.recipient(scope, warningId, orgId) as WarningRecipient;
  }

  reportRemediation(scope: Scope, warningId: string, orgId: string, reports: readonly RemediationReport[]): WarningRecipient {
    scope.assertIncludes(orgId);
    return this.db.transaction(() => {
      const current = this.recipient(scope, warningId, orgId);
      if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Recipient', id: `${warningId}/${orgId}` });
      const merged = [...current.remediation];
      for (const report of reports) {
        const at = merged.findIndex((r) => r.systemId === report.systemId);
        if (at < 0) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `system ${report.systemId ?? '(organisation)'} is not among those this warning concerns` }, { field: 'systemId' });
        merged[at] = report;
      }
      this.statements.get('UPDATE warning_recipients SET remediation = ? WHERE warning_id = ? AND org_id = ?').run(JSON.stringify(merged), warningId, orgId);
      return this.recipient(scope, warningId, orgId) as WarningRecipient;
    })();
  }

  overdue(scope: Scope, now: number, stepMs: number): OverdueRecipient[] {
    // Acknowledgement overdue: past the deadline plus one step per escalation already taken.
    const rows = this.statements
      .get<RecipientRow & { w_ack: number; w_rem: number }>(`SELECT r.*, w.ack_deadline AS w_ack, w.remediation_deadline AS w_rem FROM warning_recipients r
        JOIN warnings w ON w.id = r.warning_id
        WHERE w.status = 'issued' AND ${scopePredicate('r.org_id')}
          AND ((r.acknowledged_at IS NULL AND r.ack_escalation < 2 AND w.ack_deadline + r.ack_escalation * @step < @now)
            OR (r.remediation_escalation < 2 AND w.remediation_deadline + r.remediation_escalation * @step < @now))
        ORDER BY r.warning_id, r.org_id`)
      .all({ scope: scopeJson(scope), now, step: stepMs });
    const out: OverdueRecipient[] = [];
    for (const row of rows) {
      const recipient = decodeRecipient(row);
      const ackDue = recipient.acknowledgedAt === null && recipient.ackEscalation < 2 && row.w_ack + recipient.ackEscalation * stepMs < now;
      const done = recipient.remediation.length > 0 && recipient.remediation.every((r) => r.status === 'remediated' || r.status === 'not-affected');
      const remDue = !done && recipient.remediationEscalation < 2 && row.w_rem + recipient.remediationEscalation * stepMs < now;
      if (ackDue) out.push({ recipient, what: 'acknowledgement', step: recipient.ackEscalation + 1 });
      if (remDue) out.push({ recipient, what: 'remediation', step: recipient.remediationEscalation + 1 });
    }
    return out;
  }

  markEscalated(scope: Scope, warningId: string, orgId: string, what: 'acknowledgement' | 'remediation', step: number, at: string): boolean {
    scope.assertIncludes(orgId);
    const column = what === 'acknowledgement' ? 'ack_escalation' : 'remediation_escalation';
    return (
      this.statements
        .get(`UPDATE warning_recipients SET ${column} = ?, last_escalated_at = ? WHERE warning_id = ? AND org_id = ? AND ${column} = ?`)
        .run(step, toMillis(at, 'at'), warningId, orgId, step - 1).changes > 0
    );
  }

  allRecipients(scope: Scope, since: number): (WarningRecipient & { ackDeadline: string; remediationDeadline: string; severity: AlertSeverity; issuedAt: string })[] {
    return this.statements
      .get<RecipientRow & { w_ack: number; w_rem: number; w_sev: string; w_issued: number }>(`SELECT r.*, w.ack_deadline AS w_ack, w.remediation_deadline AS w_rem, w.severity AS w_sev, w.issued_at AS w_issued
        FROM warning_recipients r JOIN warnings w ON w.id = r.warning_id WHERE w.status = 'issued' AND w.issued_at >= @since AND ${scopePredicate('r.org_id')}`)
      .all({ scope: scopeJson(scope), since })
      .map((row) => ({
        ...decodeRecipient(row),
        ackDeadline: toIso(row.w_ack),
        remediationDeadline: toIso(row.w_rem),
        severity: oneOf<AlertSeverity>(alertSeverities, row.w_sev, 'medium'),
        issuedAt: toIso(row.w_issued),
      }));
  }
}

/**
 * @module store/sqlite/delivery
 * Contacts and the delivery outbox. A notification is stored once under its deterministic id
 * (`INSERT OR IGNORE`), and its deliveries in the same transaction, so enqueuing twice delivers
 * once and a crash between the two cannot leave a notification without its deliveries. Every
 * statement carries the scope; a contact or delivery outside it is simply not found.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { AlertSeverity } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { Contact, ContactChannel, ContactLanguage, ContactPatch, Delivery, DeliveryStatus, StoredContact } from '../../warn/delivery-model.js';
import type { Notification } from '../../warn/notification.js';
import type { ContactRepository, DeliveryQuery, DeliveryRepository, DueDelivery, NewDelivery } from '../store.js';
import { definedOnly, fromFlag, toFlag, toIso, toIsoOrNull, toMillis } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeClause, scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface ContactRow {
  id: string;
  org_id: string;
  channel: string;
  name: string;
  address: string;
  language: string;
  min_severity: string;
  digest: number;
  enabled: number;
  secret: string | null;
  created_at: number;
  updated_at: number;
}

interface DeliveryRow {
  id: string;
  notification_id: string;
  contact_id: string | null;
  org_id: string;
  subject_id: string;
  kind: string;
  severity: string;
  channel: string;
  address: string | null;
  status: string;
  digest: number;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

function toStoredContact(row: ContactRow): StoredContact {
  return {
    id: row.id,
    orgId: row.org_id,
    channel: row.channel as ContactChannel,
    name: row.name,
    address: row.address,
    language: row.language as ContactLanguage,
    minSeverity: row.min_severity as AlertSeverity,
    digest: fromFlag(row.digest),
    enabled: fromFlag(row.enabled),
    hasSecret: row.secret !== null,
    secret: row.secret,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function toContact(row: ContactRow): Contact {
  const { secret: _secret, ...contact } = toStoredContact(row);
  return contact;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    notificationId: row.notification_id,
    contactId: row.contact_id,
    orgId: row.org_id,
    subjectId: row.subject_id,
    kind: row.kind as Delivery['kind'],
    severity: row.severity as AlertSeverity,
    channel: row.channel as Delivery['channel'],
    address: row.address,
    status: row.status as DeliveryStatus,
    digest: fromFlag(row.digest),
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? toIsoOrNull(row.next_attempt_at) : null,
    lastError: row.last_error,
    deliveredAt: toIsoOrNull(row.delivered_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

const uniqueContact = (c: { channel: string; address: string }): Record<string, string> => ({
  'contacts.org_id, contacts.channel, contacts.address': `the organisation already has a ${c.channel} contact ${c.address}`,
  'contacts.id': 'the contact already exists',
});

export class SqliteContactRepository implements ContactRepository {
  private readonly getStmt: Database.Statement<{ scope: string | null; id: string }, ContactRow>;
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly updateStmt: Database.Statement<unknown[]>;
  private readonly secretStmt: Database.Statement<[string, number, string]>;
  private readonly deleteStmt: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.getStmt = db.prepare(`SELECT * FROM contacts WHERE id = @id AND ${scopePredicate('org_id')}`);
    this.insertStmt = db.prepare(`INSERT INTO contacts (id, org_id, channel, name, address, language, min_severity, digest, enabled, secret, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare('UPDATE contacts SET name = ?, address = ?, language = ?, min_severity = ?, digest = ?, enabled = ?, updated_at = ? WHERE id = ?');
    this.secretStmt = db.prepare('UPDATE contacts SET secret = ?, updated_at = ? WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM contacts WHERE id = ?');
  }

  list(scope: Scope, query: { channel?: ContactChannel; enabledOnly?: boolean } = {}): Contact[] {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (query.channel !== undefined) {
      conditions.push('channel = ?');
      params.push(query.channel);
    }
    if (query.enabledOnly === true) conditions.push('enabled = 1');
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return this.statements.get<ContactRow>(`SELECT * FROM contacts${where} ORDER BY org_id, channel, address`).all(...params).map(toContact);
  }

  get(scope: Scope, id: string): Contact | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toContact(row);
  }

  getStored(scope: Scope, id: string): StoredContact | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toStoredContact(row);
  }

  create(scope: Scope, c: StoredContact): void {
    scope.assertIncludes(c.orgId);
    try {
      this.insertStmt.run(c.id, c.orgId, c.channel, c.name, c.address, c.language, c.minSeverity, toFlag(c.digest), toFlag(c.enabled), c.secret,
        toMillis(c.createdAt, 'createdAt'), toMillis(c.updatedAt, 'updatedAt'));
    } catch (err) {
      rethrowConstraint(err, { unique: uniqueContact(c), foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: c.orgId }) });
    }
  }

  update(scope: Scope, id: string, patch: ContactPatch, updatedAt: string): Contact {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Contact', id });
    const next = { ...current, ...definedOnly(patch) };
    try {
      this.updateStmt.run(next.name, next.address, next.language, next.minSeverity, toFlag(next.digest), toFlag(next.enabled), toMillis(updatedAt, 'updatedAt'), id);
    } catch (err) {
      rethrowConstraint(err, { unique: uniqueContact(next) });
    }
    return this.get(scope, id) as Contact;
  }

  setSecret(scope: Scope, id: string, secret: string, updatedAt: string): Contact {
    if (this.get(scope, id) === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Contact', id });
    this.secretStmt.run(secret, toMillis(updatedAt, 'updatedAt'), id);
    return this.get(scope, id) as Contact;
  }

  delete(scope: Scope, id: string): boolean {
    if (this.get(scope, id) === null) return false;
    return this.deleteStmt.run(id).changes > 0;
  }
}

export class SqliteDeliveryRepository implements DeliveryRepository {
  private readonly insertNotification: Database.Statement<unknown[]>;
  private readonly insertDelivery: Database.Statement<unknown[]>;
  private readonly contactsOf: Database.Statement<[string], ContactRow>;
  private readonly notificationStmt: Database.Statement<{ scope: string | null; id: string }, { doc: string }>;
  private readonly getStmt: Database.Statement<{ scope: string | null; id: string }, DeliveryRow>;
  private readonly enqueueTx: (notifications: readonly Notification[], route: (n: Notification, contacts: readonly StoredContact[]) => NewDelivery[], now: number) => string[];
  private readonly delivered: Database.Statement<[number, number, string]>;
  private readonly failed: Database.Statement<[string, number, number | null, string, string]>;
  private readonly deliveredTx: (ids: readonly string[], at: number) => void;
  private readonly failedTx: (ids: readonly string[], error: string, at: number, next: number | null) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insertNotification = db.prepare(`INSERT OR IGNORE INTO notifications (id, org_id, kind, subject_id, severity, doc, created_at, queued_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertDelivery = db.prepare(`INSERT OR IGNORE INTO deliveries (id, notification_id, contact_id, org_id, subject_id, kind, severity, channel, address,
      status, digest, attempts, next_attempt_at, last_error, delivered_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, ?, ?)`);
    this.contactsOf = db.prepare('SELECT * FROM contacts WHERE org_id = ? AND enabled = 1 ORDER BY channel, address');
    this.notificationStmt = db.prepare(`SELECT doc FROM notifications WHERE id = @id AND ${scopePredicate('org_id')}`);
    this.getStmt = db.prepare(`SELECT * FROM deliveries WHERE id = @id AND ${scopePredicate('org_id')}`);
    this.enqueueTx = db.transaction((notifications, route, now) => {
      const stored: string[] = [];
      for (const n of notifications) {
        const created = Date.parse(n.createdAt);
        const inserted = this.insertNotification.run(n.id, n.orgId, n.kind, n.subjectId, n.severity, JSON.stringify(n), Number.isNaN(created) ? now : created, now);
        if (inserted.changes === 0) continue;
        stored.push(n.id);
        for (const d of route(n, this.contactsOf.all(n.orgId).map(toStoredContact))) {
          this.insertDelivery.run(d.id, n.id, d.contactId, n.orgId, n.subjectId, n.kind, n.severity, d.channel, d.address, d.status, toFlag(d.digest), d.nextAttemptAt, d.lastError, now, now);
        }
      }
      return stored;
    });
    this.delivered = db.prepare("UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, updated_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'");
    this.failed = db.prepare(`UPDATE deliveries SET attempts = attempts + 1, last_error = ?, updated_at = ?, next_attempt_at = ?,
      status = CASE WHEN ? = 'failed' THEN 'failed' ELSE status END WHERE id = ? AND status = 'pending'`);
    this.deliveredTx = db.transaction((ids, at) => {
      for (const id of ids) this.delivered.run(at, at, id);
    });
    this.failedTx = db.transaction((ids, error, at, next) => {
      for (const id of ids) this.failed.run(error, at, next, next === null ? 'failed' : 'pending', id);
    });
  }

  enqueue(scope: Scope, notifications: readonly Notification[], route: (n: Notification, contacts: readonly StoredContact[]) => NewDelivery[], now: number): string[] {
    for (const n of notifications) scope.assertIncludes(n.orgId);
    try {
      return this.enqueueTx(notifications, route, now);
    } catch (err) {
      rethrowConstraint(err, { foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: notifications.map((n) => n.orgId).join(', ') }) });
    }
  }

  notification(scope: Scope, id: string): Notification | null {
    const row = this.notificationStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : (JSON.parse(row.doc) as Notification);
  }

  due(scope: Scope, now: number, channels: readonly ContactChannel[], limit: number): DueDelivery[] {
    if (channels.length === 0) return [];
    const params: unknown[] = [JSON.stringify(channels), now];
    const scoped = scopeClause(scope, 'd.org_id', params);
    params.push(limit);
    const rows = this.statements
      .get<DeliveryRow & { doc: string }>(`SELECT d.*, n.doc FROM deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.status = 'pending' AND d.channel IN (SELECT value FROM json_each(?)) AND d.next_attempt_at <= ?${scoped === null ? '' : ` AND ${scoped}`}
        ORDER BY d.next_attempt_at, d.id LIMIT ?`)
      .all(...params);
    return rows.map((row) => ({ delivery: toDelivery(row), notification: JSON.parse(row.doc) as Notification }));
  }

  nextDueAt(scope: Scope, channels: readonly ContactChannel[]): number | null {
    const params: unknown[] = [JSON.stringify(channels)];
    const scoped = scopeClause(scope, 'org_id', params);
    const row = this.statements
      .get<{ at: number | null }>(`SELECT min(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND channel IN (SELECT value FROM json_each(?))${scoped === null ? '' : ` AND ${scoped}`}`)
      .get(...params);
    return row?.at ?? null;
  }

  markDelivered(scope: Scope, ids: readonly string[], at: number): void {
    this.deliveredTx(this.inScope(scope, ids), at);
  }

  markAttemptFailed(scope: Scope, ids: readonly string[], error: string, at: number, nextAttemptAt: number | null): void {
    this.failedTx(this.inScope(scope, ids), error.slice(0, 2000), at, nextAttemptAt);
  }

  noteWaiting(scope: Scope, channel: ContactChannel, reason: string, at: number): void {
    const params: unknown[] = [reason, at, channel, reason];
    const scoped = scopeClause(scope, 'org_id', params);
    this.statements
      .get(`UPDATE deliveries SET last_error = ?, updated_at = ? WHERE status = 'pending' AND channel = ? AND last_error IS NOT ?${scoped === null ? '' : ` AND ${scoped}`}`)
      .run(...params);
  }

  list(scope: Scope, query: DeliveryQuery): Delivery[] {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    for (const [column, value] of [['status', query.status], ['subject_id', query.subjectId], ['notification_id', query.notificationId], ['channel', query.channel]] as const) {
      if (value === undefined) continue;
      conditions.push(`${column} = ?`);
      params.push(value);
    }
    params.push(query.limit);
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return this.statements.get<DeliveryRow>(`SELECT * FROM deliveries${where} ORDER BY created_at DESC, id LIMIT ?`).all(...params).map(toDelivery);
  }

  get(scope: Scope, id: string): Delivery | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toDelivery(row);
  }

  retryNow(scope: Scope, id: string, now: number): Delivery {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Delivery', id });
    if (current.status !== 'pending' && current.status !== 'failed') {
      throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `delivery ${id} is ${current.status}; only pending or failed deliveries can be retried` });
    }
    if (current.contactId === null) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `delivery ${id} has no contact any more (it was deleted)` });
    this.statements.get("UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
    return this.get(scope, id) as Delivery;
  }

  /** The ids among `ids` whose deliveries lie in the scope. */
  private inScope(scope: Scope, ids: readonly string[]): readonly string[] {
    if (scope.unrestricted) return ids;
    return ids.filter((id) => this.getStmt.get({ scope: scopeJson(scope), id }) !== undefined);
  }
}

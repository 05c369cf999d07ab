/**
 * @module store/sqlite/systems
 * Information systems and their software. A system row keeps its lists (host names, URLs, ranges,
 * sensors) as JSON; software has its own table, indexed by vendor and product, because advisories
 * ask "which systems run product X" across the whole country. Every statement carries the scope;
 * a system outside it is not found, so its existence is not revealed.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { withBudgetMeasures, type InformationSystem, type InstalledSoftware, type SecurityLevel, type StoredInformationSystem, type SystemPatch } from '../../inventory/model.js';
import type { SoftwareQuery, SoftwareUse, SystemQuery, SystemRepository } from '../store.js';
import { definedOnly, fromFlag, fromJsonList, toFlag, toIso, toMillis } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeClause, scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface SystemRow {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  owner_unit: string;
  owner_person: string | null;
  owner_contact: string | null;
  security_level: number;
  hostnames: string;
  urls: string;
  ip_ranges: string;
  sensor_ids: string;
  plan_approved: number;
  plan_approved_on: string | null;
  budget_total: number | null;
  budget_security: number | null;
  created_at: number;
  updated_at: number;
}

interface SoftwareRow {
  system_id: string;
  position: number;
  cpe: string;
  part: string;
  vendor: string;
  product: string;
  version: string | null;
}

function toSoftware(row: SoftwareRow): InstalledSoftware {
  return { cpe: row.cpe, part: row.part as InstalledSoftware['part'], vendor: row.vendor, product: row.product, version: row.version };
}

function toSystem(row: SystemRow, software: InstalledSoftware[]): InformationSystem {
  return withBudgetMeasures({
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    owner: { unit: row.owner_unit, person: row.owner_person, contact: row.owner_contact },
    securityLevel: row.security_level as SecurityLevel,
    hostnames: fromJsonList(row.hostnames),
    urls: fromJsonList(row.urls),
    ipRanges: fromJsonList(row.ip_ranges),
    software,
    sensorIds: fromJsonList(row.sensor_ids),
    securityPlan: { approved: fromFlag(row.plan_approved), approvedOn: row.plan_approved_on },
    budget: { currency: 'VND', total: row.budget_total, security: row.budget_security },
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  });
}

function columnsOf(s: StoredInformationSystem): unknown[] {
  return [
    s.name, s.description, s.owner.unit, s.owner.person, s.owner.contact, s.securityLevel, JSON.stringify(s.hostnames), JSON.stringify(s.urls),
    JSON.stringify(s.ipRanges), JSON.stringify(s.sensorIds), toFlag(s.securityPlan.approved), s.securityPlan.approvedOn, s.budget.total,
    s.budget.security, toMillis(s.updatedAt, 'updatedAt'),
  ];
}

const uniqueMessages = (s: { id: string; name: string }): Record<string, string> => ({
  'information_systems.id': `system ${s.id} already exists`,
  'information_systems.org_id, information_systems.name': `the organisation already has a system named "${s.name}"`,
});

export class SqliteSystemRepository implements SystemRepository {
  private readonly getStmt: Database.Statement<{ scope: string | null; id: string }, SystemRow>;
  private readonly softwareOf: Database.Statement<[string], SoftwareRow>;
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly updateStmt: Database.Statement<unknown[]>;
  private readonly deleteStmt: Database.Statement<[string]>;
  private readonly insertSoftware: Database.Statement<unknown[]>;
  private readonly clearSoftware: Database.Statement<[string]>;
  private readonly createTx: (system: StoredInformationSystem) => void;
  private readonly updateTx: (next: StoredInformationSystem, software: boolean) => void;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.getStmt = db.prepare(`SELECT * FROM information_systems WHERE id = @id AND ${scopePredicate('org_id')}`);
    this.softwareOf = db.prepare('SELECT * FROM system_software WHERE system_id = ? ORDER BY position');
    this.insertStmt = db.prepare(`INSERT INTO information_systems (name, description, owner_unit, owner_person, owner_contact, security_level,
      hostnames, urls, ip_ranges, sensor_ids, plan_approved, plan_approved_on, budget_total, budget_security, updated_at, id, org_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare(`UPDATE information_systems SET name = ?, description = ?, owner_unit = ?, owner_person = ?, owner_contact = ?,
      security_level = ?, hostnames = ?, urls = ?, ip_ranges = ?, sensor_ids = ?, plan_approved = ?, plan_approved_on = ?, budget_total = ?,
      budget_security = ?, updated_at = ? WHERE id = ?`);
    this.deleteStmt = db.prepare('DELETE FROM information_systems WHERE id = ?');
    this.insertSoftware = db.prepare('INSERT INTO system_software (system_id, position, org_id, cpe, part, vendor, product, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.clearSoftware = db.prepare('DELETE FROM system_software WHERE system_id = ?');
    const writeSoftware = (s: StoredInformationSystem): void => {
      s.software.forEach((sw, i) => this.insertSoftware.run(s.id, i, s.orgId, sw.cpe, sw.part, sw.vendor, sw.product, sw.version));
    };
    this.createTx = db.transaction((s: StoredInformationSystem) => {
      this.insertStmt.run(...columnsOf(s), s.id, s.orgId, toMillis(s.createdAt, 'createdAt'));
      writeSoftware(s);
    });
    this.updateTx = db.transaction((s: StoredInformationSystem, software: boolean) => {
      this.updateStmt.run(...columnsOf(s), s.id);
      if (software) {
        this.clearSoftware.run(s.id);
        writeSoftware(s);
      }
    });
  }

  list(scope: Scope, query: SystemQuery = {}): InformationSystem[] {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const scoped = scopeClause(scope, 's.org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (query.securityLevel !== undefined) {
      conditions.push('s.security_level = ?');
      params.push(query.securityLevel);
    }
    if (query.belowSecurityBudgetMinimum !== undefined) {
      // Exact in integers: security / total < 1/10 ⇔ security × 10 < total (total > 0).
      const below = 's.budget_total > 0 AND s.budget_security IS NOT NULL AND s.budget_security * 10 < s.budget_total';
      conditions.push(query.belowSecurityBudgetMinimum ? `(${below})` : `NOT coalesce(${below}, 0)`);
    }
    const software: string[] = [];
    for (const [column, value] of [['vendor', query.vendor], ['product', query.product], ['cpe', query.cpe]] as const) {
      if (value === undefined) continue;
      software.push(`w.${column} = ?`);
      params.push(value.toLowerCase());
    }
    if (software.length > 0) conditions.push(`EXISTS (SELECT 1 FROM system_software w WHERE w.system_id = s.id AND ${software.join(' AND ')})`);
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.statements.get<SystemRow>(`SELECT s.* FROM information_systems s${where} ORDER BY s.org_id, s.name, s.id`).all(...params);
    return this.withSoftware(rows);
  }

  /** The systems with their software, read in one query. */
  private withSoftware(rows: SystemRow[]): InformationSystem[] {
    if (rows.length === 0) return [];
    const bySystem = new Map<string, InstalledSoftware[]>(rows.map((r) => [r.id, []]));
    const softwareRows = this.statements
      .get<SoftwareRow>('SELECT * FROM system_software WHERE system_id IN (SELECT value FROM json_each(?)) ORDER BY system_id, position')
      .all(JSON.stringify(rows.map((r) => r.id)));
    for (const row of softwareRows) bySystem.get(row.system_id)?.push(toSoftware(row));
    return rows.map((row) => toSystem(row, bySystem.get(row.id) ?? []));
  }

  get(scope: Scope, id: string): InformationSystem | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toSystem(row, this.softwareOf.all(id).map(toSoftware));
  }

  create(scope: Scope, system: StoredInformationSystem): void {
    scope.assertIncludes(system.orgId);
    try {
      this.createTx(system);
    } catch (err) {
      rethrowConstraint(err, {
        unique: uniqueMessages(system),
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: system.orgId }),
      });
    }
  }

  update(scope: Scope, id: string, patch: SystemPatch, updatedAt: string): InformationSystem {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'System', id });
    const { securityBudgetShare: _share, securityBudgetBelowMinimum: _below, ...stored } = current;
    const next: StoredInformationSystem = { ...stored, ...definedOnly(patch), updatedAt };
    try {
      this.updateTx(next, patch.software !== undefined);
    } catch (err) {
      rethrowConstraint(err, { unique: uniqueMessages(next) });
    }
    return this.get(scope, id) as InformationSystem;
  }

  delete(scope: Scope, id: string): boolean {
    if (this.getStmt.get({ scope: scopeJson(scope), id }) === undefined) return false;
    return this.deleteStmt.run(id).changes > 0;
  }

  findSoftware(scope: Scope, query: SoftwareQuery): SoftwareUse[] {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const scoped = scopeClause(scope, 'w.org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (query.vendor !== undefined) {
      conditions.push('w.vendor = ?');
      params.push(query.vendor.toLowerCase());
    }
    if (query.product !== undefined) {
      conditions.push('w.product = ?');
      params.push(query.product.toLowerCase());
    }
    if (query.vendor === undefined && query.product === undefined) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'give a vendor, a product or both' });
    }
    const matches = this.statements
      .get<SoftwareRow>(`SELECT w.* FROM system_software w WHERE ${conditions.join(' AND ')} ORDER BY w.system_id, w.position`)
      .all(...params);
    if (matches.length === 0) return [];
    const ids = [...new Set(matches.map((m) => m.system_id))];
    const rows = this.statements.get<SystemRow>('SELECT * FROM information_systems WHERE id IN (SELECT value FROM json_each(?)) ORDER BY org_id, name, id').all(JSON.stringify(ids));
    const systems = new Map(this.withSoftware(rows).map((s) => [s.id, s]));
    const bySystem = new Map<string, SoftwareRow[]>();
    for (const m of matches) {
      const list = bySystem.get(m.system_id);
      if (list) list.push(m);
      else bySystem.set(m.system_id, [m]);
    }
    return rows.flatMap((row) => (bySystem.get(row.id) ?? []).map((m) => ({ system: systems.get(row.id) as InformationSystem, software: toSoftware(m) })));
  }
}

/**
 * @module store/sqlite/orgs
 * The organisation tree. A new organisation hangs below a parent inside the caller's scope (so a
 * province can add agencies but never a sibling province); a new root needs the system scope.
 * Lookups outside the scope answer null, so existence is not revealed.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Organization, OrgKind } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { OrgRepository } from '../store.js';
import { definedOnly, fromFlag, toFlag, toIso, toMillis } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface OrgRow {
  id: string;
  parent_id: string | null;
  code: string;
  name_vi: string;
  name_en: string;
  kind: OrgKind;
  sector: string | null;
  region: string | null;
  demo: number;
  created_at: number;
}

type ScopeParam = { scope: string | null };

function toOrganization(row: OrgRow): Organization {
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    nameVi: row.name_vi,
    nameEn: row.name_en,
    kind: row.kind,
    sector: row.sector,
    region: row.region,
    demo: fromFlag(row.demo),
    createdAt: toIso(row.created_at),
  };
}

export class SqliteOrgRepository implements OrgRepository {
  private readonly listStmt: Database.Statement<ScopeParam, OrgRow>;
  private readonly getStmt: Database.Statement<ScopeParam & { id: string }, OrgRow>;
  private readonly byCodeStmt: Database.Statement<ScopeParam & { code: string }, OrgRow>;
  private readonly insertStmt: Database.Statement<[string, string | null, string, string, string, string, string | null, string | null, number, number]>;
  private readonly updateStmt: Database.Statement<[string, string, string | null, string | null, string]>;

  constructor(db: Database.Database) {
    const inScope = scopePredicate('id');
    // Insertion order lists parents before their children, which is what tree builders want.
    this.listStmt = db.prepare(`SELECT * FROM orgs WHERE ${inScope} ORDER BY rowid`);
    this.getStmt = db.prepare(`SELECT * FROM orgs WHERE id = @id AND ${inScope}`);
    this.byCodeStmt = db.prepare(`SELECT * FROM orgs WHERE code = @code AND ${inScope}`);
    this.insertStmt = db.prepare(`INSERT INTO orgs (id, parent_id, code, name_vi, name_en, kind, sector, region, demo, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare('UPDATE orgs SET name_vi = ?, name_en = ?, sector = ?, region = ? WHERE id = ?');
  }

  list(scope: Scope): Organization[] {
    return this.listStmt.all({ scope: scopeJson(scope) }).map(toOrganization);
  }

  get(scope: Scope, id: string): Organization | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toOrganization(row);
  }

  getByCode(scope: Scope, code: string): Organization | null {
    const row = this.byCodeStmt.get({ scope: scopeJson(scope), code });
    return row === undefined ? null : toOrganization(row);
  }

  create(scope: Scope, org: Organization): void {
    if (org.parentId === null) {
      if (!scope.unrestricted) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId: org.id });
    } else scope.assertIncludes(org.parentId);
    const parentId = org.parentId;
    try {
      this.insertStmt.run(org.id, parentId, org.code, org.nameVi, org.nameEn, org.kind, org.sector, org.region, toFlag(org.demo), toMillis(org.createdAt, 'createdAt'));
    } catch (err) {
      rethrowConstraint(err, {
        unique: {
          'orgs.code': `organisation code ${org.code} already exists`,
          'orgs.id': `organisation ${org.id} already exists`,
        },
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: parentId ?? '' }),
      });
    }
  }

  update(scope: Scope, id: string, patch: Partial<Pick<Organization, 'nameVi' | 'nameEn' | 'sector' | 'region'>>): Organization {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id });
    const next: Organization = { ...current, ...definedOnly(patch) };
    this.updateStmt.run(next.nameVi, next.nameEn, next.sector, next.region, id);
    return next;
  }
}


/**
 * @module store/sqlite/rule-controls
 * What organisations decide about rules: exceptions (suppress a rule for a host or a value, with
 * who and why) and settings (a rule on or off for everyone, or for one organisation's subtree),
 * plus the opaque state detection saves beside its cursor (correlation windows).
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { RuleException, RuleSetting } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { ConsumerStateRepository, RuleExceptionRepository, RuleSettingRepository } from '../store.js';
import { toIso, toMillis } from './columns.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface ExceptionRow {
  id: string;
  org_id: string;
  rule_id: string;
  field: string;
  value: string;
  reason: string;
  created_by: string;
  created_at: number;
}

export class SqliteRuleExceptionRepository implements RuleExceptionRepository {
  private readonly listAll: Database.Statement<{ scope: string | null }, ExceptionRow>;
  private readonly listRule: Database.Statement<{ scope: string | null; rule: string }, ExceptionRow>;
  private readonly insert: Database.Statement<unknown[]>;
  private readonly remove: Database.Statement<{ scope: string | null; id: string }>;

  constructor(db: Database.Database) {
    this.listAll = db.prepare(`SELECT * FROM rule_exceptions WHERE ${scopePredicate('org_id')} ORDER BY created_at`);
    this.listRule = db.prepare(`SELECT * FROM rule_exceptions WHERE rule_id = @rule AND ${scopePredicate('org_id')} ORDER BY created_at`);
    this.insert = db.prepare('INSERT INTO rule_exceptions (id, org_id, rule_id, field, value, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.remove = db.prepare(`DELETE FROM rule_exceptions WHERE id = @id AND ${scopePredicate('org_id')}`);
  }

  list(scope: Scope, ruleId?: string): RuleException[] {
    const rows = ruleId === undefined ? this.listAll.all({ scope: scopeJson(scope) }) : this.listRule.all({ scope: scopeJson(scope), rule: ruleId });
    return rows.map((r) => ({ id: r.id, orgId: r.org_id, ruleId: r.rule_id, field: r.field, value: r.value, reason: r.reason, createdBy: r.created_by, createdAt: toIso(r.created_at) }));
  }

  create(scope: Scope, e: RuleException): void {
    scope.assertIncludes(e.orgId);
    this.insert.run(e.id, e.orgId, e.ruleId, e.field, e.value, e.reason, e.createdBy, toMillis(e.createdAt, 'createdAt'));
  }

  delete(scope: Scope, id: string): boolean {
    return this.remove.run({ scope: scopeJson(scope), id }).changes > 0;
  }
}

interface SettingRow {
  rule_id: string;
  org_id: string;
  enabled: number;
  updated_by: string;
  updated_at: number;
}

export class SqliteRuleSettingRepository implements RuleSettingRepository {
  private readonly listStmt: Database.Statement<{ scope: string | null }, SettingRow>;
  private readonly upsert: Database.Statement<unknown[]>;

  constructor(db: Database.Database) {
    this.listStmt = db.prepare(`SELECT * FROM rule_settings WHERE org_id = '' OR ${scopePredicate('org_id')} ORDER BY rule_id, org_id`);
    this.upsert = db.prepare(`INSERT INTO rule_settings (rule_id, org_id, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (rule_id, org_id) DO UPDATE SET enabled = excluded.enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  }

  list(scope: Scope): RuleSetting[] {
    return this.listStmt.all({ scope: scopeJson(scope) }).map((r) => ({
      ruleId: r.rule_id,
      orgId: r.org_id === '' ? null : r.org_id,
      enabled: r.enabled !== 0,
      updatedBy: r.updated_by,
      updatedAt: toIso(r.updated_at),
    }));
  }

  set(scope: Scope, setting: RuleSetting): void {
    if (setting.orgId === null) {
      if (!scope.unrestricted) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId: '(every organisation)' });
    } else scope.assertIncludes(setting.orgId);
    this.upsert.run(setting.ruleId, setting.orgId ?? '', setting.enabled ? 1 : 0, setting.updatedBy, toMillis(setting.updatedAt, 'updatedAt'));
  }
}

export class SqliteConsumerStateRepository implements ConsumerStateRepository {
  private readonly getStmt: Database.Statement<[string], { state: string }>;
  private readonly saveAll: (consumer: string, seq: number, state: string) => void;

  constructor(db: Database.Database, clock: Clock) {
    this.getStmt = db.prepare('SELECT state FROM consumer_state WHERE consumer = ?');
    const saveState = db.prepare(`INSERT INTO consumer_state (consumer, state, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (consumer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);
    const saveCursor = db.prepare(`INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`);
    this.saveAll = db.transaction((consumer: string, seq: number, state: string) => {
      const now = clock.now();
      saveState.run(consumer, state, now);
      saveCursor.run(consumer, seq, now);
    });
  }

  get(_scope: Scope, consumer: string): string | null {
    return this.getStmt.get(consumer)?.state ?? null;
  }

  save(scope: Scope, consumer: string, seq: number, state: string): void {
    if (!scope.unrestricted) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId: scope.rootOrgId ?? '' });
    this.saveAll(consumer, seq, state);
  }
}

/**
 * @module store/sqlite/users
 * People who sign in. Usernames are unique regardless of case (`Admin` and `admin` must not be two
 * accounts an operator could confuse), and the password hash is only read by `findCredentials`.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Role, User, UserCredentials } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { UserRepository } from '../store.js';
import { definedOnly, fromFlag, toFlag, toIso, toMillis } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface UserRow {
  id: string;
  org_id: string;
  username: string;
  display_name: string;
  role: Role;
  locale: 'vi' | 'en';
  password_hash: string;
  disabled: number;
  demo: number;
  created_at: number;
}

type ScopeParam = { scope: string | null };
type UserPatch = Partial<Pick<UserCredentials, 'displayName' | 'role' | 'locale' | 'disabled' | 'passwordHash'>>;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.org_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    disabled: fromFlag(row.disabled),
    demo: fromFlag(row.demo),
    createdAt: toIso(row.created_at),
  };
}

function toCredentials(row: UserRow): UserCredentials {
  return { ...toUser(row), passwordHash: row.password_hash };
}

export class SqliteUserRepository implements UserRepository {
  private readonly listStmt: Database.Statement<ScopeParam, UserRow>;
  private readonly getStmt: Database.Statement<ScopeParam & { id: string }, UserRow>;
  private readonly byNameStmt: Database.Statement<ScopeParam & { username: string }, UserRow>;
  private readonly insertStmt: Database.Statement<[string, string, string, string, string, string, string, number, number, number]>;
  private readonly updateStmt: Database.Statement<[string, string, string, number, string, string]>;

  constructor(db: Database.Database) {
    const inScope = scopePredicate('org_id');
    this.listStmt = db.prepare(`SELECT * FROM users WHERE ${inScope} ORDER BY username`);
    this.getStmt = db.prepare(`SELECT * FROM users WHERE id = @id AND ${inScope}`);
    this.byNameStmt = db.prepare(`SELECT * FROM users WHERE username = @username AND ${inScope}`);
    this.insertStmt = db.prepare(`INSERT INTO users (id, org_id, username, display_name, role, locale, password_hash, disabled, demo, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare('UPDATE users SET display_name = ?, role = ?, locale = ?, disabled = ?, password_hash = ? WHERE id = ?');
  }

  list(scope: Scope): User[] {
    return this.listStmt.all({ scope: scopeJson(scope) }).map(toUser);
  }

  get(scope: Scope, id: string): User | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toUser(row);
  }

  findCredentials(scope: Scope, username: string): UserCredentials | null {
    const row = this.byNameStmt.get({ scope: scopeJson(scope), username });
    return row === undefined ? null : toCredentials(row);
  }

  create(scope: Scope, user: UserCredentials): void {
    scope.assertIncludes(user.orgId);
    try {
      this.insertStmt.run(
        user.id, user.orgId, user.username, user.displayName, user.role, user.locale, user.passwordHash,
        toFlag(user.disabled), toFlag(user.demo), toMillis(user.createdAt, 'createdAt'),
      );
    } catch (err) {
      rethrowConstraint(err, {
        unique: { 'users.username': `username ${user.username} already exists`, 'users.id': `user ${user.id} already exists` },
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: user.orgId }),
      });
    }
  }

  update(scope: Scope, id: string, patch: UserPatch): User {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    if (row === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'User', id });
    const next: UserCredentials = { ...toCredentials(row), ...definedOnly(patch) };
    this.updateStmt.run(next.displayName, next.role, next.locale, toFlag(next.disabled), next.passwordHash, id);
    const { passwordHash: _hash, ...user } = next;
    return user;
  }
}

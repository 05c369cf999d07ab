/**
 * @module store/sqlite/credentials
 * Sessions and API tokens, stored by the SHA-256 digest of their secret (see core/ids). A session
 * belongs to a user and is scoped through the user's organisation; a token carries its organisation.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { ApiToken } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { CredentialRepository, Session } from '../store.js';
import { fromFlag, toFlag, toIso, toIsoOrNull, toMillis, toMillisOrNull } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface SessionRow {
  digest: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

interface TokenRow {
  id: string;
  user_id: string;
  org_id: string;
  name: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked: number;
}

type ScopeParam = { scope: string | null };

function toSession(row: SessionRow): Session {
  return { digest: row.digest, userId: row.user_id, createdAt: toIso(row.created_at), expiresAt: toIso(row.expires_at) };
}

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    orgId: row.org_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: toIso(row.created_at),
    expiresAt: toIsoOrNull(row.expires_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    revoked: fromFlag(row.revoked),
  };
}

const tokenColumns = 'id, user_id, org_id, name, prefix, created_at, expires_at, last_used_at, revoked';

export class SqliteCredentialRepository implements CredentialRepository {
  private readonly userOrg: Database.Statement<{ id: string }, { org_id: string }>;
  private readonly insertSession: Database.Statement<[string, string, number, number]>;
  private readonly findSessionStmt: Database.Statement<ScopeParam & { digest: string }, SessionRow>;
  private readonly deleteSessionStmt: Database.Statement<ScopeParam & { digest: string }>;
  private readonly expireSessionsStmt: Database.Statement<ScopeParam & { before: number }>;
  private readonly insertToken: Database.Statement<[string, string, string, string, string, string, number, number | null, number | null, number]>;
  private readonly listTokensStmt: Database.Statement<ScopeParam & { userId: string }, TokenRow>;
  private readonly findTokenStmt: Database.Statement<ScopeParam & { digest: string }, TokenRow>;
  private readonly revokeStmt: Database.Statement<ScopeParam & { id: string }>;
  private readonly touchStmt: Database.Statement<ScopeParam & { id: string; at: number }>;

  constructor(db: Database.Database) {
    const userInScope = `user_id IN (SELECT id FROM users WHERE ${scopePredicate('org_id')})`;
    this.userOrg = db.prepare('SELECT org_id FROM users WHERE id = @id');
    this.insertSession = db.prepare('INSERT INTO sessions (digest, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
    this.findSessionStmt = db.prepare(`SELECT * FROM sessions WHERE digest = @digest AND ${userInScope}`);
    this.deleteSessionStmt = db.prepare(`DELETE FROM sessions WHERE digest = @digest AND ${userInScope}`);
    this.expireSessionsStmt = db.prepare(`DELETE FROM sessions WHERE expires_at < @before AND ${userInScope}`);
    this.insertToken = db.prepare(`INSERT INTO api_tokens (id, user_id, org_id, name, prefix, digest, created_at, expires_at, last_used_at, revoked)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const tokenInScope = scopePredicate('org_id');
    this.listTokensStmt = db.prepare(`SELECT ${tokenColumns} FROM api_tokens WHERE user_id = @userId AND ${tokenInScope} ORDER BY created_at, id`);
    this.findTokenStmt = db.prepare(`SELECT ${tokenColumns} FROM api_tokens WHERE digest = @digest AND ${tokenInScope}`);
    this.revokeStmt = db.prepare(`UPDATE api_tokens SET revoked = 1 WHERE id = @id AND ${tokenInScope}`);
    this.touchStmt = db.prepare(`UPDATE api_tokens SET last_used_at = @at WHERE id = @id AND ${tokenInScope}`);
  }

  createSession(scope: Scope, session: Session): void {
    this.assertUserInScope(scope, session.userId);
    try {
      this.insertSession.run(session.digest, session.userId, toMillis(session.createdAt, 'createdAt'), toMillis(session.expiresAt, 'expiresAt'));
    } catch (err) {
      rethrowConstraint(err, { unique: { 'sessions.digest': 'a session with this digest already exists' } });
    }
  }

  findSession(scope: Scope, digest: string): Session | null {
    const row = this.findSessionStmt.get({ scope: scopeJson(scope), digest });
    return row === undefined ? null : toSession(row);
  }

  deleteSession(scope: Scope, digest: string): void {
    this.deleteSessionStmt.run({ scope: scopeJson(scope), digest });
  }

  expireSessions(scope: Scope, before: number): number {
    return this.expireSessionsStmt.run({ scope: scopeJson(scope), before }).changes;
  }

  createToken(scope: Scope, token: ApiToken, digest: string): void {
    scope.assertIncludes(token.orgId);
    try {
      this.insertToken.run(
        token.id, token.userId, token.orgId, token.name, token.prefix, digest, toMillis(token.createdAt, 'createdAt'),
        toMillisOrNull(token.expiresAt, 'expiresAt'), toMillisOrNull(token.lastUsedAt, 'lastUsedAt'), toFlag(token.revoked),
      );
    } catch (err) {
      rethrowConstraint(err, {
        unique: { 'api_tokens.digest': 'a token with this digest already exists', 'api_tokens.id': `token ${token.id} already exists` },
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'User', id: token.userId }),
      });
    }
  }

  listTokens(scope: Scope, userId: string): ApiToken[] {
    return this.listTokensStmt.all({ scope: scopeJson(scope), userId }).map(toToken);
  }

  findToken(scope: Scope, digest: string): ApiToken | null {
    const row = this.findTokenStmt.get({ scope: scopeJson(scope), digest });
    return row === undefined ? null : toToken(row);
  }

  revokeToken(scope: Scope, id: string): void {
    if (this.revokeStmt.run({ scope: scopeJson(scope), id }).changes === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Token', id });
  }

  touchToken(scope: Scope, id: string, at: string): void {
    if (this.touchStmt.run({ scope: scopeJson(scope), id, at: toMillis(at, 'lastUsedAt') }).changes === 0) {
      throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Token', id });
    }
  }

  /** A session is written for a user of the scope; an unknown user is reported as not found. */
  private assertUserInScope(scope: Scope, userId: string): void {
    const row = this.userOrg.get({ id: userId });
    if (row === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'User', id: userId });
    scope.assertIncludes(row.org_id);
  }
}

/**
 * @module store/sqlite/dead-letters
 * Lines that could not be accepted, kept with their reason and raw text so an agency can see what
 * its sensor sent wrong. Written by ingest inside the batch's transaction; listed newest first with
 * keyset pagination on (received_at, n).
 */
import type Database from 'better-sqlite3';
import { newId } from '../../core/ids.js';
import type { DeadLetter } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import { VigilError } from '../../core/errors.js';
import type { DeadLetterQuery, DeadLetterRepository, DeadLetterToStore } from '../store.js';
import { toIso } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { scopeClause } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface DeadLetterRow {
  n: number;
  id: string;
  org_id: string;
  sensor_id: string;
  parser: string;
  code: string;
  reason: string;
  line_no: number;
  raw: string;
  received_at: number;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    orgId: row.org_id,
    sensorId: row.sensor_id,
    parser: row.parser,
    code: row.code,
    reason: row.reason,
    lineNo: row.line_no,
    raw: row.raw,
    receivedAt: toIso(row.received_at),
  };
}

export class SqliteDeadLetterRepository implements DeadLetterRepository {
  private readonly insert: Database.Statement<[string, string, string, string, string, string, number, string, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insert = db.prepare(`INSERT INTO dead_letters (id, org_id, sensor_id, parser, code, reason, line_no, raw, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Stores a batch's dead letters (inside the commit; the caller checked the scope). */
  add(orgId: string, sensorId: string, receivedAt: number, letters: readonly DeadLetterToStore[]): void {
    for (const letter of letters) {
      this.insert.run(newId('dlq'), orgId, sensorId, letter.parser, letter.code, letter.reason, letter.lineNo, letter.raw, receivedAt);
    }
  }

  list(scope: Scope, query: DeadLetterQuery): { items: DeadLetter[]; next: string | null } {
    if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `limit must be a positive integer, got ${query.limit}` }, { field: 'limit' });
    }
    const hash = queryHash([query.sensorId ?? null, query.parser ?? null]);
    const conditions: string[] = [];
    const params: unknown[] = [];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (query.sensorId !== undefined) {
      conditions.push('sensor_id = ?');
      params.push(query.sensorId);
    }
    if (query.parser !== undefined) {
      conditions.push('parser = ?');
      params.push(query.parser);
    }
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor, hash, ['at', 'n'] as const);
      conditions.push('(received_at < ? OR (received_at = ? AND n < ?))');
      params.push(after.at, after.at, after.n);
    }
    const whereSql = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const sql = `SELECT * FROM dead_letters ${whereSql} ORDER BY received_at DESC, n DESC LIMIT ?`;
    const rows = this.statements.get<DeadLetterRow>(sql).all(...params, query.limit + 1);
    const page = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const next = rows.length > query.limit && last !== undefined ? encodeCursor({ at: last.received_at, n: last.n }, hash) : null;
    return { items: page.map(toDeadLetter), next };
  }

  dropBefore(scope: Scope, before: number): number {
    const params: unknown[] = [before];
    const scoped = scopeClause(scope, 'org_id', params);
    const sql = `DELETE FROM dead_letters WHERE received_at < ?${scoped === null ? '' : ` AND ${scoped}`}`;
    return this.db.prepare(sql).run(...params).changes;
  }
}

/**
 * @module store/sqlite/cursors
 * Consumer positions in seq space. A cursor is a position in the whole store's event stream, not
 * a row of one organisation, so moving it is the centre's own housekeeping: writes need the system
 * (unrestricted) scope, and any scope may read one.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { CursorRepository } from '../store.js';

export class SqliteCursorRepository implements CursorRepository {
  private readonly getStmt: Database.Statement<[string], { seq: number }>;
  private readonly setStmt: Database.Statement<[string, number, number]>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.getStmt = db.prepare('SELECT seq FROM consumer_cursors WHERE consumer = ?');
    this.setStmt = db.prepare(`INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`);
  }

  get(_scope: Scope, consumer: string): number {
    return this.getStmt.get(consumer)?.seq ?? 0;
  }

  set(scope: Scope, consumer: string, seq: number): void {
    if (!scope.unrestricted) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId: scope.rootOrgId ?? '' });
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `cursor seq must be a non-negative integer, got ${seq}` }, { field: 'seq' });
    }
    this.setStmt.run(consumer, seq, this.clock.now());
  }
}

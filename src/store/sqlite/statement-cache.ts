/**
 * @module store/sqlite/statement-cache
 * Prepared statements for SQL built at run time (searches over a set of day tables with optional
 * filters). Preparing costs more than running a small query, and the same shapes recur (the same
 * dashboard panel, the next page), so statements are kept by their text. The cache is bounded: a
 * query shape per filter combination and partition could otherwise grow without limit.
 */
import type Database from 'better-sqlite3';

const capacity = 256;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  constructor(private readonly db: Database.Database) {}

  /** The statement for `sql`; `Row` is the caller's promise about the selected columns. */
  get<Row>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= capacity) {
        // Map iteration is insertion order: evict the oldest shape.
        const oldest = this.statements.keys().next();
        if (oldest.done !== true) this.statements.delete(oldest.value);
      }
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }

  /** Forgets every statement, e.g. after tables were dropped. */
  clear(): void {
    this.statements.clear();
  }
}

/**
 * @module store/sqlite/constraints
 * Turns SQLite constraint failures into the API's errors. The database is the one place that can
 * decide uniqueness without a race, so repositories insert and translate the failure instead of
 * checking first.
 */
import Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';

export interface ConstraintMessages {
  /** Message for a UNIQUE / PRIMARY KEY failure, keyed by `table.column` as SQLite names it. */
  unique?: Record<string, string>;
  /** Error for a FOREIGN KEY failure (a parent row that does not exist). */
  foreignKey?: () => VigilError;
}

/** Rethrows `err` as a VigilError when it is a constraint failure described in `messages`. */
export function rethrowConstraint(err: unknown, messages: ConstraintMessages): never {
  if (err instanceof Database.SqliteError) {
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      // "UNIQUE constraint failed: orgs.code" (several columns are listed comma-separated)
      const columns = err.message.slice(err.message.indexOf(':') + 1).trim();
      const detail = messages.unique?.[columns] ?? `a record with the same ${columns} already exists`;
      throw new VigilError('VIGIL_ERR_CONFLICT', { detail });
    }
    if (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' && messages.foreignKey) throw messages.foreignKey();
  }
  throw err;
}

/**
 * @module store/sqlite/rollups
 * Per-minute event counts by organisation, dataset, category and outcome, kept in the batch's
 * transaction so dashboards never count events that were not stored (or miss ones that were).
 * Counting here instead of scanning events keeps overview panels cheap at any retention, and the
 * counts outlive the event partitions that retention drops.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { RollupDimension, RollupQuery, RollupRepository, RollupRow } from '../store.js';
import { rollupDimensions } from '../store.js';
import { scopeClause } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

const minuteMs = 60_000;

/** One key of the minute table with the number of events to add. Absent dimensions are ''. */
export interface RollupCount {
  minute: number;
  orgId: string;
  dataset: string;
  category: string;
  outcome: string;
  count: number;
}

const columnOf: Readonly<Record<RollupDimension, string>> = {
  orgId: 'org_id',
  dataset: 'dataset',
  category: 'category',
  outcome: 'outcome',
};

interface RollupResultRow {
  bucket: number;
  count: number;
  org_id?: string;
  dataset?: string;
  category?: string;
  outcome?: string;
}

export class SqliteRollupRepository implements RollupRepository {
  private readonly upsert: Database.Statement<[number, string, string, string, string, number]>;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO rollups_minute (minute, org_id, dataset, category, outcome, count) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (minute, org_id, dataset, category, outcome) DO UPDATE SET count = count + excluded.count`);
  }

  /** Adds a batch's counts, already aggregated so each key is written once (inside the commit). */
  add(counts: Iterable<RollupCount>): void {
    for (const c of counts) this.upsert.run(c.minute, c.orgId, c.dataset, c.category, c.outcome, c.count);
  }

  query(scope: Scope, query: RollupQuery): RollupRow[] {
    const { bucketMinutes } = query;
    if (!Number.isSafeInteger(bucketMinutes) || bucketMinutes < 1) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `bucketMinutes must be a positive integer, got ${bucketMinutes}` }, { field: 'bucketMinutes' });
    }
    const groupBy = rollupDimensions.filter((dimension) => query.groupBy.includes(dimension));
    const dimensionColumns = groupBy.map((dimension) => columnOf[dimension]);
    // Minutes whose start lies in [from, to); buckets align on the epoch (UTC hours and days). The
    // bucket uses % because better-sqlite3 binds numbers as REAL, which would make / a real division.
    const params: unknown[] = [bucketMinutes, Math.ceil(query.from / minuteMs), Math.ceil(query.to / minuteMs)];
    const conditions = ['minute >= ?', 'minute < ?'];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    const groupColumns = ['bucket', ...dimensionColumns].join(', ');
    const sql = `SELECT minute - minute % ? AS bucket${dimensionColumns.map((c) => `, ${c}`).join('')}, sum(count) AS count
      FROM rollups_minute WHERE ${conditions.join(' AND ')} GROUP BY ${groupColumns} ORDER BY ${groupColumns}`;
    return this.statements.get<RollupResultRow>(sql).all(...params).map((row) => {
      const result: RollupRow = { bucket: row.bucket * minuteMs, count: row.count };
      if (row.org_id !== undefined) result.orgId = row.org_id;
      if (row.dataset !== undefined) result.dataset = row.dataset;
      if (row.category !== undefined) result.category = row.category;
      if (row.outcome !== undefined) result.outcome = row.outcome;
      return result;
    });
  }
}

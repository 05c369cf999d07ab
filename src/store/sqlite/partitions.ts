/**
 * @module store/sqlite/partitions
 * Events live in one table per UTC day of `@timestamp` (`events_YYYYMMDD`), listed in
 * `event_partitions` with their seq and time bounds. Retention is then a DROP TABLE per expired day
 * — instant, with no long DELETE and no vacuum storm — and a query touches only the days it needs.
 *
 * This module owns the day tables, their registry, the cached insert statement of each day, and the
 * seq counter. The counter lives in memory (seq is assigned in commit order by the one process that
 * writes the file) and is persisted in `event_sequence` in each commit, so dropping every partition
 * never lets seq go back and re-deliver old positions to consumers.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import { eventPartitionDdl } from './migrations.js';

export const dayMs = 86_400_000;
/** Day tables are named by calendar date, so only four-digit years are representable. */
const minTs = 0;
const maxTs = Date.UTC(10000, 0, 1);

export type InsertEventParams = [
  seq: number,
  ts: number,
  orgId: string,
  sensorId: string,
  dataset: string | null,
  category: string | null,
  outcome: string | null,
  sourceIp: string | null,
  hostName: string | null,
  userName: string | null,
  original: string | null,
  doc: string,
];

export interface PartitionInfo {
  /** Epoch ms of the UTC midnight starting the day. */
  day: number;
  table: string;
  minSeq: number;
  maxSeq: number;
  minTs: number;
  maxTs: number;
  rows: number;
}

interface PartitionRow {
  day: number;
  table_name: string;
  min_seq: number;
  max_seq: number;
  min_ts: number;
  max_ts: number;
  rows: number;
}

const columns = 'day, table_name, min_seq, max_seq, min_ts, max_ts, rows';

function toInfo(row: PartitionRow): PartitionInfo {
  return { day: row.day, table: row.table_name, minSeq: row.min_seq, maxSeq: row.max_seq, minTs: row.min_ts, maxTs: row.max_ts, rows: row.rows };
}

/** `events_20240501` for any instant of 2024-05-01 UTC. */
export function partitionTableName(dayStart: number): string {
  const iso = new Date(dayStart).toISOString();
  return `events_${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

/** Throws for an instant no day table can hold (NaN, before 1970, after 9999). */
export function assertStorableTs(ts: number): void {
  if (!(ts >= minTs && ts < maxTs)) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `event time ${ts} is outside the storable range (1970–9999)` }, { field: '@timestamp' });
  }
}

export class EventPartitions {
  /** Counter of the last assigned seq; advanced by ingest only after its transaction commits. */
  lastSeq: number;
  private readonly inserts = new Map<number, Database.Statement<InsertEventParams>>();
  /** Days whose table was created by the transaction in progress (forgotten if it rolls back). */
  private created: number[] = [];
  private readonly listAll: Database.Statement<[], PartitionRow>;
  private readonly listAfterSeq: Database.Statement<[number], PartitionRow>;
  private readonly listOverlapping: Database.Statement<[number, number], PartitionRow>;
  private readonly listContainingSeq: Database.Statement<[number, number], PartitionRow>;
  private readonly listBefore: Database.Statement<[number], PartitionRow>;
  private readonly upsertStats: Database.Statement<[number, string, number, number, number, number, number]>;
  private readonly saveSeq: Database.Statement<[number]>;
  private readonly readSeq: Database.Statement<[], { seq: number | null }>;

  constructor(private readonly db: Database.Database) {
    this.listAll = db.prepare(`SELECT ${columns} FROM event_partitions ORDER BY day`);
    this.listAfterSeq = db.prepare(`SELECT ${columns} FROM event_partitions WHERE max_seq > ? ORDER BY min_seq`);
    this.listOverlapping = db.prepare(`SELECT ${columns} FROM event_partitions WHERE max_ts >= ? AND min_ts < ? ORDER BY day DESC`);
    this.listContainingSeq = db.prepare(`SELECT ${columns} FROM event_partitions WHERE min_seq <= ? AND max_seq >= ?`);
    this.listBefore = db.prepare(`SELECT ${columns} FROM event_partitions WHERE day < ? ORDER BY day`);
    this.upsertStats = db.prepare(`
      INSERT INTO event_partitions (day, table_name, min_seq, max_seq, min_ts, max_ts, rows) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day) DO UPDATE SET
        min_seq = min(min_seq, excluded.min_seq), max_seq = max(max_seq, excluded.max_seq),
        min_ts = min(min_ts, excluded.min_ts), max_ts = max(max_ts, excluded.max_ts),
        rows = rows + excluded.rows`);
    this.saveSeq = db.prepare('UPDATE event_sequence SET last_seq = ? WHERE id = 1');
    this.readSeq = db.prepare('SELECT max((SELECT last_seq FROM event_sequence), coalesce((SELECT max(max_seq) FROM event_partitions), 0)) AS seq');
    this.lastSeq = this.committedSeq();
  }

  /**
   * The insert statement of the day starting at `dayStart`, creating its table if needed. Must be
   * called inside the write transaction: the CREATE is part of it and rolls back with it.
   */
  insertFor(dayStart: number): Database.Statement<InsertEventParams> {
    let insert = this.inserts.get(dayStart);
    if (insert === undefined) {
      const table = partitionTableName(dayStart);
      this.db.exec(eventPartitionDdl(table));
      insert = this.db.prepare<InsertEventParams>(
        `INSERT INTO ${table} (seq, ts, org_id, sensor_id, dataset, category, outcome, source_ip, host_name, user_name, original, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.inserts.set(dayStart, insert);
      this.created.push(dayStart);
    }
    return insert;
  }

  /** Adds a committed batch's rows of one day to the registry (inside the write transaction). */
  recordRows(dayStart: number, minSeq: number, maxSeq: number, minTs: number, maxTs: number, rows: number): void {
    this.upsertStats.run(dayStart, partitionTableName(dayStart), minSeq, maxSeq, minTs, maxTs, rows);
  }

  /**
   * The highest seq committed, as the database says: right even when another connection (the
   * writer thread) is the one committing events.
   */
  committedSeq(): number {
    return this.readSeq.get()?.seq ?? 0;
  }

  /** Persists the counter (inside the write transaction). */
  persistLastSeq(seq: number): void {
    this.saveSeq.run(seq);
  }

  /** The write transaction committed: its tables exist for good. */
  committed(lastSeq: number): void {
    this.lastSeq = lastSeq;
    this.created = [];
  }

  /** The write transaction rolled back: tables it created are gone, so are their statements. */
  rolledBack(): void {
    for (const day of this.created) this.inserts.delete(day);
    this.created = [];
  }

  /** After a day table was dropped. */
  forget(dayStart: number): void {
    this.inserts.delete(dayStart);
  }

  all(): PartitionInfo[] {
    return this.listAll.all().map(toInfo);
  }

  /** Partitions holding some seq above `afterSeq`, ascending by their lowest seq. */
  withSeqAfter(afterSeq: number): PartitionInfo[] {
    return this.listAfterSeq.all(afterSeq).map(toInfo);
  }

  /** Partitions with events in [from, to), newest day first. */
  overlapping(from: number, to: number): PartitionInfo[] {
    return this.listOverlapping.all(from, to).map(toInfo);
  }

  /** Partitions whose seq range contains `seq` (ranges overlap when late events arrive). */
  containingSeq(seq: number): PartitionInfo[] {
    return this.listContainingSeq.all(seq, seq).map(toInfo);
  }

  /** Partitions of days starting before `dayStart`. */
  before(dayStart: number): PartitionInfo[] {
    return this.listBefore.all(dayStart).map(toInfo);
  }
}

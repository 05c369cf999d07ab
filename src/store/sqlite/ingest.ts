/**
 * @module store/sqlite/ingest
 * Batch commit, the hot path: one transaction stores the events (seq assigned in commit order),
 * the dead letters, the per-minute rollups and the idempotency record, so a 202 means all of it is
 * durable and a retried batch (same sensor and Idempotency-Key) is answered from the record and
 * stores nothing twice.
 *
 * Per event the loop does one JSON.stringify and one prepared INSERT; everything else (the day
 * table, its registry stats, the rollup keys) is aggregated in memory and written once per batch.
 */
import type Database from 'better-sqlite3';
import type { BatchSummary } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { BatchToCommit, CommitResult, IngestRepository } from '../store.js';
import type { SqliteDeadLetterRepository } from './dead-letters.js';
import { encodeEvent, type EncodedEvent } from './event-codec.js';
import { assertStorableTs, dayMs } from './partitions.js';
import type { EventPartitions, InsertEventParams } from './partitions.js';
import type { RollupCount, SqliteRollupRepository } from './rollups.js';
import { scopePredicate, scopeJson } from './scope-sql.js';

const minuteMs = 60_000;

/** A batch whose events are already encoded as rows (see `encodeEvent`). */
export interface EncodedBatch extends Omit<BatchToCommit, 'events'> {
  events: EncodedEvent[];
}

export function encodeBatch(batch: BatchToCommit): EncodedBatch {
  return { ...batch, events: batch.events.map(encodeEvent) };
}

/** One batch of a group commit and the scope it is written with. */
export interface GroupItem {
  scope: Scope;
  batch: EncodedBatch;
}

/** What a batch added to one day table, written to `event_partitions` once per batch. */
interface DayRows {
  insert: Database.Statement<InsertEventParams>;
  minSeq: number;
  maxSeq: number;
  minTs: number;
  maxTs: number;
  rows: number;
}

export class SqliteIngestRepository implements IngestRepository {
  private readonly findRecord: Database.Statement<[string, string], { summary: string; org_id: string }>;
  private readonly findScoped: Database.Statement<{ scope: string | null; sensorId: string; key: string }, { summary: string }>;
  private readonly insertRecord: Database.Statement<[string, string, string, number, string]>;
  private readonly expire: Database.Statement<{ scope: string | null; before: number }>;
  private readonly store: (scope: Scope, batch: EncodedBatch) => CommitResult;
  private readonly group: (items: GroupItem[]) => (CommitResult | Error)[];

  constructor(
    db: Database.Database,
    private readonly partitions: EventPartitions,
    private readonly rollups: SqliteRollupRepository,
    private readonly deadLetters: SqliteDeadLetterRepository,
  ) {
    this.findRecord = db.prepare('SELECT summary, org_id FROM ingest_batches WHERE sensor_id = ? AND key = ?');
    this.findScoped = db.prepare(`SELECT summary FROM ingest_batches WHERE sensor_id = @sensorId AND key = @key AND ${scopePredicate('org_id')}`);
    this.insertRecord = db.prepare('INSERT INTO ingest_batches (sensor_id, key, org_id, received_at, summary) VALUES (?, ?, ?, ?, ?)');
    this.expire = db.prepare(`DELETE FROM ingest_batches WHERE received_at < @before AND ${scopePredicate('org_id')}`);
    const transaction = db.transaction((scope: Scope, batch: EncodedBatch) => this.storeBatch(scope, batch));
    // IMMEDIATE takes the write lock up front: no deferred-to-write upgrade that could hit SQLITE_BUSY midway.
    this.store = (scope, batch) => transaction.immediate(scope, batch);
    const groupTransaction = db.transaction((items: GroupItem[]) => items.map((item) => this.storeInSavepoint(transaction, item)));
    this.group = (items) => groupTransaction.immediate(items);
  }

  commit(scope: Scope, batch: BatchToCommit): CommitResult {
    return this.commitEncoded(scope, encodeBatch(batch));
  }

  commitEncoded(scope: Scope, batch: EncodedBatch): CommitResult {
    scope.assertIncludes(batch.orgId);
    try {
      const result = this.store(scope, batch);
      if (result.status === 'stored' && result.summary.lastSeq !== null) this.partitions.committed(result.summary.lastSeq);
      return result;
    } catch (err) {
      this.partitions.rolledBack();
      throw err;
    }
  }

  /**
   * Group commit: several batches in one transaction — one commit, one fsync — each inside its
   * own savepoint, so a batch that fails is rolled back and reported alone while the others are
   * stored. Used by the writer thread for the batches that queued up during the previous commit.
   */
  commitGroup(items: GroupItem[]): (CommitResult | Error)[] {
    const before = this.partitions.lastSeq;
    try {
      const results = this.group(items);
      this.partitions.committed(this.partitions.lastSeq);
      return results;
    } catch (err) {
      this.partitions.lastSeq = before;
      this.partitions.rolledBack();
      throw err;
    }
  }

  /** One batch of a group, in a savepoint (better-sqlite3 nests a transaction as a SAVEPOINT). */
  private storeInSavepoint(transaction: (scope: Scope, batch: EncodedBatch) => CommitResult, item: GroupItem): CommitResult | Error {
    try {
      item.scope.assertIncludes(item.batch.orgId);
      const result = transaction(item.scope, item.batch);
      // Later batches of the group continue the sequence from here.
      if (result.status === 'stored' && result.summary.lastSeq !== null) this.partitions.lastSeq = result.summary.lastSeq;
      return result;
    } catch (err) {
      this.partitions.rolledBack();
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  findBatch(scope: Scope, sensorId: string, idempotencyKey: string): BatchSummary | null {
    const row = this.findScoped.get({ scope: scopeJson(scope), sensorId, key: idempotencyKey });
    return row === undefined ? null : (JSON.parse(row.summary) as BatchSummary);
  }

  expireBatches(scope: Scope, before: number): number {
    return this.expire.run({ scope: scopeJson(scope), before }).changes;
  }

  /** The body of the commit transaction. */
  private storeBatch(scope: Scope, batch: EncodedBatch): CommitResult {
    const key = batch.idempotencyKey;
    if (key !== null) {
      const earlier = this.findRecord.get(batch.sensorId, key);
      if (earlier !== undefined) {
        // A key is per sensor, and a sensor belongs to one organisation; still, never answer
        // with another organisation's summary.
        scope.assertIncludes(earlier.org_id);
        return { status: 'duplicate', summary: JSON.parse(earlier.summary) as BatchSummary };
      }
    }

    const events = batch.events;
    const days = new Map<number, DayRows>();
    const rollups = new Map<string, RollupCount>();
    let seq = this.partitions.lastSeq;
    let dayStart = Number.NaN;
    let day: DayRows | undefined;
    let checkedOrg: string | null = null;
    let counted: RollupCount | undefined;
    for (let i = 0; i < events.length; i++) {
      const row = events[i]!;
      const { ts, orgId } = row;
      if (orgId !== checkedOrg) {
        scope.assertIncludes(orgId);
        checkedOrg = orgId;
      }
      seq++;
      const start = ts - (ts % dayMs);
      if (start !== dayStart || day === undefined) {
        assertStorableTs(ts);
        dayStart = start;
        day = days.get(start);
        if (day === undefined) {
          day = { insert: this.partitions.insertFor(start), minSeq: seq, maxSeq: seq, minTs: ts, maxTs: ts, rows: 0 };
          days.set(start, day);
        }
      }
      day.maxSeq = seq;
      if (ts < day.minTs) day.minTs = ts;
      if (ts > day.maxTs) day.maxTs = ts;
      day.rows++;

      const { dataset, category, outcome } = row;
      day.insert.run(seq, ts, orgId, row.sensorId, dataset, category, outcome, row.sourceIp, row.hostName, row.userName, row.original, row.doc);

      // Neighbouring events of a batch usually share their rollup key: compare before building one.
      const minute = (ts - (ts % minuteMs)) / minuteMs;
      const d = dataset ?? '';
      const c = category ?? '';
      const o = outcome ?? '';
      if (
        counted !== undefined && counted.minute === minute && counted.orgId === orgId &&
        counted.dataset === d && counted.category === c && counted.outcome === o
      ) {
        counted.count++;
      } else {
        const rollupKey = `${minute}\u0000${orgId}\u0000${d}\u0000${c}\u0000${o}`;
        counted = rollups.get(rollupKey);
        if (counted === undefined) {
          counted = { minute, orgId, dataset: d, category: c, outcome: o, count: 1 };
          rollups.set(rollupKey, counted);
        } else counted.count++;
      }
    }

    for (const [start, rows] of days) this.partitions.recordRows(start, rows.minSeq, rows.maxSeq, rows.minTs, rows.maxTs, rows.rows);
    if (events.length > 0) this.partitions.persistLastSeq(seq);
    this.rollups.add(rollups.values());
    this.deadLetters.add(batch.orgId, batch.sensorId, batch.receivedAt, batch.deadLetters);

    const summary: BatchSummary = {
      ...batch.summary,
      firstSeq: events.length > 0 ? this.partitions.lastSeq + 1 : null,
      lastSeq: events.length > 0 ? seq : null,
    };
    if (key !== null) this.insertRecord.run(batch.sensorId, key, batch.orgId, batch.receivedAt, JSON.stringify(summary));
    return { status: 'stored', summary };
  }
}

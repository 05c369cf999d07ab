/**
 * @module store/sqlite/events
 * Reads and retention over the per-day event tables. Every read first asks the partition registry
 * which days can hold matching rows, so a query for the last hour touches one table whatever the
 * retention, and a consumer catching up reads only the days with newer seqs.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { EventPage, EventRepository, EventSearch, StoredEvent } from '../store.js';
import { decodeEvent } from './event-codec.js';
import type { EventRow } from './event-codec.js';
import { filterConditions } from './event-filters.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { dayMs } from './partitions.js';
import type { EventPartitions, PartitionInfo } from './partitions.js';
import { scopeClause } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface SearchRow extends EventRow {
  ts: number;
}

const rowColumns = 'seq, original, doc';

function where(conditions: string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `limit must be a positive integer, got ${limit}` }, { field: 'limit' });
  }
}

export class SqliteEventRepository implements EventRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly partitions: EventPartitions,
    private readonly statements: StatementCache,
  ) {}

  search(scope: Scope, query: EventSearch): EventPage {
    assertLimit(query.limit);
    const from = query.from ?? 0;
    const to = query.to ?? Number.MAX_SAFE_INTEGER;
    const hash = queryHash([query.from ?? null, query.to ?? null, query.filters ?? [], query.text ?? null]);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, hash, ['ts', 'seq'] as const);

    // Shared part of every day's query: filters, text and scope, then the keyset position.
    const conditions = ['ts >= ?', 'ts < ?'];
    const params: unknown[] = [from, to];
    filterConditions(query.filters, query.text, conditions, params);
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    if (after !== null) {
      conditions.push('(ts < ? OR (ts = ? AND seq < ?))');
      params.push(after.ts, after.ts, after.seq);
    }

    // Days hold disjoint time ranges, so newest-first across days is newest-first overall.
    const wanted = query.limit + 1;
    const found: SearchRow[] = [];
    for (const partition of this.partitions.overlapping(from, to)) {
      if (after !== null && partition.minTs > after.ts) continue;
      const sql = `SELECT ts, ${rowColumns} FROM ${partition.table}${where(conditions)} ORDER BY ts DESC, seq DESC LIMIT ?`;
      const rows = this.statements.get<SearchRow>(sql).all(...params, wanted - found.length);
      for (const row of rows) found.push(row);
      if (found.length >= wanted) break;
    }

    const page = found.length > query.limit ? found.slice(0, query.limit) : found;
    const last = page[page.length - 1];
    const next = found.length > query.limit && last !== undefined ? encodeCursor({ ts: last.ts, seq: last.seq }, hash) : null;
    return { events: page.map(decodeEvent), next };
  }

  readAfter(scope: Scope, afterSeq: number, limit: number): StoredEvent[] {
    assertLimit(limit);
    const params: unknown[] = [afterSeq];
    const conditions = ['seq > ?'];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);

    // Partitions come by lowest seq; a late event's day can overlap others in seq, so merge.
    let rows: EventRow[] = [];
    for (const partition of this.partitions.withSeqAfter(afterSeq)) {
      const limitSeq = rows.length >= limit ? rows[limit - 1]?.seq : undefined;
      if (limitSeq !== undefined && partition.minSeq > limitSeq) break;
      const sql = `SELECT ${rowColumns} FROM ${partition.table}${where(conditions)} ORDER BY seq LIMIT ?`;
      const more = this.statements.get<EventRow>(sql).all(...params, limit);
      if (more.length === 0) continue;
      if (rows.length === 0) rows = more;
      else {
        rows = rows.concat(more).sort((a, b) => a.seq - b.seq);
        if (rows.length > limit) rows.length = limit;
      }
    }
    return rows.map(decodeEvent);
  }

  get(scope: Scope, seq: number): StoredEvent | null {
    const params: unknown[] = [seq];
    const conditions = ['seq = ?'];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    for (const partition of this.partitions.containingSeq(seq)) {
      const row = this.statements.get<EventRow>(`SELECT ${rowColumns} FROM ${partition.table}${where(conditions)}`).get(...params);
      if (row !== undefined) return decodeEvent(row);
    }
    return null;
  }

  lastSeq(scope: Scope): number {
    if (scope.unrestricted) return this.partitions.committedSeq();
    const params: unknown[] = [];
    const scoped = scopeClause(scope, 'org_id', params) ?? '1';
    let best = 0;
    const byMaxSeq = this.partitions.all().sort((a, b) => b.maxSeq - a.maxSeq);
    for (const partition of byMaxSeq) {
      if (partition.maxSeq <= best) break;
      const sql = `SELECT seq FROM ${partition.table} WHERE ${scoped} ORDER BY seq DESC LIMIT 1`;
      const row = this.statements.get<{ seq: number }>(sql).get(...params);
      if (row !== undefined && row.seq > best) best = row.seq;
    }
    return best;
  }

  dropBefore(scope: Scope, beforeDay: number): number {
    if (!Number.isSafeInteger(beforeDay) || beforeDay % dayMs !== 0) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `beforeDay must be a UTC midnight in epoch ms, got ${beforeDay}` }, { field: 'beforeDay' });
    }
    const expired = this.partitions.before(beforeDay);
    if (expired.length === 0) return 0;
    const dropped = this.db.transaction(() => (scope.unrestricted ? this.dropTables(expired) : this.deleteScopedRows(scope, expired)))();
    this.statements.clear();
    return dropped;
  }

  count(scope: Scope, from?: number, to?: number): number {
    const lower = from ?? 0;
    const upper = to ?? Number.MAX_SAFE_INTEGER;
    const params: unknown[] = [lower, upper];
    const conditions = ['ts >= ?', 'ts < ?'];
    const scoped = scopeClause(scope, 'org_id', params);
    if (scoped !== null) conditions.push(scoped);
    let total = 0;
    for (const partition of this.partitions.overlapping(lower, upper)) {
      // The registry's row count is exact: use it when the whole day is in range and in scope.
      if (scoped === null && partition.minTs >= lower && partition.maxTs < upper) total += partition.rows;
      else total += this.statements.get<{ n: number }>(`SELECT count(*) AS n FROM ${partition.table}${where(conditions)}`).get(...params)?.n ?? 0;
    }
    return total;
  }

  latestBySensor(scope: Scope, sensors: readonly { sensorId: string; orgId: string }[], since: number): Map<string, number> {
    const latest = new Map<string, number>();
    const wanted = sensors.filter((s) => scope.includes(s.orgId));
    // Newest day first; per sensor, the (org_id, ts) index read backwards stops at its first row,
    // so a sensor that sends costs one short probe. A silent one costs a scan of its organisation's
    // rows since `since` (bounded by the window, one day by default).
    for (const partition of this.partitions.overlapping(since, Number.MAX_SAFE_INTEGER)) {
      const probe = this.statements.get<{ ts: number }>(`SELECT ts FROM ${partition.table} WHERE org_id = ? AND ts >= ? AND sensor_id = ? ORDER BY org_id DESC, ts DESC LIMIT 1`);
      for (const { sensorId, orgId } of wanted) {
        if (latest.has(sensorId)) continue;
        const row = probe.get(orgId, since, sensorId);
        if (row !== undefined) latest.set(sensorId, row.ts);
      }
    }
    return latest;
  }

  /** Retention for the whole centre: one DROP TABLE per expired day. */
  private dropTables(expired: PartitionInfo[]): number {
    let dropped = 0;
    const forget = this.db.prepare<[number]>('DELETE FROM event_partitions WHERE day = ?');
    for (const partition of expired) {
      this.db.exec(`DROP TABLE IF EXISTS ${partition.table}`);
      forget.run(partition.day);
      this.partitions.forget(partition.day);
      dropped += partition.rows;
    }
    return dropped;
  }

  /** A restricted scope may only remove its own organisations' rows from the shared day tables. */
  private deleteScopedRows(scope: Scope, expired: PartitionInfo[]): number {
    let dropped = 0;
    const params: unknown[] = [];
    const scoped = scopeClause(scope, 'org_id', params) ?? '1';
    const shrink = this.db.prepare<[number, number]>('UPDATE event_partitions SET rows = rows - ? WHERE day = ?');
    for (const partition of expired) {
      const changes = this.db.prepare(`DELETE FROM ${partition.table} WHERE ${scoped}`).run(...params).changes;
      if (changes === partition.rows) this.dropTables([partition]);
      else shrink.run(changes, partition.day);
      dropped += changes;
    }
    return dropped;
  }
}

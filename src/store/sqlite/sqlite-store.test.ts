/**
 * @module store/sqlite/sqlite-store.test
 * The conformance suite on a temporary database file, plus what only a file can show: a reopened
 * store keeps its events, partitions and seq counter, and a database from a newer Vigil is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { VigilError } from '../../core/errors.js';
import { Scope } from '../../core/scope.js';
import type { Store } from '../store.js';
import { runDetectionStoreSuite } from '../detection.suite.js';
import { runIntelStoreSuite } from '../intel.suite.js';
import { runIntelFeedStoreSuite } from '../intel-feeds.suite.js';
import { runStoreSuite } from '../store.suite.js';
import { runSystemStoreSuite } from '../systems.suite.js';
import { runDeliveryStoreSuite } from '../delivery.suite.js';
import { latestSchemaVersion } from './migrations.js';
import { openSqliteStore } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
let files = 0;
const freshPath = (): string => join(dir, `store-${++files}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

runStoreSuite('sqlite (file)', () => openSqliteStore({ path: freshPath() }));
runStoreSuite('sqlite (memory, synchronous=normal)', () => openSqliteStore({ path: ':memory:', synchronous: 'normal' }));

describe('sqlite store on disk', () => {
  const system = Scope.system('sqlite store test');
  const day1 = Date.UTC(2024, 4, 1);
  const day2 = day1 + 86_400_000;

  function seed(store: Store): void {
    store.orgs.create(system, {
      id: 'org_vn', parentId: null, code: 'VN', nameVi: 'Trung tâm', nameEn: 'Centre', kind: 'national',
      sector: null, region: null, demo: false, createdAt: '2024-01-01T00:00:00.000Z',
    });
  }

  function commit(store: Store, timestamps: number[], key: string | null = null): void {
    store.ingest.commit(system, {
      orgId: 'org_vn', sensorId: 'sen_1', idempotencyKey: key, receivedAt: day1, deadLetters: [],
      summary: { batchId: key ?? 'b', received: timestamps.length, accepted: timestamps.length, rejected: [], firstSeq: null, lastSeq: null },
      events: timestamps.map((ts) => ({
        ts, orgId: 'org_vn', sensorId: 'sen_1',
        event: { '@timestamp': new Date(ts).toISOString(), event: { dataset: 'nginx.access', original: `line at ${ts}` } },
      })),
    });
  }

  it('keeps events, partitions, idempotency records and the seq counter across a reopen', () => {
    const path = freshPath();
    const first = openSqliteStore({ path });
    seed(first);
    commit(first, [day1 + 1, day2 + 1, day1 + 2], 'k1');
    first.cursors.set(system, 'detect', 2);
    first.close();

    const second = openSqliteStore({ path });
    expect(second.events.lastSeq(system)).toBe(3);
    expect(second.events.readAfter(system, 0, 10).map((e) => [e.seq, e.event.event.original])).toEqual([
      [1, `line at ${day1 + 1}`],
      [2, `line at ${day2 + 1}`],
      [3, `line at ${day1 + 2}`],
    ]);
    expect(second.cursors.get(system, 'detect')).toBe(2);
    expect(second.ingest.findBatch(system, 'sen_1', 'k1')).toMatchObject({ firstSeq: 1, lastSeq: 3 });
    commit(second, [day2 + 2]);
    expect(second.events.lastSeq(system)).toBe(4);
    expect(second.events.count(system)).toBe(4);
    // Even with every partition dropped, seq continues where it was after a reopen.
    expect(second.events.dropBefore(system, day2 + 86_400_000)).toBe(4);
    second.close();

    const third = openSqliteStore({ path });
    expect(third.events.lastSeq(system)).toBe(4);
    commit(third, [day2 + 3]);
    expect(third.events.readAfter(system, 0, 10).map((e) => e.seq)).toEqual([5]);
    third.close();
  });

  it('creates the file in WAL mode with 16 KiB pages', () => {
    const path = freshPath();
    openSqliteStore({ path }).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });

  it('refuses a database whose schema is newer than this code', () => {
    const path = freshPath();
    openSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(latestSchemaVersion() + 1, 'from the future', 0);
    db.close();
    let caught: unknown;
    try {
      openSqliteStore({ path });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(VigilError);
    expect((caught as VigilError).code).toBe('VIGIL_ERR_CONFIG');
    const known = latestSchemaVersion();
    expect((caught as VigilError).message).toContain(`schema version ${known + 1}, newer than this Vigil knows (${known})`);
  });
});

runDetectionStoreSuite('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));
runIntelStoreSuite('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));
runSystemStoreSuite('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));
runIntelFeedStoreSuite('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));
runDeliveryStoreSuite('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));

describe('migration 5', () => {
  it('creates intel_feeds and lets the TAXII "date added" query walk an index instead of sorting', () => {
    const path = freshPath();
    openSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'intel_feeds'").get()).toBeDefined();
      const plan = db
        .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT * FROM intel_indicators i WHERE i.tlp = 'green' AND i.updated_at > 0 ORDER BY i.updated_at, i.n LIMIT 10")
        .all()
        .map((row) => row.detail)
        .join('\n');
      expect(plan).toContain('intel_indicators_updated');
      expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      db.close();
    }
  });
});

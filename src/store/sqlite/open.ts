/**
 * @module store/sqlite/open
 * The embedded store: one SQLite file in WAL mode, opened by one Vigil process. WAL lets the API
 * read while ingest writes; `synchronous=FULL` (the default) fsyncs the WAL at every commit, so a
 * batch acknowledged with 202 survives a power cut. `normal` is the documented faster option: it
 * survives a crash of the process, but the last commits may be lost if the machine loses power.
 *
 * Seq numbers are assigned in this process (see partitions.ts): two processes writing the same file
 * would assign the same seq, so the file must have a single writer.
 */
import Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { Store } from '../store.js';
import { SqliteCredentialRepository } from './credentials.js';
import { SqliteCursorRepository } from './cursors.js';
import { SqliteDeadLetterRepository } from './dead-letters.js';
import { registerEventFunctions } from './event-filters.js';
import { SqliteEventRepository } from './events.js';
import { SqliteIngestRepository } from './ingest.js';
import { migrate } from './migrations.js';
import { SqliteOrgRepository } from './orgs.js';
import { EventPartitions } from './partitions.js';
import { SqliteRollupRepository } from './rollups.js';
import { SqliteAlertRepository } from './alerts.js';
import { SqliteConsumerStateRepository, SqliteRuleExceptionRepository, SqliteRuleSettingRepository } from './rule-controls.js';
import { SqliteSensorRepository } from './sensors.js';
import { StatementCache } from './statement-cache.js';
import { SqliteUserRepository } from './users.js';
import { SqliteIndicatorRepository, SqliteSightingRepository } from './intel.js';
import { SqliteIntelFeedRepository } from './intel-feeds.js';
import { SqliteSystemRepository } from './systems.js';
import { SqliteIncidentRepository } from './incidents.js';
import { SqliteContactRepository, SqliteDeliveryRepository } from './delivery.js';
import { SqliteWarningRepository } from './warnings.js';
import { SqliteCampaignRepository } from './campaigns.js';

export interface SqliteStoreOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  /** 'full' (default): durable across power loss. 'normal': durable across a process crash. */
  synchronous?: 'full' | 'normal';
  clock?: Clock;
}

function configure(db: Database.Database, synchronous: 'full' | 'normal'): void {
  // 16 KiB pages for a new file (an existing one keeps its size): event rows are ~1 KB and appended
  // in bulk, and bigger pages mean fewer B-tree splits and WAL frames per row — about a third more
  // commit throughput than 4 KiB in measurement. Must precede WAL, which fixes the page size.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  // The API and retention may briefly contend with ingest for the write lock.
  db.pragma('busy_timeout = 5000');
  // 64 MiB page cache (negative = KiB) and 256 MiB of memory-mapped reads: the hot day's indexes
  // stay in memory without a read() system call per page.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  db.pragma('temp_store = MEMORY');
  // Checkpoint every 2048 pages (32 MiB of WAL) instead of the default 1000 4 KiB pages: hot index
  // pages are rewritten by every batch, and copying them back to the database less often gave
  // markedly higher commit throughput in measurement. The limit truncates the WAL after a burst.
  db.pragma('wal_autocheckpoint = 2048');
  db.pragma('journal_size_limit = 67108864');
}

/** The SQLite store, with the batch-commit entry points the writer thread uses. */
export interface SqliteStore extends Store {
  readonly ingest: SqliteIngestRepository;
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const clock = options.clock ?? systemClock;
  const db = new Database(options.path);
  try {
    configure(db, options.synchronous ?? 'full');
    registerEventFunctions(db);
    const version = migrate(db, clock);
    return createStore(db, version, clock);
  } catch (err) {
    db.close();
    throw err;
  }
}

function createStore(db: Database.Database, version: number, clock: Clock): SqliteStore {
  const statements = new StatementCache(db);
  const partitions = new EventPartitions(db);
  const rollups = new SqliteRollupRepository(db, statements);
  const deadLetters = new SqliteDeadLetterRepository(db, statements);
  return {
    kind: 'sqlite',
    events: new SqliteEventRepository(db, partitions, statements),
    rollups,
    ingest: new SqliteIngestRepository(db, partitions, rollups, deadLetters),
    deadLetters,
    orgs: new SqliteOrgRepository(db),
    users: new SqliteUserRepository(db),
    credentials: new SqliteCredentialRepository(db),
    sensors: new SqliteSensorRepository(db),
    cursors: new SqliteCursorRepository(db, clock),
    alerts: new SqliteAlertRepository(db, statements),
    ruleExceptions: new SqliteRuleExceptionRepository(db),
    ruleSettings: new SqliteRuleSettingRepository(db),
    consumerState: new SqliteConsumerStateRepository(db, clock),
    indicators: new SqliteIndicatorRepository(db, statements),
    sightings: new SqliteSightingRepository(db, statements),
    intelFeeds: new SqliteIntelFeedRepository(db),
    systems: new SqliteSystemRepository(db, statements),
    incidents: new SqliteIncidentRepository(db, statements),
    contacts: new SqliteContactRepository(db, statements),
    deliveries: new SqliteDeliveryRepository(db, statements),
    warnings: new SqliteWarningRepository(db, statements),
    campaigns: new SqliteCampaignRepository(db, statements),
    schemaVersion: () => version,
    close: () => {
      if (!db.open) return;
      // Lets SQLite refresh planner statistics it found stale during this session (cheap, per docs).
      db.pragma('optimize');
      db.close();
    },
  };
}

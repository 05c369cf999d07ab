/**
 * @module store/sqlite/intel-feeds
 * Intelligence feeds (`intel_feeds`, migration 5) and their run state. Every statement carries the
 * scope predicate on `org_id`, so a feed of an organisation outside the caller's subtree is neither
 * listed, read, changed, deleted nor has its run state written: it is simply not found.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { intelFeedKinds, type IntelFeed, type IntelFeedKind, type IntelFeedPatch, type IntelFeedRunState, type StoredIntelFeed } from '../../intel/feed-model.js';
import { tlpLevels, type Tlp } from '../../intel/model.js';
import type { IntelFeedRepository } from '../store.js';
import { definedOnly, fromFlag, toFlag, toIso, toIsoOrNull, toMillis, toMillisOrNull } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface FeedRow {
  id: string;
  org_id: string;
  name: string;
  kind: string;
  url: string;
  collection_id: string | null;
  token_env: string | null;
  every_minutes: number;
  tlp_default: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  last_run_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_added: number;
  last_updated: number;
  failures: number;
  next_run_at: number | null;
  cursor: string | null;
}

function toFeed(row: FeedRow): StoredIntelFeed {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    kind: (intelFeedKinds as readonly string[]).includes(row.kind) ? (row.kind as IntelFeedKind) : 'text-url',
    url: row.url,
    collectionId: row.collection_id,
    tokenEnv: row.token_env,
    everyMinutes: row.every_minutes,
    tlpDefault: (tlpLevels as readonly string[]).includes(row.tlp_default) ? (row.tlp_default as Tlp) : 'red',
    enabled: fromFlag(row.enabled),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    lastRunAt: toIsoOrNull(row.last_run_at),
    lastSuccessAt: toIsoOrNull(row.last_success_at),
    lastError: row.last_error,
    lastAdded: row.last_added,
    lastUpdated: row.last_updated,
    failures: row.failures,
    nextRunAt: toIsoOrNull(row.next_run_at),
    cursor: row.cursor,
  };
}

type ScopeParam = { scope: string | null };
const MAX_ERROR_CHARS = 2000;

export class SqliteIntelFeedRepository implements IntelFeedRepository {
  private readonly listStmt: Database.Statement<ScopeParam, FeedRow>;
  private readonly getStmt: Database.Statement<ScopeParam & { id: string }, FeedRow>;
  private readonly insertStmt: Database.Statement<Record<string, unknown>>;
  private readonly updateStmt: Database.Statement<Record<string, unknown>>;
  private readonly deleteStmt: Database.Statement<ScopeParam & { id: string }>;
  private readonly runStmt: Database.Statement<Record<string, unknown>>;

  constructor(db: Database.Database) {
    const inScope = scopePredicate('org_id');
    this.listStmt = db.prepare(`SELECT * FROM intel_feeds WHERE ${inScope} ORDER BY org_id, id`);
    this.getStmt = db.prepare(`SELECT * FROM intel_feeds WHERE id = @id AND ${inScope}`);
    this.insertStmt = db.prepare(`INSERT INTO intel_feeds (id, org_id, name, kind, url, collection_id, token_env, every_minutes, tlp_default, enabled, created_at, updated_at)
      VALUES (@id, @orgId, @name, @kind, @url, @collectionId, @tokenEnv, @everyMinutes, @tlpDefault, @enabled, @createdAt, @updatedAt)`);
    this.updateStmt = db.prepare(`UPDATE intel_feeds SET name = @name, url = @url, collection_id = @collectionId, token_env = @tokenEnv,
      every_minutes = @everyMinutes, tlp_default = @tlpDefault, enabled = @enabled, updated_at = @updatedAt, next_run_at = @nextRunAt, cursor = @cursor,
      failures = @failures WHERE id = @id AND ${inScope}`);
    this.deleteStmt = db.prepare(`DELETE FROM intel_feeds WHERE id = @id AND ${inScope}`);
    this.runStmt = db.prepare(`UPDATE intel_feeds SET last_run_at = @lastRunAt, last_success_at = @lastSuccessAt, last_error = @lastError,
      last_added = @lastAdded, last_updated = @lastUpdated, failures = @failures, next_run_at = @nextRunAt, cursor = @cursor WHERE id = @id AND ${inScope}`);
  }

  list(scope: Scope): StoredIntelFeed[] {
    return this.listStmt.all({ scope: scopeJson(scope) }).map(toFeed);
  }

  get(scope: Scope, id: string): StoredIntelFeed | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toFeed(row);
  }

  create(scope: Scope, feed: IntelFeed): StoredIntelFeed {
    scope.assertIncludes(feed.orgId);
    validate(feed);
    try {
      this.insertStmt.run({
        ...feed, enabled: toFlag(feed.enabled), createdAt: toMillis(feed.createdAt, 'createdAt'), updatedAt: toMillis(feed.updatedAt, 'updatedAt'),
      });
    } catch (err) {
      rethrowConstraint(err, {
        unique: { 'intel_feeds.id': `feed ${feed.id} already exists` },
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: feed.orgId }),
      });
    }
    return this.get(scope, feed.id) as StoredIntelFeed;
  }

  update(scope: Scope, id: string, patch: IntelFeedPatch, at: string): StoredIntelFeed {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id });
    const next: StoredIntelFeed = { ...current, ...definedOnly(patch), updatedAt: at };
    validate(next);
    const newSource = next.url !== current.url || next.collectionId !== current.collectionId;
    if (newSource) {
      next.cursor = null;
      next.nextRunAt = null;
      next.failures = 0;
    } else if (next.enabled && !current.enabled) {
      next.nextRunAt = null;
      next.failures = 0;
    } else if (next.everyMinutes !== current.everyMinutes && current.lastRunAt !== null && current.failures === 0) {
      next.nextRunAt = toIso(Date.parse(current.lastRunAt) + next.everyMinutes * 60_000);
    }
    this.updateStmt.run({
      id, scope: scopeJson(scope), name: next.name, url: next.url, collectionId: next.collectionId, tokenEnv: next.tokenEnv, everyMinutes: next.everyMinutes,
      tlpDefault: next.tlpDefault, enabled: toFlag(next.enabled), updatedAt: toMillis(at, 'updatedAt'), nextRunAt: toMillisOrNull(next.nextRunAt, 'nextRunAt'),
      cursor: next.cursor, failures: next.failures,
    });
    return this.get(scope, id) as StoredIntelFeed;
  }

  delete(scope: Scope, id: string): boolean {
    return this.deleteStmt.run({ scope: scopeJson(scope), id }).changes > 0;
  }

  recordRun(scope: Scope, id: string, state: Partial<IntelFeedRunState>): boolean {
    const current = this.get(scope, id);
    if (current === null) return false;
    const next: IntelFeedRunState = { ...current, ...definedOnly(state) };
    return this.runStmt.run({
      id,
      scope: scopeJson(scope),
      lastRunAt: toMillisOrNull(next.lastRunAt, 'lastRunAt'),
      lastSuccessAt: toMillisOrNull(next.lastSuccessAt, 'lastSuccessAt'),
      lastError: next.lastError === null ? null : next.lastError.slice(0, MAX_ERROR_CHARS),
      lastAdded: next.lastAdded,
      lastUpdated: next.lastUpdated,
      failures: next.failures,
      nextRunAt: toMillisOrNull(next.nextRunAt, 'nextRunAt'),
      cursor: next.cursor,
    }).changes > 0;
  }
}

/** What the table must never hold, whoever the caller (the API validates more, with its messages). */
function validate(feed: IntelFeed): void {
  const problem = (detail: string, field: string): never => {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail }, { field });
  };
  if (!(intelFeedKinds as readonly string[]).includes(feed.kind)) problem(`unknown feed kind ${String(feed.kind)}`, 'kind');
  if (!(tlpLevels as readonly string[]).includes(feed.tlpDefault)) problem(`unknown TLP ${String(feed.tlpDefault)}`, 'tlpDefault');
  if (!/^https?:\/\//i.test(feed.url)) problem('url must be http(s)', 'url');
  if (!Number.isInteger(feed.everyMinutes) || feed.everyMinutes < 1) problem('everyMinutes must be a positive integer', 'everyMinutes');
  if (feed.kind === 'taxii' && !feed.collectionId) problem('a TAXII feed needs a collectionId', 'collectionId');
}

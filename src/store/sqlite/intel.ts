/**
 * @module store/sqlite/intel
 * Indicators and their sightings. Reads carry the TLP 2.0 filter of intel/tlp.ts written as SQL
 * (`tlpPredicate`), so no query can return what the reader's organisation may not see. Every
 * write bumps one version counter (`intel_meta.version`) and stamps the rows it touched, so the
 * matcher follows changes — additions, refreshes, revocations — without reloading a million
 * indicators.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { indicatorTypes, tlpLevels, type Indicator, type IndicatorType, type Sighting, type Tlp } from '../../intel/model.js';
import type { IntelViewer } from '../../intel/tlp.js';
import type { AddedAfterQuery, AddedIndicator, IndicatorQuery, IndicatorRepository, IndicatorState, IndicatorStateCount, SightingActivity, SightingRepository, SightingSummary } from '../store.js';
import { fromJsonList, toIso, toIsoOrNull, toMillis, toMillisOrNull } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import { scopeClause, scopeJson, scopePredicate } from './scope-sql.js';
import type { StatementCache } from './statement-cache.js';

interface IndicatorRow {
  n: number;
  id: string;
  type: string;
  value: string;
  source: string;
  confidence: number;
  first_seen: number;
  last_seen: number;
  valid_until: number | null;
  kill_chain: string;
  attack: string;
  labels: string;
  description: string | null;
  tlp: string;
  owner_org_id: string;
  shared_with: string;
  stix_id: string | null;
  revoked: number;
  created_at: number;
  updated_at: number;
  version: number;
}

function decode(row: IndicatorRow): Indicator & { version: number } {
  return {
    id: row.id,
    type: (indicatorTypes as readonly string[]).includes(row.type) ? (row.type as IndicatorType) : 'ipv4',
    value: row.value,
    source: row.source,
    confidence: row.confidence,
    firstSeen: toIso(row.first_seen),
    lastSeen: toIso(row.last_seen),
    validUntil: toIsoOrNull(row.valid_until),
    killChain: fromJsonList(row.kill_chain),
    attack: fromJsonList(row.attack),
    labels: fromJsonList(row.labels),
    description: row.description,
    tlp: (tlpLevels as readonly string[]).includes(row.tlp) ? (row.tlp as Tlp) : 'red',
    ownerOrgId: row.owner_org_id,
    sharedWith: fromJsonList(row.shared_with),
    stixId: row.stix_id,
    revoked: row.revoked !== 0,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

/**
 * intel/tlp.ts `maySee` as SQL over named parameters `@viewer` (the org id), `@chain` (JSON of the
 * viewer's chain, itself first) and `@subtree` (JSON of its subtree; NULL for the root):
 *  - CLEAR and GREEN: everyone;
 *  - the owner and the named organisations: always;
 *  - AMBER and AMBER+STRICT: the owner's chain above, i.e. the owner is in the viewer's subtree;
 *  - AMBER: the owner's and the named organisations' subtrees, i.e. one of them is on the viewer's chain.
 */
const tlpPredicate = `(
  i.tlp IN ('clear', 'green')
  OR i.owner_org_id = @viewer
  OR EXISTS (SELECT 1 FROM json_each(i.shared_with) s WHERE s.value = @viewer)
  OR (i.tlp IN ('amber', 'amber+strict') AND (@subtree IS NULL OR i.owner_org_id IN (SELECT value FROM json_each(@subtree))))
  OR (i.tlp = 'amber' AND (
    i.owner_org_id IN (SELECT value FROM json_each(@chain))
    OR EXISTS (SELECT 1 FROM json_each(i.shared_with) s WHERE s.value IN (SELECT value FROM json_each(@chain)))))
)`;

function viewerParams(viewer: IntelViewer): { viewer: string; chain: string; subtree: string | null } {
  return { viewer: viewer.orgId, chain: JSON.stringify(viewer.chain), subtree: viewer.subtree === null ? null : JSON.stringify(viewer.subtree) };
}

export class SqliteIndicatorRepository implements IndicatorRepository {
  private readonly findStmt: Database.Statement<[string, string, string, string], IndicatorRow>;
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly refreshStmt: Database.Statement<unknown[]>;
  private readonly bumpStmt: Database.Statement<[], { value: number }>;
  private readonly getStmt: Database.Statement<{ viewer: string; chain: string; subtree: string | null; id: string }, IndicatorRow>;
  private readonly getAnyStmt: Database.Statement<{ scope: string | null; id: string }, IndicatorRow>;
  private readonly revokeStmt: Database.Statement<[number, number, string]>;
  private readonly changedStmt: Database.Statement<[number, number], IndicatorRow>;
  private readonly upsertAll: (indicators: Indicator[]) => { added: number; updated: number; stored: Indicator[] };
  private readonly revokeOne: (id: string, at: number) => void;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.findStmt = db.prepare('SELECT * FROM intel_indicators WHERE type = ? AND value = ? AND source = ? AND owner_org_id = ?');
    this.insertStmt = db.prepare(`INSERT INTO intel_indicators (id, type, value, source, confidence, first_seen, last_seen, valid_until, kill_chain,
      attack, labels, description, tlp, owner_org_id, shared_with, stix_id, revoked, created_at, updated_at, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.refreshStmt = db.prepare(`UPDATE intel_indicators SET confidence = ?, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?),
      valid_until = ?, kill_chain = ?, attack = ?, labels = ?, description = coalesce(?, description), tlp = ?, shared_with = ?,
      stix_id = coalesce(?, stix_id), revoked = ?, updated_at = ?, version = ? WHERE n = ?`);
    this.bumpStmt = db.prepare("UPDATE intel_meta SET value = value + 1 WHERE key = 'version' RETURNING value");
    this.getStmt = db.prepare(`SELECT * FROM intel_indicators i WHERE i.id = @id AND ${tlpPredicate}`);
    this.getAnyStmt = db.prepare(`SELECT * FROM intel_indicators WHERE id = @id AND ${scopePredicate('owner_org_id')}`);
    this.revokeStmt = db.prepare('UPDATE intel_indicators SET revoked = 1, updated_at = ?, version = ? WHERE id = ?');
    this.changedStmt = db.prepare('SELECT * FROM intel_indicators WHERE version > ? ORDER BY version, n LIMIT ?');

    const bump = (): number => (this.bumpStmt.get() as { value: number }).value;
    this.upsertAll = db.transaction((indicators: Indicator[]) => {
      let added = 0;
      let updated = 0;
      const stored: Indicator[] = [];
      for (const i of indicators) {
        // One version per row, so a reader paging `changedSince` by version never splits a batch.
        const version = bump();
        const firstSeen = toMillis(i.firstSeen, 'firstSeen');
        const lastSeen = toMillis(i.lastSeen, 'lastSeen');
        const validUntil = toMillisOrNull(i.validUntil, 'validUntil');
        const updatedAt = toMillis(i.updatedAt, 'updatedAt');
        const existing = this.findStmt.get(i.type, i.value, i.source, i.ownerOrgId);
        if (existing) {
          this.refreshStmt.run(
            i.confidence, firstSeen, lastSeen, validUntil, JSON.stringify(i.killChain), JSON.stringify(i.attack), JSON.stringify(i.labels),
            i.description, i.tlp, JSON.stringify(i.sharedWith), i.stixId, i.revoked ? 1 : 0, updatedAt, version, existing.n,
          );
          updated++;
          stored.push({
            ...i,
            id: existing.id,
            firstSeen: toIso(Math.min(existing.first_seen, firstSeen)),
            lastSeen: toIso(Math.max(existing.last_seen, lastSeen)),
            description: i.description ?? existing.description,
            stixId: i.stixId ?? existing.stix_id,
            createdAt: toIso(existing.created_at),
          });
        } else {
          this.insertStmt.run(
            i.id, i.type, i.value, i.source, i.confidence, firstSeen, lastSeen, validUntil, JSON.stringify(i.killChain), JSON.stringify(i.attack),
            JSON.stringify(i.labels), i.description, i.tlp, i.ownerOrgId, JSON.stringify(i.sharedWith), i.stixId, i.revoked ? 1 : 0,
            toMillis(i.createdAt, 'createdAt'), updatedAt, version,
          );
          added++;
          stored.push(i);
        }
      }
      return { added, updated, stored };
    });
    this.revokeOne = db.transaction((id: string, at: number) => {
      this.revokeStmt.run(at, bump(), id);
    });
  }

  upsert(scope: Scope, indicators: Indicator[]): { added: number; updated: number; stored: Indicator[] } {
    for (const i of indicators) {
      scope.assertIncludes(i.ownerOrgId);
      if (!(indicatorTypes as readonly string[]).includes(i.type)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `unknown indicator type ${String(i.type)}` });
      if (!(tlpLevels as readonly string[]).includes(i.tlp)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `unknown TLP ${String(i.tlp)}` });
      if (!Number.isInteger(i.confidence) || i.confidence < 0 || i.confidence > 100) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `confidence must be an integer 0–100, got ${i.confidence}` });
    }
    return indicators.length === 0 ? { added: 0, updated: 0, stored: [] } : this.upsertAll(indicators);
  }

  get(viewer: IntelViewer, id: string): Indicator | null {
    const row = this.getStmt.get({ ...viewerParams(viewer), id });
    return row === undefined ? null : stripVersion(decode(row));
  }

  find(scope: Scope, id: string): Indicator | null {
    const row = this.getAnyStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : stripVersion(decode(row));
  }

  list(viewer: IntelViewer, query: IndicatorQuery): { items: Indicator[]; next: string | null } {
    const params: Record<string, unknown> = { ...viewerParams(viewer) };
    const conditions: string[] = [tlpPredicate];
    const add = (sql: string, value: unknown) => {
      const name = `p${conditions.length}`;
      conditions.push(sql.replaceAll('?', `@${name}`));
      params[name] = value;
    };
    if (query.type) add('i.type = ?', query.type);
    if (query.value !== undefined) add('i.value = ?', query.value);
    if (query.source) add('i.source = ?', query.source);
    if (query.tlp) add('i.tlp = ?', query.tlp);
    if (query.text) add("(instr(lower(i.value), ?) > 0 OR instr(lower(coalesce(i.description, '')), ?) > 0 OR instr(lower(i.labels), ?) > 0)", query.text.toLowerCase());
    if (!query.all) {
      conditions.push('i.revoked = 0');
      add('(i.valid_until IS NULL OR i.valid_until > ?)', query.now);
    }
    const hash = queryHash({ v: viewer.orgId, t: query.type, val: query.value, s: query.source, tlp: query.tlp, q: query.text, a: query.all });
    if (query.cursor) {
      const position = decodeCursor(query.cursor, hash, ['t', 'n'] as const);
      conditions.push('(i.last_seen < @ct OR (i.last_seen = @ct AND i.n < @cn))');
      params['ct'] = position.t;
      params['cn'] = position.n;
    }
    params['limit'] = query.limit + 1;
    const sql = `SELECT * FROM intel_indicators i WHERE ${conditions.join(' AND ')} ORDER BY i.last_seen DESC, i.n DESC LIMIT @limit`;
    const rows = this.statements.get<IndicatorRow>(sql).all(params);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map((r) => stripVersion(decode(r))), next: more && last ? encodeCursor({ t: last.last_seen, n: last.n }, hash) : null };
  }

  revoke(scope: Scope, id: string, at: string): Indicator {
    const row = this.getAnyStmt.get({ scope: scopeJson(scope), id });
    if (!row) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Indicator', id });
    this.revokeOne(id, toMillis(at, 'at'));
    return stripVersion(decode(this.getAnyStmt.get({ scope: scopeJson(scope), id }) as IndicatorRow));
  }

  changedSince(scope: Scope, version: number, limit: number): { items: (Indicator & { version: number })[]; version: number } {
    if (!scope.unrestricted) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId: scope.rootOrgId ?? '' });
    const items = this.changedStmt.all(version, limit).map(decode);
    return { items, version: items.length > 0 ? (items[items.length - 1] as { version: number }).version : version };
  }

  listAddedAfter(viewer: IntelViewer, query: AddedAfterQuery): AddedIndicator[] {
    // Served by intel_indicators_updated (tlp, updated_at, n): the TLP filter applies to rows in order.
    const after = query.afterPosition === undefined ? 'i.updated_at > @after' : '(i.updated_at > @after OR (i.updated_at = @after AND i.n > @position))';
    const sql = `SELECT * FROM intel_indicators i WHERE i.tlp = @tlp AND ${after} AND ${tlpPredicate} ORDER BY i.updated_at, i.n LIMIT @limit`;
    const params = { ...viewerParams(viewer), tlp: query.tlp, after: query.after, limit: query.limit, ...(query.afterPosition === undefined ? {} : { position: query.afterPosition }) };
    return this.statements
      .get<IndicatorRow>(sql)
      .all(params)
      .map((row) => ({ indicator: stripVersion(decode(row)), addedAt: row.updated_at, position: row.n }));
  }

  count(scope: Scope): number {
    const params: unknown[] = [];
    const scoped = scopeClause(scope, 'owner_org_id', params);
    return (this.statements.get<{ c: number }>(`SELECT count(*) AS c FROM intel_indicators${scoped ? ` WHERE ${scoped}` : ''}`).get(...params) as { c: number }).c;
  }

  countByState(viewer: IntelViewer, now: number): IndicatorStateCount[] {
    // The same states as `list`: in force means not revoked and valid_until NULL or later than now.
    const sql = `SELECT i.type AS type, i.tlp AS tlp, i.source AS source,
      CASE WHEN i.revoked <> 0 THEN 'revoked' WHEN i.valid_until IS NOT NULL AND i.valid_until <= @now THEN 'expired' ELSE 'active' END AS state,
      count(*) AS c FROM intel_indicators i WHERE ${tlpPredicate} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    return this.statements
      .get<{ type: string; tlp: string; source: string; state: IndicatorState; c: number }>(sql)
      .all({ ...viewerParams(viewer), now })
      .flatMap((r) => ((indicatorTypes as readonly string[]).includes(r.type) && (tlpLevels as readonly string[]).includes(r.tlp) ? [{ type: r.type as IndicatorType, tlp: r.tlp as Tlp, source: r.source, state: r.state, count: r.c }] : []));
  }
}

function stripVersion(indicator: Indicator & { version: number }): Indicator {
  const { version: _version, ...rest } = indicator;
  return rest;
}

interface SightingRow {
  indicator_id: string;
  org_id: string;
  event_seq: number;
  event_time: number;
  field: string;
  value: string;
}

export class SqliteSightingRepository implements SightingRepository {
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly insertAll: (sightings: Sighting[]) => number;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO intel_sightings (indicator_id, org_id, event_seq, event_time, field, value) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertAll = db.transaction((sightings: Sighting[]) => {
      let added = 0;
      for (const s of sightings) added += this.insertStmt.run(s.indicatorId, s.orgId, s.eventSeq, toMillis(s.eventTime, 'eventTime'), s.field, s.value).changes;
      return added;
    });
  }

  record(scope: Scope, sightings: Sighting[]): number {
    for (const s of sightings) scope.assertIncludes(s.orgId);
    return sightings.length === 0 ? 0 : this.insertAll(sightings);
  }

  list(scope: Scope, indicatorId: string, limit: number): Sighting[] {
    const params: unknown[] = [indicatorId];
    const scoped = scopeClause(scope, 'org_id', params);
    params.push(limit);
    return this.statements
      .get<SightingRow>(`SELECT * FROM intel_sightings WHERE indicator_id = ?${scoped ? ` AND ${scoped}` : ''} ORDER BY event_time DESC, event_seq DESC LIMIT ?`)
      .all(...params)
      .map((r) => ({ indicatorId: r.indicator_id, orgId: r.org_id, eventSeq: r.event_seq, eventTime: toIso(r.event_time), field: r.field, value: r.value }));
  }

  countByOrg(scope: Scope, indicatorId: string): { orgId: string; count: number; lastSeen: string }[] {
    const params: unknown[] = [indicatorId];
    const scoped = scopeClause(scope, 'org_id', params);
    return this.statements
      .get<{ org_id: string; c: number; last: number }>(
        `SELECT org_id, count(*) AS c, max(event_time) AS last FROM intel_sightings WHERE indicator_id = ?${scoped ? ` AND ${scoped}` : ''} GROUP BY org_id ORDER BY c DESC`,
      )
      .all(...params)
      .map((r) => ({ orgId: r.org_id, count: r.c, lastSeen: toIso(r.last) }));
  }

  summariseByOrg(scope: Scope, indicatorIds: readonly string[]): SightingSummary[] {
    const out: SightingSummary[] = [];
    // In chunks, each one JSON parameter: the primary key (indicator_id, …) serves every lookup.
    for (let start = 0; start < indicatorIds.length; start += SUMMARY_CHUNK) {
      const params: unknown[] = [JSON.stringify(indicatorIds.slice(start, start + SUMMARY_CHUNK))];
      const scoped = scopeClause(scope, 'org_id', params);
      const rows = this.statements
        .get<{ indicator_id: string; org_id: string; c: number; first: number; last: number }>(
          `SELECT indicator_id, org_id, count(*) AS c, min(event_time) AS first, max(event_time) AS last FROM intel_sightings
           WHERE indicator_id IN (SELECT value FROM json_each(?))${scoped ? ` AND ${scoped}` : ''} GROUP BY indicator_id, org_id ORDER BY indicator_id, org_id`,
        )
        .all(...params);
      for (const r of rows) out.push({ indicatorId: r.indicator_id, orgId: r.org_id, count: r.c, firstSeen: toIso(r.first), lastSeen: toIso(r.last) });
    }
    return out;
  }

  activity(scope: Scope, viewer: IntelViewer, query: { since: number; top: number }): SightingActivity {
    // No index on event_time alone: a scoped reader uses (org_id, event_time), the centre scans.
    const from = `FROM intel_sightings s JOIN intel_indicators i ON i.id = s.indicator_id WHERE s.event_time >= @since AND ${scopePredicate('s.org_id')} AND ${tlpPredicate}`;
    const params = { ...viewerParams(viewer), scope: scopeJson(scope), since: query.since };
    const totals = this.statements.get<{ c: number; o: number }>(`SELECT count(*) AS c, count(DISTINCT s.org_id) AS o ${from}`).get(params) as { c: number; o: number };
    const top = query.top <= 0 ? [] : this.statements
      .get<{ indicator_id: string; c: number; last: number }>(`SELECT s.indicator_id, count(*) AS c, max(s.event_time) AS last ${from} GROUP BY s.indicator_id ORDER BY c DESC, last DESC, s.indicator_id LIMIT @top`)
      .all({ ...params, top: query.top });
    return { sightings: totals.c, organisations: totals.o, top: top.map((r) => ({ indicatorId: r.indicator_id, count: r.c, lastSeen: toIso(r.last) })) };
  }
}

const SUMMARY_CHUNK = 500;

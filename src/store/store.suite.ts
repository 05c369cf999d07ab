/**
 * @module store/store.suite
 * The conformance suite every `Store` implementation must pass (SQLite now, PostgreSQL later):
 * scoping of every read and write, uniqueness conflicts, idempotent batch commits, the seq
 * contract consumers rely on, search paging, rollups and retention. An adapter's test calls
 * `runStoreSuite('sqlite', () => openSqliteStore(…))`; each test gets a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import type { ErrorCode } from '../core/errors.js';
import { VigilError } from '../core/errors.js';
import type { BatchSummary, Organization, OrgKind, Sensor, UserCredentials } from '../core/model.js';
import type { OrgHierarchy } from '../core/scope.js';
import { Scope } from '../core/scope.js';
import type { BatchToCommit, EventToStore, Store } from './store.js';

const dayMs = 86_400_000;
const minuteMs = 60_000;
/** 2024-05-01T00:00Z and the days after it. */
const day1 = Date.UTC(2024, 4, 1);
const day2 = day1 + dayMs;
const day3 = day2 + dayMs;
const created = '2024-04-01T00:00:00.000Z';
const system = Scope.system('conformance suite');

/** The organisations of the suite: a national root, a ministry and two provinces with agencies. */
const orgSpecs: readonly [id: string, parentId: string | null, code: string, kind: OrgKind][] = [
  ['org_vn', null, 'VN', 'national'],
  ['org_moh', 'org_vn', 'BYT', 'ministry'],
  ['org_moh_hosp', 'org_moh', 'BYT-BV', 'agency'],
  ['org_hn', 'org_vn', 'HN', 'province'],
  ['org_hn_dvc', 'org_hn', 'HN-DVC', 'agency'],
  ['org_hcm', 'org_vn', 'HCM', 'province'],
  ['org_hcm_dvc', 'org_hcm', 'HCM-DVC', 'agency'],
];

function org(id: string, parentId: string | null, code: string, kind: OrgKind): Organization {
  return { id, parentId, code, nameVi: `Tổ chức ${code}`, nameEn: `Organisation ${code}`, kind, sector: null, region: null, demo: false, createdAt: created };
}

/** A tiny hierarchy over the stored organisations (the real one is `orgs/tree.ts`). */
class ListedTree implements OrgHierarchy {
  private readonly children = new Map<string, string[]>();
  private readonly roots = new Set<string>();
  private readonly known: Set<string>;

  constructor(orgs: readonly Organization[]) {
    for (const o of orgs) {
      if (o.parentId === null) this.roots.add(o.id);
      else this.children.set(o.parentId, [...(this.children.get(o.parentId) ?? []), o.id]);
    }
    this.known = new Set(orgs.map((o) => o.id));
  }

  subtreeIds(orgId: string): readonly string[] {
    if (!this.known.has(orgId)) return [];
    const ids = [orgId];
    for (let i = 0; i < ids.length; i++) ids.push(...(this.children.get(ids[i] ?? '') ?? []));
    return ids;
  }

  isRoot(orgId: string): boolean {
    return this.roots.has(orgId);
  }
}

function expectVigilError(run: () => unknown, code: ErrorCode, detail?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(VigilError);
  expect((caught as VigilError).code).toBe(code);
  if (detail !== undefined) expect((caught as VigilError).message).toMatch(detail);
}

interface EventSpec {
  ts: number;
  orgId?: string;
  ip?: string;
  status?: number;
  path?: string;
  categories?: string[];
  outcome?: 'success' | 'failure';
  dataset?: string;
  tags?: string[];
  original?: string;
}

/** An nginx access event as the nginx normaliser produces it. */
function nginxEvent(spec: EventSpec): EventToStore {
  const orgId = spec.orgId ?? 'org_hn_dvc';
  const ip = spec.ip ?? '203.113.0.10';
  const status = spec.status ?? 200;
  const path = spec.path ?? '/';
  const iso = new Date(spec.ts).toISOString();
  const event: EcsEvent = {
    '@timestamp': iso,
    event: {
      kind: 'event',
      category: spec.categories ?? ['web'],
      type: ['access'],
      outcome: spec.outcome ?? (status < 400 ? 'success' : 'failure'),
      dataset: spec.dataset ?? 'nginx.access',
      original: spec.original ?? `${ip} - - [${iso}] "GET ${path} HTTP/1.1" ${status} 512 "-" "Mozilla/5.0"`,
    },
    source: { ip },
    url: { original: path, path },
    http: { request: { method: 'GET' }, response: { status_code: status } },
    user_agent: { original: 'Mozilla/5.0' },
    host: { name: 'dvc.example.gov.vn' },
    organization: { id: orgId },
    observer: { id: 'sen_hn', type: 'nginx' },
  };
  if (spec.tags !== undefined) event.tags = spec.tags;
  return { ts: spec.ts, orgId, sensorId: 'sen_hn', event };
}

function summaryOf(batchId: string, accepted: number): BatchSummary {
  return { batchId, received: accepted, accepted, rejected: [], firstSeq: null, lastSeq: null };
}

function batchOf(events: EventToStore[], options: Partial<BatchToCommit> = {}): BatchToCommit {
  return {
    orgId: 'org_hn_dvc',
    sensorId: 'sen_hn',
    idempotencyKey: null,
    receivedAt: day1,
    events,
    deadLetters: [],
    summary: summaryOf(options.idempotencyKey ?? 'batch', events.length),
    ...options,
  };
}

function user(id: string, orgId: string, username: string): UserCredentials {
  return { id, orgId, username, displayName: username, role: 'operator', locale: 'vi', disabled: false, demo: false, createdAt: created, passwordHash: `$argon2id$${id}` };
}

function sensor(id: string, orgId: string, name: string): Sensor {
  return {
    id, orgId, name, format: 'nginx', jsonMapping: null, timezone: '+07:00', syslogSources: ['10.0.0.0/24'], tlsClientIds: [],
    ratePerSecond: null, keyPrefix: `vgs_${id}`, enabled: true, demo: false, createdAt: created,
  };
}

export function runStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    let tree: ListedTree;
    const scopeOf = (orgId: string): Scope => Scope.subtree(orgId, tree);

    beforeEach(async () => {
      store = await open();
      for (const spec of orgSpecs) store.orgs.create(system, org(...spec));
      tree = new ListedTree(store.orgs.list(system));
    });

    afterEach(() => {
      store.close();
    });

    describe('organisations', () => {
      it('lists the subtree of the scope and nothing else', () => {
        expect(store.orgs.list(system)).toHaveLength(orgSpecs.length);
        expect(store.orgs.list(scopeOf('org_vn'))).toHaveLength(orgSpecs.length);
        expect(store.orgs.list(scopeOf('org_hn')).map((o) => o.code).sort()).toEqual(['HN', 'HN-DVC']);
        expect(store.orgs.list(scopeOf('org_moh')).map((o) => o.code).sort()).toEqual(['BYT', 'BYT-BV']);
        expect(store.orgs.list(Scope.single('org_hcm_dvc')).map((o) => o.code)).toEqual(['HCM-DVC']);
      });

      it('round-trips an organisation and hides other provinces', () => {
        expect(store.orgs.get(scopeOf('org_hn'), 'org_hn_dvc')).toEqual(org('org_hn_dvc', 'org_hn', 'HN-DVC', 'agency'));
        expect(store.orgs.get(scopeOf('org_hn'), 'org_hcm_dvc')).toBeNull();
        expect(store.orgs.getByCode(scopeOf('org_hn'), 'HCM')).toBeNull();
        expect(store.orgs.getByCode(scopeOf('org_moh'), 'BYT-BV')?.id).toBe('org_moh_hosp');
      });

      it('creates below a parent in scope only', () => {
        store.orgs.create(scopeOf('org_hn'), org('org_hn_new', 'org_hn', 'HN-NEW', 'agency'));
        expect(store.orgs.get(system, 'org_hn_new')?.parentId).toBe('org_hn');
        expect(Scope.subtree('org_hn', new ListedTree(store.orgs.list(system))).includes('org_hn_new')).toBe(true);
        expectVigilError(() => store.orgs.create(scopeOf('org_hn'), org('org_x', 'org_hcm', 'X', 'agency')), 'VIGIL_ERR_OUT_OF_SCOPE');
        expectVigilError(() => store.orgs.create(scopeOf('org_hn'), org('org_root2', null, 'ROOT2', 'national')), 'VIGIL_ERR_OUT_OF_SCOPE');
        expect(store.orgs.get(system, 'org_x')).toBeNull();
      });

      it('refuses duplicate codes and unknown parents', () => {
        expectVigilError(() => store.orgs.create(system, org('org_dup', 'org_vn', 'HN', 'province')), 'VIGIL_ERR_CONFLICT', /organisation code HN already exists/);
        expectVigilError(() => store.orgs.create(system, org('org_orphan', 'org_missing', 'ORPHAN', 'agency')), 'VIGIL_ERR_NOT_FOUND');
      });

      it('updates names in scope and refuses outside it', () => {
        const updated = store.orgs.update(scopeOf('org_hn'), 'org_hn_dvc', { nameEn: 'Hanoi public services', region: 'north', sector: undefined });
        expect(updated).toMatchObject({ nameEn: 'Hanoi public services', region: 'north', sector: null, nameVi: 'Tổ chức HN-DVC' });
        expect(store.orgs.get(system, 'org_hn_dvc')).toEqual(updated);
        expectVigilError(() => store.orgs.update(scopeOf('org_hn'), 'org_hcm_dvc', { nameEn: 'x' }), 'VIGIL_ERR_NOT_FOUND');
      });
    });

    describe('users', () => {
      it('creates, reads and updates users within the scope', () => {
        store.users.create(scopeOf('org_hn'), user('usr_a', 'org_hn_dvc', 'an.nguyen'));
        store.users.create(system, user('usr_b', 'org_hcm', 'binh.tran'));
        const read = store.users.get(scopeOf('org_hn'), 'usr_a');
        expect(read).not.toHaveProperty('passwordHash');
        expect(read).toMatchObject({ username: 'an.nguyen', disabled: false, demo: false, createdAt: created });
        expect(store.users.get(scopeOf('org_hn'), 'usr_b')).toBeNull();
        expect(store.users.list(scopeOf('org_hn')).map((u) => u.id)).toEqual(['usr_a']);
        expect(store.users.list(system)).toHaveLength(2);
        expect(store.users.findCredentials(system, 'an.nguyen')?.passwordHash).toBe('$argon2id$usr_a');
        expect(store.users.findCredentials(scopeOf('org_hcm'), 'an.nguyen')).toBeNull();
        const updated = store.users.update(scopeOf('org_hn_dvc'), 'usr_a', { disabled: true, role: 'admin', passwordHash: 'new' });
        expect(updated).toMatchObject({ disabled: true, role: 'admin' });
        expect(updated).not.toHaveProperty('passwordHash');
        expect(store.users.findCredentials(system, 'an.nguyen')).toMatchObject({ disabled: true, passwordHash: 'new' });
        expectVigilError(() => store.users.update(scopeOf('org_hn'), 'usr_b', { disabled: true }), 'VIGIL_ERR_NOT_FOUND');
      });

      it('refuses users outside the scope and duplicate usernames, regardless of case', () => {
        expectVigilError(() => store.users.create(scopeOf('org_hn'), user('usr_c', 'org_hcm', 'c')), 'VIGIL_ERR_OUT_OF_SCOPE');
        store.users.create(system, user('usr_a', 'org_hn', 'an.nguyen'));
        expectVigilError(() => store.users.create(system, user('usr_d', 'org_hn', 'an.nguyen')), 'VIGIL_ERR_CONFLICT', /an\.nguyen/);
        expectVigilError(() => store.users.create(system, user('usr_e', 'org_hn', 'AN.Nguyen')), 'VIGIL_ERR_CONFLICT');
      });
    });

    describe('sensors', () => {
      it('round-trips a sensor, finds it by key digest and rotates its key', () => {
        const s = sensor('sen_1', 'org_hn_dvc', 'nginx-dvc');
        store.sensors.create(scopeOf('org_hn'), s, 'digest-1');
        expect(store.sensors.get(scopeOf('org_hn'), 'sen_1')).toEqual(s);
        expect(store.sensors.get(scopeOf('org_hcm'), 'sen_1')).toBeNull();
        expect(store.sensors.findByKeyDigest(system, 'digest-1')?.id).toBe('sen_1');
        expect(store.sensors.list(scopeOf('org_hn'))).toEqual([s]);
        store.sensors.rotateKey(scopeOf('org_hn'), 'sen_1', 'vgs_new', 'digest-2');
        expect(store.sensors.findByKeyDigest(system, 'digest-1')).toBeNull();
        expect(store.sensors.findByKeyDigest(system, 'digest-2')?.keyPrefix).toBe('vgs_new');
        const updated = store.sensors.update(scopeOf('org_hn'), 'sen_1', { enabled: false, syslogSources: ['192.0.2.1'], ratePerSecond: 500 });
        expect(store.sensors.get(system, 'sen_1')).toEqual(updated);
        expect(updated).toMatchObject({ enabled: false, syslogSources: ['192.0.2.1'], ratePerSecond: 500, name: 'nginx-dvc' });
      });

      it('refuses sensors outside the scope and duplicate keys', () => {
        expectVigilError(() => store.sensors.create(scopeOf('org_hn'), sensor('sen_x', 'org_hcm_dvc', 'x'), 'd'), 'VIGIL_ERR_OUT_OF_SCOPE');
        store.sensors.create(system, sensor('sen_1', 'org_hn', 'a'), 'digest-1');
        expectVigilError(() => store.sensors.create(system, sensor('sen_2', 'org_hn', 'b'), 'digest-1'), 'VIGIL_ERR_CONFLICT');
        expectVigilError(() => store.sensors.update(scopeOf('org_hcm'), 'sen_1', { name: 'y' }), 'VIGIL_ERR_NOT_FOUND');
        expectVigilError(() => store.sensors.rotateKey(scopeOf('org_hcm'), 'sen_1', 'p', 'digest-9'), 'VIGIL_ERR_NOT_FOUND');
      });
    });

    describe('credentials', () => {
      beforeEach(() => {
        store.users.create(system, user('usr_a', 'org_hn_dvc', 'an'));
      });

      it('keeps sessions until deleted or expired', () => {
        const session = { digest: 'sess-1', userId: 'usr_a', createdAt: created, expiresAt: '2024-04-02T00:00:00.000Z' };
        store.credentials.createSession(system, session);
        store.credentials.createSession(system, { ...session, digest: 'sess-2', expiresAt: '2024-04-03T00:00:00.000Z' });
        expect(store.credentials.findSession(system, 'sess-1')).toEqual(session);
        expect(store.credentials.findSession(scopeOf('org_hcm'), 'sess-1')).toBeNull();
        expectVigilError(() => store.credentials.createSession(scopeOf('org_hcm'), { ...session, digest: 'sess-3' }), 'VIGIL_ERR_OUT_OF_SCOPE');
        expect(store.credentials.expireSessions(system, Date.parse('2024-04-02T12:00:00Z'))).toBe(1);
        expect(store.credentials.findSession(system, 'sess-1')).toBeNull();
        store.credentials.deleteSession(scopeOf('org_hn'), 'sess-2');
        expect(store.credentials.findSession(system, 'sess-2')).toBeNull();
      });

      it('creates, finds, touches and revokes API tokens', () => {
        const token = { id: 'tok_1', userId: 'usr_a', orgId: 'org_hn_dvc', name: 'siem', prefix: 'vgt_ab', createdAt: created, expiresAt: null, lastUsedAt: null, revoked: false };
        store.credentials.createToken(scopeOf('org_hn'), token, 'tdigest');
        expect(store.credentials.findToken(system, 'tdigest')).toEqual(token);
        expect(store.credentials.findToken(scopeOf('org_hcm'), 'tdigest')).toBeNull();
        expect(store.credentials.listTokens(scopeOf('org_hn'), 'usr_a')).toEqual([token]);
        expect(store.credentials.listTokens(scopeOf('org_hcm'), 'usr_a')).toEqual([]);
        store.credentials.touchToken(system, 'tok_1', '2024-04-05T10:00:00.000Z');
        store.credentials.revokeToken(scopeOf('org_hn'), 'tok_1');
        expect(store.credentials.findToken(system, 'tdigest')).toMatchObject({ revoked: true, lastUsedAt: '2024-04-05T10:00:00.000Z' });
        expectVigilError(() => store.credentials.revokeToken(scopeOf('org_hcm'), 'tok_1'), 'VIGIL_ERR_NOT_FOUND');
        expectVigilError(() => store.credentials.createToken(scopeOf('org_hcm'), { ...token, id: 'tok_2' }, 'other'), 'VIGIL_ERR_OUT_OF_SCOPE');
        expectVigilError(() => store.credentials.createToken(system, { ...token, id: 'tok_3' }, 'tdigest'), 'VIGIL_ERR_CONFLICT');
      });
    });

    describe('batch commit', () => {
      it('stores a batch and fills the sequence numbers of its summary', () => {
        const events = [nginxEvent({ ts: day1 + 1000 }), nginxEvent({ ts: day1 + 2000 })];
        const result = store.ingest.commit(Scope.single('org_hn_dvc'), batchOf(events, { idempotencyKey: 'k1' }));
        expect(result.status).toBe('stored');
        expect(result.summary).toMatchObject({ batchId: 'k1', accepted: 2, firstSeq: 1, lastSeq: 2 });
        const stored = store.events.readAfter(system, 0, 10);
        expect(stored.map((e) => e.event)).toEqual(events.map((e) => e.event));
        expect(store.events.get(system, 2)?.event).toEqual(events[1]?.event);
        expect(store.events.get(scopeOf('org_hcm'), 2)).toBeNull();
      });

      it('answers a retried batch with the first summary and stores nothing twice', () => {
        const first = store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 })], { idempotencyKey: 'k1' }));
        const retry = store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 }), nginxEvent({ ts: day1 })], {
          idempotencyKey: 'k1',
          deadLetters: [{ parser: 'nginx', code: 'VIGIL_ERR_PARSE', reason: 'bad', lineNo: 2, raw: 'x' }],
          summary: summaryOf('other', 2),
        }));
        expect(retry).toEqual({ status: 'duplicate', summary: first.summary });
        expect(store.events.count(system)).toBe(1);
        expect(store.deadLetters.list(system, { limit: 10 }).items).toHaveLength(0);
        expect(store.rollups.query(system, { from: day1, to: day2, bucketMinutes: 1440, groupBy: [] })).toEqual([{ bucket: day1, count: 1 }]);
        expect(store.ingest.findBatch(system, 'sen_hn', 'k1')).toEqual(first.summary);
        expect(store.ingest.findBatch(scopeOf('org_hcm'), 'sen_hn', 'k1')).toBeNull();
        expect(store.ingest.findBatch(system, 'sen_other', 'k1')).toBeNull();
        // Keys are per sensor; batches without a key are never deduplicated.
        expect(store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 })], { idempotencyKey: 'k1', sensorId: 'sen_other' })).status).toBe('stored');
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 })]));
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 })]));
        expect(store.events.count(system)).toBe(4);
      });

      it('forgets idempotency records older than the given time', () => {
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 })], { idempotencyKey: 'old', receivedAt: day1 }));
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day2 })], { idempotencyKey: 'new', receivedAt: day2 }));
        expect(store.ingest.expireBatches(system, day2)).toBe(1);
        expect(store.ingest.findBatch(system, 'sen_hn', 'old')).toBeNull();
        expect(store.ingest.findBatch(system, 'sen_hn', 'new')).not.toBeNull();
      });

      it('refuses a batch outside the scope and stores none of it', () => {
        expectVigilError(() => store.ingest.commit(Scope.single('org_hn_dvc'), batchOf([nginxEvent({ ts: day1, orgId: 'org_hcm_dvc' })], { orgId: 'org_hcm_dvc' })), 'VIGIL_ERR_OUT_OF_SCOPE');
        const mixed = [nginxEvent({ ts: day1 }), nginxEvent({ ts: day3, orgId: 'org_hcm_dvc' })];
        expectVigilError(() => store.ingest.commit(Scope.single('org_hn_dvc'), batchOf(mixed, { idempotencyKey: 'mixed' })), 'VIGIL_ERR_OUT_OF_SCOPE');
        expect(store.events.count(system)).toBe(0);
        expect(store.events.lastSeq(system)).toBe(0);
        expect(store.ingest.findBatch(system, 'sen_hn', 'mixed')).toBeNull();
        // The failed batch left no trace: the next one starts at seq 1, also on the day it touched.
        expect(store.ingest.commit(system, batchOf([nginxEvent({ ts: day3 })])).summary.firstSeq).toBe(1);
        expect(store.events.readAfter(system, 0, 10).map((e) => e.seq)).toEqual([1]);
      });

      it('assigns seq strictly increasing across batches and day partitions, late events included', () => {
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day2 + 10 }), nginxEvent({ ts: day1 + 10 }), nginxEvent({ ts: day2 + 20 })]));
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day3 + 5 }), nginxEvent({ ts: day1 + 20 })]));
        store.ingest.commit(system, batchOf([]));
        const third = store.ingest.commit(system, batchOf([nginxEvent({ ts: day2 + 30 })]));
        expect(third.summary).toMatchObject({ firstSeq: 6, lastSeq: 6 });
        const all = store.events.readAfter(system, 0, 100);
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(all.map((e) => Date.parse(e.event['@timestamp']))).toEqual([day2 + 10, day1 + 10, day2 + 20, day3 + 5, day1 + 20, day2 + 30]);
        expect(store.events.lastSeq(system)).toBe(6);
      });

      it('reads after a seq across partitions in pages', () => {
        const events: EventToStore[] = [];
        for (let i = 0; i < 30; i++) events.push(nginxEvent({ ts: [day1, day2, day3][i % 3]! + i * 1000, orgId: i % 2 === 0 ? 'org_hn_dvc' : 'org_hcm_dvc' }));
        store.ingest.commit(system, batchOf(events.slice(0, 17)));
        store.ingest.commit(system, batchOf(events.slice(17)));
        const seen: number[] = [];
        for (let after = 0; ; ) {
          const page = store.events.readAfter(system, after, 7);
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(7);
          seen.push(...page.map((e) => e.seq));
          after = page[page.length - 1]!.seq;
        }
        expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        const hanoi = store.events.readAfter(scopeOf('org_hn'), 10, 100);
        expect(hanoi.map((e) => e.seq)).toEqual([11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
        expect(store.events.lastSeq(scopeOf('org_hn'))).toBe(29);
        expect(store.events.lastSeq(scopeOf('org_moh'))).toBe(0);
      });

      it('stores dead letters and lists them newest first, scoped and paged', () => {
        const letter = (lineNo: number): { parser: string; code: string; reason: string; lineNo: number; raw: string } =>
          ({ parser: 'nginx', code: 'VIGIL_ERR_PARSE', reason: `bad line ${lineNo}`, lineNo, raw: `garbage ${lineNo}` });
        store.ingest.commit(system, batchOf([], { receivedAt: day1, deadLetters: [letter(1), letter(2), letter(3)] }));
        store.ingest.commit(system, batchOf([], { receivedAt: day2, deadLetters: [letter(4), letter(5)] }));
        store.ingest.commit(system, batchOf([], { orgId: 'org_hcm_dvc', sensorId: 'sen_hcm', receivedAt: day2, deadLetters: [letter(6)] }));
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = store.deadLetters.list(scopeOf('org_hn'), cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
          seen.push(...page.items.map((d) => d.lineNo));
          cursor = page.next ?? undefined;
        } while (cursor !== undefined);
        expect(seen).toEqual([5, 4, 3, 2, 1]);
        const first = store.deadLetters.list(scopeOf('org_hn'), { limit: 1 }).items[0];
        expect(first).toMatchObject({ orgId: 'org_hn_dvc', sensorId: 'sen_hn', parser: 'nginx', raw: 'garbage 5', receivedAt: new Date(day2).toISOString() });
        expect(store.deadLetters.list(system, { limit: 10, sensorId: 'sen_hcm' }).items.map((d) => d.lineNo)).toEqual([6]);
        expect(store.deadLetters.list(scopeOf('org_moh'), { limit: 10 }).items).toEqual([]);
        const page = store.deadLetters.list(system, { limit: 1 });
        expectVigilError(() => store.deadLetters.list(system, { limit: 1, parser: 'cef', cursor: page.next ?? '' }), 'VIGIL_ERR_BAD_CURSOR');
        expect(store.deadLetters.dropBefore(scopeOf('org_hn'), day2)).toBe(3);
        expect(store.deadLetters.list(system, { limit: 10 }).items).toHaveLength(3);
      });
    });

    describe('search', () => {
      beforeEach(() => {
        store.ingest.commit(system, batchOf([
          nginxEvent({ ts: day1 + 1000, ip: '198.51.100.7', path: '/login', status: 401, categories: ['authentication', 'web'] }),
          nginxEvent({ ts: day1 + 2000, ip: '198.51.100.8', path: '/100%_done', tags: ['scanner', 'tor'] }),
          nginxEvent({ ts: day2 + 1000, ip: '198.51.100.7', path: '/search?q=a_b', status: 404, orgId: 'org_hcm_dvc' }),
          nginxEvent({ ts: day2 + 1000, ip: '198.51.100.9', path: '/Hồ-Sơ/Nộp', status: 200 }),
          nginxEvent({ ts: day3 + 1000, ip: '198.51.100.7', path: '/admin', status: 403, dataset: 'nginx.error' }),
        ]));
      });

      const paths = (events: { event: EcsEvent }[]): unknown[] => events.map((e) => (e.event['url'] as { path: string }).path);

      it('returns newest first across days, ties broken by seq', () => {
        const page = store.events.search(system, { limit: 10 });
        expect(paths(page.events)).toEqual(['/admin', '/Hồ-Sơ/Nộp', '/search?q=a_b', '/100%_done', '/login']);
        expect(page.next).toBeNull();
        expect(paths(store.events.search(system, { limit: 10, from: day1 + 2000, to: day3 }).events)).toEqual(['/Hồ-Sơ/Nộp', '/search?q=a_b', '/100%_done']);
      });

      it('filters by indexed and document fields, arrays matching any element', () => {
        const by = (field: string, value: string): unknown[] => paths(store.events.search(system, { limit: 10, filters: [{ field, value }] }).events);
        expect(by('source.ip', '198.51.100.7')).toEqual(['/admin', '/search?q=a_b', '/login']);
        expect(by('event.dataset', 'nginx.error')).toEqual(['/admin']);
        expect(by('event.outcome', 'failure')).toEqual(['/admin', '/search?q=a_b', '/login']);
        expect(by('organization.id', 'org_hcm_dvc')).toEqual(['/search?q=a_b']);
        expect(by('event.category', 'web')).toHaveLength(5);
        expect(by('event.category', 'authentication')).toEqual(['/login']);
        expect(by('http.response.status_code', '404')).toEqual(['/search?q=a_b']);
        expect(by('tags', 'tor')).toEqual(['/100%_done']);
        expect(by('url.path', '/nope')).toEqual([]);
        expect(paths(store.events.search(system, {
          limit: 10,
          filters: [{ field: 'source.ip', value: '198.51.100.7' }, { field: 'http.response.status_code', value: '401' }],
        }).events)).toEqual(['/login']);
      });

      it('matches text as a case-insensitive substring of the original, LIKE metacharacters literally', () => {
        const text = (t: string): unknown[] => paths(store.events.search(system, { limit: 10, text: t }).events);
        expect(text('GET /LOGIN')).toEqual(['/login']);
        expect(text('100%_')).toEqual(['/100%_done']);
        expect(text('%')).toEqual(['/100%_done']);
        expect(text('a_b')).toEqual(['/search?q=a_b']);
        expect(text('_')).toEqual(['/search?q=a_b', '/100%_done']);
        expect(text('hồ-sơ/nộp')).toEqual(['/Hồ-Sơ/Nộp']);
        expect(text('no such thing')).toEqual([]);
      });

      it('keeps to the scope', () => {
        expect(paths(store.events.search(scopeOf('org_hcm'), { limit: 10 }).events)).toEqual(['/search?q=a_b']);
        expect(store.events.search(scopeOf('org_moh'), { limit: 10 }).events).toEqual([]);
        expect(store.events.count(scopeOf('org_hn'))).toBe(4);
        expect(store.events.count(system, day2, day3)).toBe(2);
        expect(store.events.count(scopeOf('org_hn'), day2, day3)).toBe(1);
      });

      it('pages with a cursor through every result exactly once', () => {
        const seen: unknown[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = store.events.search(system, cursor === undefined ? { limit: 2 } : { limit: 2, cursor });
          seen.push(...paths(page.events));
          cursor = page.next ?? undefined;
          pages++;
        } while (cursor !== undefined);
        expect(pages).toBe(3);
        expect(seen).toEqual(['/admin', '/Hồ-Sơ/Nộp', '/search?q=a_b', '/100%_done', '/login']);
        const filtered = store.events.search(system, { limit: 1, text: '198.51.100.7' });
        expect(filtered.next).not.toBeNull();
        const second = store.events.search(system, { limit: 5, text: '198.51.100.7', cursor: filtered.next ?? '' });
        expect(paths(second.events)).toEqual(['/search?q=a_b', '/login']);
      });

      it('rejects a malformed cursor or one from another query', () => {
        const page = store.events.search(system, { limit: 1, text: 'GET' });
        const cursor = page.next ?? '';
        expectVigilError(() => store.events.search(system, { limit: 1, text: 'POST', cursor }), 'VIGIL_ERR_BAD_CURSOR');
        expectVigilError(() => store.events.search(system, { limit: 1, cursor }), 'VIGIL_ERR_BAD_CURSOR');
        expectVigilError(() => store.events.search(system, { limit: 1, cursor: 'not-a-cursor' }), 'VIGIL_ERR_BAD_CURSOR');
        expectVigilError(() => store.events.search(system, { limit: 1, cursor: Buffer.from('{"ts":"x"}').toString('base64url') }), 'VIGIL_ERR_BAD_CURSOR');
        expect(store.events.search(system, { limit: 1, text: 'GET', cursor }).events).toHaveLength(1);
      });
    });

    describe('rollups', () => {
      it('counts events per minute and aggregates into larger buckets by the requested dimensions', () => {
        store.ingest.commit(system, batchOf([
          nginxEvent({ ts: day1 + 10_000 }),
          nginxEvent({ ts: day1 + 20_000, status: 500 }),
          nginxEvent({ ts: day1 + minuteMs + 1 }),
          nginxEvent({ ts: day1 + 61 * minuteMs, orgId: 'org_hcm_dvc' }),
        ]));
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 + 30_000, categories: [] })]));

        expect(store.rollups.query(system, { from: day1, to: day1 + 2 * minuteMs, bucketMinutes: 1, groupBy: [] })).toEqual([
          { bucket: day1, count: 3 },
          { bucket: day1 + minuteMs, count: 1 },
        ]);
        expect(store.rollups.query(system, { from: day1, to: day2, bucketMinutes: 1, groupBy: ['outcome', 'category'] }).filter((r) => r.bucket === day1)).toEqual([
          { bucket: day1, category: '', outcome: 'success', count: 1 },
          { bucket: day1, category: 'web', outcome: 'failure', count: 1 },
          { bucket: day1, category: 'web', outcome: 'success', count: 1 },
        ]);
        expect(store.rollups.query(system, { from: day1, to: day2, bucketMinutes: 60, groupBy: ['orgId'] })).toEqual([
          { bucket: day1, orgId: 'org_hn_dvc', count: 4 },
          { bucket: day1 + 60 * minuteMs, orgId: 'org_hcm_dvc', count: 1 },
        ]);
        expect(store.rollups.query(scopeOf('org_hcm'), { from: day1, to: day2, bucketMinutes: 60, groupBy: ['dataset'] })).toEqual([
          { bucket: day1 + 60 * minuteMs, dataset: 'nginx.access', count: 1 },
        ]);
        expect(store.rollups.query(system, { from: day1 + minuteMs, to: day1 + 61 * minuteMs, bucketMinutes: 60, groupBy: [] })).toEqual([{ bucket: day1, count: 1 }]);
      });
    });

    describe('retention', () => {
      it('drops only the days before the given day and never reuses seq', () => {
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 + 5 }), nginxEvent({ ts: day2 + 5 }), nginxEvent({ ts: day3 + 5 }), nginxEvent({ ts: day1 + 6 })]));
        expectVigilError(() => store.events.dropBefore(system, day2 + 1), 'VIGIL_ERR_VALIDATION');
        expect(store.events.dropBefore(system, day2)).toBe(2);
        expect(store.events.count(system)).toBe(2);
        expect(store.events.readAfter(system, 0, 10).map((e) => e.seq)).toEqual([2, 3]);
        expect(store.events.search(system, { limit: 10, to: day2 }).events).toEqual([]);
        expect(store.events.dropBefore(system, day2)).toBe(0);
        expect(store.events.lastSeq(system)).toBe(4);
        expect(store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 + 7 })])).summary.firstSeq).toBe(5);
        expect(store.events.dropBefore(system, day3 + dayMs)).toBe(3);
        expect(store.events.count(system)).toBe(0);
        expect(store.ingest.commit(system, batchOf([nginxEvent({ ts: day3 })])).summary.firstSeq).toBe(6);
      });

      it('drops only its own rows for a restricted scope', () => {
        store.ingest.commit(system, batchOf([nginxEvent({ ts: day1 }), nginxEvent({ ts: day1, orgId: 'org_hcm_dvc' }), nginxEvent({ ts: day2 })]));
        expect(store.events.dropBefore(scopeOf('org_hn'), day2)).toBe(1);
        expect(store.events.readAfter(system, 0, 10).map((e) => e.seq)).toEqual([2, 3]);
        expect(store.events.count(system)).toBe(2);
      });
    });

    describe('consumer cursors', () => {
      it('starts at 0 and keeps the last position set', () => {
        expect(store.cursors.get(system, 'detect')).toBe(0);
        store.cursors.set(system, 'detect', 42);
        store.cursors.set(system, 'detect', 43);
        store.cursors.set(system, 'baseline', 7);
        expect(store.cursors.get(system, 'detect')).toBe(43);
        expect(store.cursors.get(system, 'baseline')).toBe(7);
        expectVigilError(() => store.cursors.set(scopeOf('org_hn'), 'detect', 1), 'VIGIL_ERR_OUT_OF_SCOPE');
      });
    });

    it('reports its schema version', () => {
      expect(store.schemaVersion()).toBeGreaterThanOrEqual(1);
    });
  });
}

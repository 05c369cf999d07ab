import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { Metrics } from '../core/metrics.js';
import type { Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from '../orgs/tree.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import type { IntelFeed } from './feed-model.js';
import { FeedScheduler, retryDelayMs } from './feed-scheduler.js';
import { intelViewer } from './tlp.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const system = Scope.system('feed scheduler test');
const org = (id: string, parentId: string | null): Organization => ({ id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind: parentId ? 'province' : 'national', sector: null, region: null, demo: false, createdAt: iso(T0) });
const orgs = [org('centre', null), org('hn', 'centre'), org('hcm', 'centre')];
const tree = new OrgTree(orgs);

const A = '22222222-bbbb-4bbb-8bbb-000000000001';
const B = '22222222-bbbb-4bbb-8bbb-000000000002';
const C = '22222222-bbbb-4bbb-8bbb-000000000003';
const mispEvent = (uuid: string, timestamp: number, ip: string) =>
  JSON.stringify({ Event: { uuid, info: `campaign ${uuid.slice(-1)}`, date: '2026-11-20', timestamp: String(timestamp), threat_level_id: '2', analysis: '2', Orgc: { name: 'CIRCL' }, Tag: [{ name: 'tlp:green' }], Attribute: [{ uuid: `${uuid.slice(0, -4)}ffff`, type: 'ip-dst', value: ip, to_ids: true, timestamp: String(timestamp) }] } });
const manifestEntry = (timestamp: number) => ({ info: 'x', Orgc: { name: 'CIRCL' }, Tag: [], date: '2026-11-20', timestamp: String(timestamp), threat_level_id: '2', analysis: '2' });

/** A small web server whose answers the test sets per path; it records what was asked. */
interface Answer { status?: number; body: string; headers?: Record<string, string> }
let server: Server;
let base = '';
const answers = new Map<string, Answer>();
const asked: { path: string; authorization: string | undefined }[] = [];
let store: Store;
let clock: ManualClock;

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  for (const o of orgs) store.orgs.create(system, o);
  clock = new ManualClock(T0);
  answers.clear();
  asked.length = 0;
  server = createServer((req, res) => {
    const path = req.url ?? '';
    asked.push({ path, authorization: req.headers.authorization });
    const answer = answers.get(path.split('?')[0] ?? '') ?? { status: 404, body: 'not here' };
    res.writeHead(answer.status ?? 200, answer.headers ?? {});
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  store.close();
  await new Promise((resolve) => server.close(resolve));
});

function addFeed(scope: Scope, patch: Partial<IntelFeed> & Pick<IntelFeed, 'id' | 'orgId' | 'kind' | 'url'>): void {
  store.intelFeeds.create(scope, { name: patch.id, collectionId: null, tokenEnv: null, everyMinutes: 60, tlpDefault: 'amber', enabled: true, createdAt: iso(T0), updatedAt: iso(T0), ...patch });
}

const held = () =>
  store.indicators
    .list(intelViewer('centre', tree), { limit: 100, now: clock.now(), all: true })
    .items.map((i) => `${i.source} ${i.ownerOrgId} ${i.tlp} ${i.value}`)
    .sort();
const paths = () => asked.map((a) => a.path);

describe('FeedScheduler over stored feeds', () => {
  it('runs each feed on its own schedule, incrementally, and records what each run did', async () => {
    answers.set('/misp/manifest.json', { body: JSON.stringify({ [A]: manifestEntry(1793000000), [B]: manifestEntry(1793000500) }) });
    answers.set(`/misp/${A}.json`, { body: mispEvent(A, 1793000000, '203.0.113.1') });
    answers.set(`/misp/${B}.json`, { body: mispEvent(B, 1793000500, '203.0.113.2') });
    answers.set('/lists/scanners.csv', { body: '# scanners seen by the HCM SOC\nip,comment\n198.51.100.7,masscan\n"198.51.100.8","zgrab, banner grab"\nnot an ip!,oops\n' });
    answers.set('/lists/domains.txt', { body: '# phishing\nphish-dichvucong.example\n0.0.0.0 login-vneid.example\n' });
    addFeed(Scope.subtree('hn', tree), { id: 'circl', orgId: 'hn', kind: 'misp-feed', url: `${base}/misp/`, everyMinutes: 60 });
    addFeed(Scope.subtree('hcm', tree), { id: 'hcm-scanners', orgId: 'hcm', kind: 'csv-url', url: `${base}/lists/scanners.csv`, everyMinutes: 15, tlpDefault: 'green' });
    addFeed(system, { id: 'paused', orgId: 'hn', kind: 'text-url', url: `${base}/lists/domains.txt`, enabled: false });
    let changes = 0;
    const scheduler = new FeedScheduler(store, [], { allowPrivateNetworks: true, clock, onChange: () => changes++ });

    const first = await scheduler.tick();
    expect(first.map((r) => [r.feedId, r.ok, r.added, r.updated]).sort()).toEqual([['circl', true, 2, 0], ['hcm-scanners', true, 2, 0]]);
    expect(changes).toBe(2);
    expect(held()).toEqual([
      'feed:circl hn green 203.0.113.1',
      'feed:circl hn green 203.0.113.2',
      'feed:hcm-scanners hcm green 198.51.100.7',
      'feed:hcm-scanners hcm green 198.51.100.8',
    ]);
    expect(store.intelFeeds.get(system, 'circl')).toMatchObject({ lastRunAt: iso(T0), lastSuccessAt: iso(T0), lastError: null, lastAdded: 2, failures: 0, nextRunAt: iso(T0 + 60 * MINUTE), cursor: '1793000500' });
    // The bad line does not fail the run; it is reported with it.
    expect(store.intelFeeds.get(system, 'hcm-scanners')).toMatchObject({ lastSuccessAt: iso(T0), nextRunAt: iso(T0 + 15 * MINUTE), cursor: null });
    expect(store.intelFeeds.get(system, 'hcm-scanners')?.lastError).toMatch(/1 problem\(s\), the run went on: line 5/);

    // Nothing is due yet.
    expect(await scheduler.tick()).toEqual([]);

    // A new MISP event, and 15 minutes on: only the CSV list is due (and refreshes what it holds).
    answers.set('/misp/manifest.json', { body: JSON.stringify({ [A]: manifestEntry(1793000000), [B]: manifestEntry(1793000500), [C]: manifestEntry(1793000900) }) });
    answers.set(`/misp/${C}.json`, { body: mispEvent(C, 1793000900, '203.0.113.3') });
    clock.advance(15 * MINUTE);
    expect((await scheduler.tick()).map((r) => [r.feedId, r.added, r.updated])).toEqual([['hcm-scanners', 0, 2]]);

    // At the hour the MISP feed reads the manifest and only the event that changed.
    clock.set(T0 + 60 * MINUTE);
    asked.length = 0;
    const hourly = await scheduler.tick();
    expect(hourly.map((r) => [r.feedId, r.added]).sort()).toEqual([['circl', 1], ['hcm-scanners', 0]]);
    expect(paths().filter((p) => p.startsWith('/misp/'))).toEqual(['/misp/manifest.json', `/misp/${C}.json`]);
    expect(store.intelFeeds.get(system, 'circl')?.cursor).toBe('1793000900');

    // Resumed over the API (the store), the paused feed runs at the next look; a deleted one never again.
    store.intelFeeds.update(system, 'paused', { enabled: true }, iso(clock.now()));
    expect(store.intelFeeds.delete(system, 'hcm-scanners')).toBe(true);
    clock.advance(15 * MINUTE);
    expect((await scheduler.tick()).map((r) => [r.feedId, r.added])).toEqual([['paused', 2]]);
    expect(held()).toContain('feed:paused hn amber login-vneid.example');
  });

  it('backs off after failures, keeps the last success, and recovers', async () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 10) / MINUTE)).toEqual([1, 2, 4, 8, 10]);
    answers.set('/down.txt', { status: 503, body: 'maintenance' });
    addFeed(system, { id: 'flaky', orgId: 'hn', kind: 'text-url', url: `${base}/down.txt`, everyMinutes: 60 });
    store.intelFeeds.recordRun(system, 'flaky', { lastSuccessAt: iso(T0 - 60 * MINUTE) });
    const metrics = new Metrics({ processMetrics: false });
    const scheduler = new FeedScheduler(store, [], { allowPrivateNetworks: true, clock, metrics });

    const [failed] = await scheduler.tick();
    expect(failed).toMatchObject({ feedId: 'flaky', ok: false, nextRunAt: iso(T0 + MINUTE) });
    expect(failed?.error).toMatch(/HTTP 503/);
    expect(store.intelFeeds.get(system, 'flaky')).toMatchObject({ failures: 1, lastRunAt: iso(T0), lastSuccessAt: iso(T0 - 60 * MINUTE), nextRunAt: iso(T0 + MINUTE) });
    clock.advance(MINUTE);
    await scheduler.tick();
    expect(store.intelFeeds.get(system, 'flaky')).toMatchObject({ failures: 2, nextRunAt: iso(T0 + 3 * MINUTE) });
    clock.advance(MINUTE);
    expect(await scheduler.tick()).toEqual([]);

    answers.set('/down.txt', { body: '192.0.2.44\n' });
    clock.advance(MINUTE);
    const [recovered] = await scheduler.tick();
    expect(recovered).toMatchObject({ ok: true, added: 1, error: null });
    expect(store.intelFeeds.get(system, 'flaky')).toMatchObject({ failures: 0, lastError: null, lastSuccessAt: iso(T0 + 3 * MINUTE), nextRunAt: iso(T0 + 63 * MINUTE) });
    const text = await metrics.registry.metrics();
    expect(text).toContain('vigil_intel_feed_runs_total{feed="flaky",outcome="failed"} 2');
    expect(text).toContain('vigil_intel_feed_runs_total{feed="flaky",outcome="ok"} 1');
    expect(text).toContain('vigil_intel_feed_indicators_total{feed="flaky",result="added"} 1');
  });

  it('polls a stored TAXII feed with its organisation’s token and resumes from the saved added_after', async () => {
    const objects = { more: false, objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--11111111-8d2b-4a5f-9e3c-2f6d8a7b9c10', created: iso(T0), modified: iso(T0), pattern: "[ipv4-addr:value = '192.0.2.77']", pattern_type: 'stix', valid_from: iso(T0) }] };
    answers.set('/taxii2/api/collections/c1/objects/', { body: JSON.stringify(objects), headers: { 'content-type': 'application/taxii+json;version=2.1', 'x-taxii-date-added-last': '2026-11-24T10:00:00.000Z' } });
    addFeed(system, { id: 'alliance', orgId: 'hn', kind: 'taxii', url: `${base}/taxii2/api/`, collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HN_ALLIANCE' });
    const scheduler = new FeedScheduler(store, [], { allowPrivateNetworks: true, clock, env: { VIGIL_FEED_TOKEN_HN_ALLIANCE: 'secret-hn', DATABASE_PASSWORD: 'hunter2' }, taxii: { maxAttempts: 1 } });

    const [first] = await scheduler.tick();
    expect(first).toMatchObject({ ok: true, added: 1, read: 1, cursor: '2026-11-24T10:00:00.000Z' });
    expect(asked[0]).toEqual({ path: '/taxii2/api/collections/c1/objects/', authorization: 'Bearer secret-hn' });
    expect(held()).toEqual(['taxii:alliance hn amber 192.0.2.77']);
    expect(store.intelFeeds.get(system, 'alliance')?.cursor).toBe('2026-11-24T10:00:00.000Z');

    await scheduler.runNow(Scope.subtree('hn', tree), 'alliance');
    // TAXII 2.1 §3.2: the next poll asks only for what was added after the last page's X-TAXII-Date-Added-Last.
    expect(asked[1]?.path).toBe('/taxii2/api/collections/c1/objects/?added_after=2026-11-24T10%3A00%3A00.000Z');
    await expect(scheduler.runNow(Scope.subtree('hcm', tree), 'alliance')).rejects.toThrow(/Feed alliance not found/);

    // A variable of no feed's, or of another organisation's, is never read nor sent anywhere.
    addFeed(system, { id: 'exfiltrate', orgId: 'hn', kind: 'taxii', url: `${base}/taxii2/api/`, collectionId: 'c1', tokenEnv: 'DATABASE_PASSWORD' });
    addFeed(system, { id: 'borrow', orgId: 'hn', kind: 'taxii', url: `${base}/taxii2/api/`, collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HCM' });
    addFeed(system, { id: 'unset', orgId: 'hn', kind: 'taxii', url: `${base}/taxii2/api/`, collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HN_OTHER' });
    asked.length = 0;
    const results = await scheduler.tick();
    expect(Object.fromEntries(results.map((r) => [r.feedId, r.error]))).toEqual({
      exfiltrate: 'tokenEnv DATABASE_PASSWORD is not one this organisation’s feeds may use',
      borrow: 'tokenEnv VIGIL_FEED_TOKEN_HCM is not one this organisation’s feeds may use',
      unset: 'environment variable VIGIL_FEED_TOKEN_HN_OTHER is not set',
    });
    expect(asked).toEqual([]);
  });

  it('runs configured feeds alongside, listed read-only to the scopes that cover their owner', async () => {
    answers.set('/taxii2/api/collections/c9/objects/', { body: JSON.stringify({ more: false, objects: [] }), headers: { 'x-taxii-date-added-last': '2026-11-24T11:00:00.000Z' } });
    addFeed(system, { id: 'hcm-list', orgId: 'hcm', kind: 'text-url', url: `${base}/none.txt`, enabled: false });
    const scheduler = new FeedScheduler(store, [{ id: 'national', url: `${base}/taxii2/api/`, collectionId: 'c9', token: 't', tokenEnv: 'NATIONAL_TOKEN', everyMinutes: 30, ownerOrgId: 'hn', tlpDefault: 'amber' }], { clock });
    expect(scheduler.list(system).map((f) => [f.id, f.source])).toEqual([['national', 'config'], ['hcm-list', 'api']]);
    expect(scheduler.list(Scope.subtree('hcm', tree)).map((f) => f.id)).toEqual(['hcm-list']);
    expect(scheduler.get(Scope.subtree('hcm', tree), 'national')).toBeNull();
    expect(scheduler.isConfigured('national')).toBe(true);

    expect((await scheduler.tick()).map((r) => [r.feedId, r.ok])).toEqual([['national', true]]);
    expect(scheduler.get(Scope.subtree('hn', tree), 'national')).toMatchObject({ source: 'config', tokenEnv: 'NATIONAL_TOKEN', lastRunAt: iso(T0), nextRunAt: iso(T0 + 30 * MINUTE), cursor: '2026-11-24T11:00:00.000Z', running: false, createdAt: null });
    // Where configured feeds always kept their position.
    expect(JSON.parse(store.consumerState.get(system, 'taxii:national') ?? '{}')).toEqual({ addedAfter: '2026-11-24T11:00:00.000Z' });
    clock.advance(30 * MINUTE);
    expect((await scheduler.tick()).map((r) => r.feedId)).toEqual(['national']);
  });

  it('reads only public hosts unless private networks are allowed; configured feeds always may', async () => {
    answers.set('/list.txt', { body: '192.0.2.10\n' });
    answers.set('/taxii2/api/collections/c9/objects/', { body: JSON.stringify({ more: false, objects: [] }) });
    addFeed(system, { id: 'loopback', orgId: 'hn', kind: 'text-url', url: `${base}/list.txt` });
    addFeed(system, { id: 'metadata', orgId: 'hn', kind: 'text-url', url: 'http://169.254.169.254/latest/meta-data/' });
    addFeed(system, { id: 'named', orgId: 'hn', kind: 'text-url', url: 'https://intranet.example/list.txt' });
    addFeed(system, { id: 'public', orgId: 'hn', kind: 'text-url', url: 'https://feeds.example/list.txt' });
    const lookup = async (host: string) => (host === 'intranet.example' ? ['93.184.216.34', '10.1.2.3'] : host === 'feeds.example' ? ['93.184.216.34'] : []);
    const configured = { id: 'national', url: `${base}/taxii2/api/`, collectionId: 'c9', token: '', everyMinutes: 30, ownerOrgId: 'hn', tlpDefault: 'amber' as const };
    const scheduler = new FeedScheduler(store, [configured], { clock, lookup, maxConcurrentRuns: 8 });
    const results = Object.fromEntries((await scheduler.tick()).map((r) => [r.feedId, r.error ?? 'ok']));
    expect(results['national']).toBe('ok');
    expect(results['loopback']).toMatch(/^127\.0\.0\.1 resolves to 127\.0\.0\.1, a private or special-purpose address/);
    expect(results['metadata']).toMatch(/^169\.254\.169\.254 resolves to 169\.254\.169\.254/);
    expect(results['named']).toMatch(/^intranet\.example resolves to 10\.1\.2\.3/);
    // Past the check, the public host is really fetched (and fails here: it does not exist).
    expect(results['public']).not.toMatch(/special-purpose/);
    expect(paths()).toEqual(['/taxii2/api/collections/c9/objects/']);
  });

  it('runs at most maxConcurrentRuns feeds at once, the others as soon as a place frees', async () => {
    answers.set('/l.txt', { body: '192.0.2.1\n' });
    for (const id of ['f1', 'f2', 'f3']) addFeed(system, { id, orgId: 'hn', kind: 'text-url', url: `${base}/l.txt` });
    const scheduler = new FeedScheduler(store, [], { allowPrivateNetworks: true, clock, maxConcurrentRuns: 2 });
    expect((await scheduler.tick()).map((r) => r.feedId)).toEqual(['f1', 'f2']);
    // The nudge after f1 and f2 ended runs f3 without waiting for the timer.
    for (let i = 0; i < 100 && store.intelFeeds.get(system, 'f3')?.lastRunAt === null; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.intelFeeds.get(system, 'f3')?.lastRunAt).toBe(iso(T0));
    await scheduler.stop();
  });

  it('never runs a feed twice at once: a second request joins the first', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      asked.push({ path: req.url ?? '', authorization: undefined });
      void gate.then(() => res.end('192.0.2.99\n'));
    });
    addFeed(system, { id: 'slow', orgId: 'hn', kind: 'text-url', url: `${base}/slow.txt` });
    const scheduler = new FeedScheduler(store, [], { allowPrivateNetworks: true, clock });
    const first = scheduler.runNow(system, 'slow');
    const second = scheduler.runNow(system, 'slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(scheduler.get(system, 'slow')?.running).toBe(true);
    expect(await scheduler.tick()).toEqual([]);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(asked).toHaveLength(1);
  });
});

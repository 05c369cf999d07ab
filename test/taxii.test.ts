/**
 * TAXII 2.1 between two Vigil centres. Centre A serves its indicators over `/taxii2/`; centre B
 * polls A with the API token of an analyst of province P and receives exactly what TLP 2.0 lets P
 * see (never another province's AMBER+STRICT), then, polling again after A gained indicators, only
 * the new ones (`added_after` from `X-TAXII-Date-Added-Last`). Also: authentication (401 with
 * WWW-Authenticate), content negotiation (406, 415), collections a caller cannot read (404),
 * `match[type]`, `limit`/`next` paging, and adding objects to A's inbox with a status resource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionId, collectionName } from '../src/api/taxii-collections.js';
import { Scope } from '../src/core/scope.js';
import { tlpLevels, type Tlp } from '../src/intel/model.js';
import { TLP2_MARKINGS } from '../src/intel/stix/tlp.js';
import { intelViewer } from '../src/intel/tlp.js';
import { FeedScheduler } from '../src/intel/feed-scheduler.js';
import { call, startTestCentre, type TestCentre } from './support.js';

const TAXII = 'application/taxii+json;version=2.1';
let a: TestCentre;
let b: TestCentre;
const org: Record<string, string> = {};
const sessions: Record<string, string> = {};
let pToken = '';
let bOwner = '';

interface Envelope { more?: boolean; next?: string; objects?: { type: string; id: string; pattern?: string; object_marking_refs?: string[]; created_by_ref?: string }[] }

const taxii = <T = Envelope>(path: string, token: string | undefined, headers: Record<string, string> = {}) =>
  call<T>(a.centre.url, 'GET', `/taxii2${path}`, { ...(token ? { token } : {}), headers: { accept: TAXII, ...headers } });

async function createOrg(t: TestCentre, code: string, kind: string): Promise<string> {
  const reply = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId: t.rootOrgId, code, nameVi: code, nameEn: code, kind } });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

async function createUser(username: string, orgId: string, role: string): Promise<string> {
  const password = 'correct horse battery staple 42';
  expect((await call(a.centre.url, 'POST', '/api/v1/users', { token: a.adminToken, body: { orgId, username, displayName: username, role, password } })).status).toBe(201);
  return (await call<{ token: string }>(a.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
}

async function addIndicator(who: string, value: string, tlp: Tlp, extra: Record<string, unknown> = {}): Promise<void> {
  const reply = await call(a.centre.url, 'POST', '/api/v1/intel/indicators', { token: sessions[who], body: { type: value.includes('.example') ? 'domain' : 'ipv4', value, tlp, ...extra } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

const patternValue = (pattern: string | undefined) => /= '([^']+)'/.exec(pattern ?? '')?.[1] ?? '';

function poller(): FeedScheduler {
  const feeds = tlpLevels.map((tlp) => ({ id: `centre-a-${tlp.replace('+', '-')}`, url: `${a.centre.url}/taxii2/api/`, collectionId: collectionId(collectionName(tlp)), token: pToken, everyMinutes: 60, ownerOrgId: bOwner, tlpDefault: 'amber' as const }));
  return new FeedScheduler(b.centre.store, feeds, { taxii: { limit: 2, maxAttempts: 2, baseDelayMs: 10 } });
}

async function pollAll(p: FeedScheduler): Promise<{ added: number; updated: number; objects: number }> {
  const total = { added: 0, updated: 0, objects: 0 };
  for (const tlp of tlpLevels) {
    const r = await p.runNow(Scope.system('test: poll centre A'), `centre-a-${tlp.replace('+', '-')}`);
    expect(r.error).toBeNull();
    total.added += r.added;
    total.updated += r.updated;
    total.objects += r.read;
  }
  return total;
}

function heldOnB(): { value: string; tlp: string; source: string }[] {
  // As the feed's owner: B's own root does not see RED it is not named in (TLP 2.0).
  const viewer = intelViewer(bOwner, b.centre.directory.tree());
  return b.centre.store.indicators.list(viewer, { limit: 1000, now: Date.now(), all: true }).items.map((i) => ({ value: i.value, tlp: i.tlp, source: i.source }));
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestCentre(), startTestCentre()]);
  org['p'] = await createOrg(a, 'PROV-P', 'province');
  org['q'] = await createOrg(a, 'PROV-Q', 'province');
  org['f'] = await createOrg(a, 'FIRM-F', 'alliance');
  sessions['p'] = await createUser('analyst.p', org['p'], 'analyst');
  sessions['q'] = await createUser('analyst.q', org['q'], 'analyst');
  sessions['f'] = await createUser('analyst.f', org['f'], 'analyst');
  sessions['p-viewer'] = await createUser('viewer.p', org['p'], 'viewer');
  const token = await call<{ secret: string }>(a.centre.url, 'POST', '/api/v1/auth/tokens', { token: sessions['p'], body: { name: 'centre B poller' } });
  expect(token.status).toBe(201);
  pToken = token.body.secret;
  expect(pToken).toMatch(/^vgt_/);

  await addIndicator('f', '198.51.100.1', 'clear');
  await addIndicator('f', '198.51.100.2', 'green');
  await addIndicator('f', '198.51.100.3', 'amber', { sharedWith: [org['p']] });
  await addIndicator('f', '198.51.100.4', 'amber'); // F's own AMBER: not P's
  await addIndicator('f', '198.51.100.5', 'red', { sharedWith: [org['p']] });
  await addIndicator('f', '198.51.100.6', 'red'); // F's own RED
  await addIndicator('q', '203.0.113.9', 'amber+strict'); // another province's: P must not get it
  await addIndicator('q', 'evil-q.example', 'green');
  await addIndicator('p', '203.0.113.10', 'amber+strict');
  bOwner = await createOrg(b, 'FEED-A', 'alliance');
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('TAXII 2.1 server', () => {
  it('asks for a token: 401 with WWW-Authenticate and a TAXII error message', async () => {
    const reply = await taxii<{ title: string; http_status: string }>('/api/collections/', undefined);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(reply.headers['content-type']).toBe(TAXII);
    expect(reply.body).toMatchObject({ http_status: '401', error_code: 'VIGIL_ERR_AUTH_REQUIRED' });
  });

  it('answers 406 to an Accept that admits no TAXII 2.1 JSON', async () => {
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1']) {
      const reply = await taxii<{ http_status: string }>('/api/collections/', pToken, { accept });
      expect(reply.status, accept).toBe(406);
      expect(reply.body.http_status).toBe('406');
    }
    expect((await taxii('/api/collections/', pToken, { accept: 'application/taxii+json' })).status).toBe(200);
  });

  it('serves discovery, the API root and the caller’s collections', async () => {
    const discovery = await taxii<{ default: string; api_roots: string[] }>('/', pToken);
    expect(discovery.status).toBe(200);
    expect(discovery.body.default).toMatch(/\/taxii2\/api\/$/);
    const root = await taxii<{ versions: string[]; max_content_length: number }>('/api/', pToken);
    expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: 1024 * 1024 });
    const analyst = await taxii<{ collections: { id: string; can_read: boolean; can_write: boolean }[] }>('/api/collections/', pToken);
    expect(analyst.body.collections).toHaveLength(6);
    expect(analyst.body.collections.filter((c) => c.can_write).map((c) => c.id)).toEqual([collectionId('alliance-inbox')]);
    const viewer = await taxii<{ collections: { id: string }[] }>('/api/collections/', sessions['p-viewer']);
    const docs = await call<{ paths: Record<string, unknown> }>(a.centre.url, 'GET', '/api/docs/json');
    expect(Object.keys(docs.body.paths)).toContain('/taxii2/api/collections/{collectionId}/objects/');
    expect(viewer.body.collections.map((c) => c.id)).not.toContain(collectionId('alliance-inbox'));
  });

  it('answers 404 for a collection the caller cannot read or does not have', async () => {
    expect((await taxii(`/api/collections/${collectionId('alliance-inbox')}/objects/`, sessions['p-viewer'])).status).toBe(404);
    expect((await taxii('/api/collections/00000000-0000-4000-8000-000000000000/objects/', pToken)).status).toBe(404);
    expect((await taxii(`/api/collections/${collectionId('alliance-inbox')}/objects/`, pToken)).status).toBe(403); // write-only
  });

  it('filters by match[type] and pages with limit and next', async () => {
    const green = `/api/collections/${collectionId('indicators-green')}`;
    const identities = await taxii(`${green}/objects/?match[type]=identity`, pToken);
    expect(identities.body.objects?.map((o) => o.type)).toEqual(['identity', 'identity']);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const reply = await taxii(`${green}/objects/?match[type]=indicator&limit=1${next ? `&next=${next}` : ''}`, pToken);
      expect(reply.status).toBe(200);
      expect(reply.headers['x-taxii-date-added-first']).toBeDefined();
      seen.push(...(reply.body.objects ?? []).map((o) => patternValue(o.pattern)));
      next = reply.body.next;
      pages++;
      if (reply.body.more) expect(next).toBeDefined();
    } while (next && pages < 10);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(['198.51.100.2', 'evil-q.example']);
    const manifest = await taxii<{ objects: { media_type: string }[] }>(`${green}/manifest/?match[type]=indicator`, pToken);
    expect(manifest.body.objects.map((m) => m.media_type)).toEqual(['application/stix+json;version=2.1', 'application/stix+json;version=2.1']);
  });

  it('serves an object by id with its versions, and the markings and identities it references', async () => {
    const strict = await taxii(`/api/collections/${collectionId('indicators-amber-strict')}/objects/`, pToken);
    const ind = strict.body.objects?.find((o) => o.type === 'indicator');
    expect(patternValue(ind?.pattern)).toBe('203.0.113.10');
    expect(ind?.object_marking_refs).toEqual([TLP2_MARKINGS['amber+strict'].id]);
    expect(strict.body.objects?.map((o) => o.id)).toEqual(expect.arrayContaining([TLP2_MARKINGS['amber+strict'].id, ind?.created_by_ref]));
    const one = await taxii(`/api/collections/${collectionId('indicators-amber-strict')}/objects/${ind?.id}/`, pToken);
    expect(one.body.objects?.map((o) => o.id)).toEqual([ind?.id]);
    const versions = await taxii<{ versions: string[] }>(`/api/collections/${collectionId('indicators-amber-strict')}/objects/${ind?.id}/versions/`, pToken);
    expect(versions.body.versions).toHaveLength(1);
    expect((await taxii(`/api/collections/${collectionId('indicators-green')}/objects/${ind?.id}/`, pToken)).status).toBe(404);
  });

  it('adds objects to the inbox and reports a status; refuses other media types and oversized bodies', async () => {
    const inbox = `/taxii2/api/collections/${collectionId('alliance-inbox')}/objects/`;
    const envelope = {
      objects: [
        { type: 'indicator', spec_version: '2.1', id: 'indicator--1b0c7a4e-8d2b-4a5f-9e3c-2f6d8a7b9c10', created: '2026-11-20T00:00:00.000Z', modified: '2026-11-20T00:00:00.000Z', pattern: "[ipv4-addr:value = '192.0.2.77']", pattern_type: 'stix', valid_from: '2026-11-20T00:00:00.000Z', object_marking_refs: [TLP2_MARKINGS.green.id] },
        { type: 'indicator', spec_version: '2.1', id: 'indicator--2b0c7a4e-8d2b-4a5f-9e3c-2f6d8a7b9c10', created: '2026-11-20T00:00:00.000Z', modified: '2026-11-20T00:00:00.000Z', pattern: "[process:name = 'x']", pattern_type: 'stix', valid_from: '2026-11-20T00:00:00.000Z' },
        { type: 'indicator', id: 'not-an-id' },
      ],
    };
    const posted = await call<{ id: string; success_count: number; failure_count: number; failures: { id: string; message: string }[] }>(a.centre.url, 'POST', inbox, { token: pToken, raw: JSON.stringify(envelope), headers: { 'content-type': TAXII, accept: TAXII } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    expect(posted.body).toMatchObject({ success_count: 1, failure_count: 2 });
    expect(posted.body.failures.map((f) => f.id)).toEqual(['not-an-id', 'indicator--2b0c7a4e-8d2b-4a5f-9e3c-2f6d8a7b9c10']);
    const status = await taxii<{ id: string; status: string }>(`/api/status/${posted.body.id}/`, pToken);
    expect(status.body).toMatchObject({ id: posted.body.id, status: 'complete' });
    expect((await taxii(`/api/status/${posted.body.id}/`, sessions['q'])).status).toBe(404);
    const stored = a.centre.store.indicators.list(intelViewer(org['p'] as string, a.centre.directory.tree()), { value: '192.0.2.77', limit: 5, now: Date.now() }).items;
    expect(stored.map((i) => [i.source, i.tlp, i.ownerOrgId])).toEqual([['taxii:PROV-P', 'green', org['p']]]);

    const asJson = await call(a.centre.url, 'POST', inbox, { token: pToken, raw: JSON.stringify(envelope), headers: { 'content-type': 'application/json', accept: TAXII } });
    expect(asJson.status).toBe(415);
    const huge = await call(a.centre.url, 'POST', inbox, { token: pToken, raw: JSON.stringify({ objects: [], pad: 'x'.repeat(1024 * 1024 + 10) }), headers: { 'content-type': TAXII, accept: TAXII } });
    expect(huge.status).toBe(413);
    const viewer = await call(a.centre.url, 'POST', inbox, { token: sessions['p-viewer'], raw: JSON.stringify(envelope), headers: { 'content-type': TAXII, accept: TAXII } });
    expect(viewer.status).toBe(403);
  });
});

describe('TAXII 2.1 round trip: centre B polls centre A as province P', () => {
  it('receives exactly what P may see, then only what is new', async () => {
    const p = poller();
    const first = await pollAll(p);
    const expected = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.5', '192.0.2.77', '203.0.113.10', 'evil-q.example'].sort();
    const held = heldOnB();
    expect(held.map((i) => i.value).sort()).toEqual(expected);
    expect(held.map((i) => i.value)).not.toContain('203.0.113.9');
    expect(held.every((i) => i.source.startsWith('taxii:centre-a-'))).toBe(true);
    expect(held.find((i) => i.value === '203.0.113.10')?.tlp).toBe('amber+strict');
    expect(held.find((i) => i.value === '198.51.100.5')?.tlp).toBe('red');
    expect(first.added).toBe(expected.length);

    const state = b.centre.store.consumerState.get(Scope.system('test'), 'taxii:centre-a-green');
    expect(JSON.parse(state ?? '{}')).toHaveProperty('addedAfter');

    await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond than the last poll's
    await addIndicator('f', '198.51.100.20', 'green');
    await addIndicator('q', '203.0.113.21', 'amber+strict');
    await addIndicator('p', '203.0.113.22', 'amber');
    const second = await pollAll(poller()); // a new poller: the position comes from the store
    expect(second).toMatchObject({ added: 2, updated: 0 });
    expect(heldOnB().map((i) => i.value)).toEqual(expect.arrayContaining(['198.51.100.20', '203.0.113.22']));
    expect(heldOnB().map((i) => i.value)).not.toContain('203.0.113.21');
    const third = await pollAll(poller());
    expect(third).toMatchObject({ added: 0, updated: 0, objects: 0 });
  });
});

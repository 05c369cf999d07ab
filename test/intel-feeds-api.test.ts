/**
 * Intelligence feeds over the API (`/api/v1/intel/feeds`): analysts add, change, pause, run and
 * delete the feeds of their own subtree, never another province's (404, as if it did not exist);
 * viewers only read; malformed and hostile input is refused with the field named (a URL to a
 * local file or with credentials in it, a token variable that is not the organisation's own);
 * feeds of the configuration file are listed read-only; a feed added here runs without a restart.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestCentre, type TestCentre } from './support.js';

interface FeedView {
  id: string; orgId: string; kind: string; url: string; source: 'api' | 'config'; enabled: boolean; everyMinutes: number; tokenEnv: string | null;
  lastRunAt: string | null; lastSuccessAt: string | null; lastAdded: number; nextRunAt: string | null; running: boolean;
}
interface ErrorBody { code: string; message: string; location?: { field?: string } }

let t: TestCentre;
let server: Server;
let base = '';
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function createOrg(code: string, parentId: string): Promise<string> {
  const reply = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId, code, nameVi: code, nameEn: code, kind: code.includes('-') ? 'agency' : 'province' } });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

async function createUser(username: string, orgId: string, role: string): Promise<string> {
  const password = 'correct horse battery staple 42';
  expect((await call(t.centre.url, 'POST', '/api/v1/users', { token: t.adminToken, body: { orgId, username, displayName: username, role, password } })).status).toBe(201);
  return (await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
}

const feeds = <T = FeedView>(who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path = '', body?: unknown) =>
  call<T>(t.centre.url, method, `/api/v1/intel/feeds${path}`, { token: tokens[who], ...(body !== undefined ? { body } : {}) });

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not reached in time');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/lists/hn.txt') res.end('# Hà Nội blocklist\n203.0.113.61\nphish-hanoi.example\n');
    else if (req.url?.startsWith('/taxii2/')) {
      res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
      res.end(JSON.stringify({ more: false, objects: [] }));
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env['VIGIL_TEST_NATIONAL_TAXII'] = 'national-token';
  t = await startTestCentre(`intel: { feeds: { allowPrivateNetworks: true }, taxii: { feeds: [{ id: national-cti, url: "${base}/taxii2/api/", collectionId: c1, tokenEnv: VIGIL_TEST_NATIONAL_TAXII, everyMinutes: 30, ownerOrg: NCSC }] } }`);
  org['hn'] = await createOrg('HN', t.rootOrgId);
  org['hn-a'] = await createOrg('HN-SOTTTT', org['hn']);
  org['hcm'] = await createOrg('HCM', t.rootOrgId);
  tokens['centre'] = t.adminToken;
  tokens['hn'] = await createUser('analyst.hn', org['hn'], 'analyst');
  tokens['hn-viewer'] = await createUser('viewer.hn', org['hn'], 'viewer');
  tokens['hn-a'] = await createUser('admin.hn.a', org['hn-a'], 'admin');
  tokens['hcm'] = await createUser('analyst.hcm', org['hcm'], 'analyst');
}, 60_000);

afterAll(async () => {
  await t?.stop();
  delete process.env['VIGIL_TEST_NATIONAL_TAXII'];
  await new Promise((resolve) => server?.close(resolve));
});

describe('intelligence feeds over the API', () => {
  it('adds a feed that runs without a restart, and runs it again on demand', async () => {
    const created = await feeds('hn', 'POST', '', { id: 'hn-blocklist', kind: 'text-url', name: 'Hà Nội blocklist', url: `${base}/lists/hn.txt`, everyMinutes: 30, tlpDefault: 'green' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: 'hn-blocklist', orgId: org['hn'], kind: 'text-url', source: 'api', enabled: true, everyMinutes: 30, tokenEnv: null });
    // The scheduler saw it at once.
    await eventually(async () => (await feeds('hn', 'GET', '/hn-blocklist')).body.lastSuccessAt !== null);
    const ran = await feeds('hn', 'GET', '/hn-blocklist');
    expect(ran.body).toMatchObject({ lastAdded: 2, running: false });
    expect(Date.parse(ran.body.nextRunAt ?? '') - Date.parse(ran.body.lastRunAt ?? '')).toBe(30 * 60_000);
    const indicators = await call<{ items: { value: string; source: string; tlp: string }[] }>(t.centre.url, 'GET', '/api/v1/intel/indicators?source=feed:hn-blocklist', { token: tokens['hcm'] });
    expect(indicators.body.items.map((i) => [i.value, i.tlp]).sort()).toEqual([['203.0.113.61', 'green'], ['phish-hanoi.example', 'green']]);

    const again = await feeds<{ ok: boolean; added: number; updated: number; error: string | null }>('hn', 'POST', '/hn-blocklist/run');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, added: 0, updated: 2, error: null });

    const generated = await feeds('hn-a', 'POST', '', { kind: 'csv-url', name: 'agency list', url: `${base}/lists/missing.csv`, enabled: false });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({ orgId: org['hn-a'], enabled: false, lastRunAt: null, everyMinutes: 60 });
    expect(generated.body.id).toMatch(/^fed_[0-9a-f]{32}$/);
  });

  it('confines feeds to the organisation’s subtree: another province’s feed does not exist for you', async () => {
    expect((await feeds('hcm', 'POST', '', { id: 'hcm-list', kind: 'csv-url', name: 'HCM list', url: `${base}/lists/hcm.csv`, enabled: false })).status).toBe(201);
    const ids = async (who: string) => (await feeds<{ items: FeedView[] }>(who, 'GET')).body.items.map((f) => f.id);
    expect(await ids('hcm')).toEqual(['hcm-list']);
    expect(await ids('hn')).not.toContain('hcm-list');
    expect(await ids('hn')).toContain('hn-blocklist');
    expect(await ids('hn-viewer')).toContain('hn-blocklist');
    expect(await ids('centre')).toEqual(expect.arrayContaining(['national-cti', 'hn-blocklist', 'hcm-list']));

    for (const [method, path, body] of [['GET', '/hcm-list', undefined], ['PATCH', '/hcm-list', { enabled: true }], ['DELETE', '/hcm-list', undefined], ['POST', '/hcm-list/run', undefined]] as const) {
      const reply = await feeds<ErrorBody>('hn', method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body.code).toBe('VIGIL_ERR_NOT_FOUND');
    }
    // Nor may a province create one for another, nor an agency for its parent.
    expect((await feeds<ErrorBody>('hn', 'POST', '', { kind: 'csv-url', name: 'x', url: `${base}/x.csv`, orgId: org['hcm'] })).body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    expect((await feeds<ErrorBody>('hn-a', 'POST', '', { kind: 'csv-url', name: 'x', url: `${base}/x.csv`, orgId: org['hn'] })).status).toBe(403);
    // The HCM feed is untouched.
    expect((await feeds('hcm', 'GET', '/hcm-list')).body).toMatchObject({ enabled: false, lastRunAt: null });
    // The centre manages everyone's.
    expect((await feeds('centre', 'PATCH', '/hcm-list', { everyMinutes: 120 })).body).toMatchObject({ everyMinutes: 120, enabled: false });
  });

  it('lets viewers read but not manage, and answers without a token 401', async () => {
    expect((await feeds('hn-viewer', 'GET', '/hn-blocklist')).status).toBe(200);
    for (const [method, path, body] of [['POST', '', { kind: 'csv-url', name: 'x', url: `${base}/x.csv` }], ['PATCH', '/hn-blocklist', { enabled: false }], ['DELETE', '/hn-blocklist', undefined], ['POST', '/hn-blocklist/run', undefined]] as const) {
      const reply = await feeds<ErrorBody>('hn-viewer', method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.body.code).toBe('VIGIL_ERR_FORBIDDEN');
    }
    expect((await call(t.centre.url, 'GET', '/api/v1/intel/feeds')).status).toBe(401);
  });

  it('refuses malformed and hostile feeds, naming the field', async () => {
    const valid = { kind: 'csv-url', name: 'list', url: `${base}/lists/x.csv`, enabled: false };
    const rows: [string, Record<string, unknown>, string][] = [
      ['a local file', { ...valid, url: 'file:///etc/passwd' }, 'url'],
      ['another scheme', { ...valid, url: 'ftp://feeds.example/list.csv' }, 'url'],
      ['script', { ...valid, url: 'javascript:alert(1)' }, 'url'],
      ['not a URL', { ...valid, url: 'feeds.example/list.csv' }, 'url'],
      ['credentials in the URL', { ...valid, url: 'https://user:secret@feeds.example/list.csv' }, 'url'],
      ['a very long URL', { ...valid, url: `https://feeds.example/${'a'.repeat(3000)}` }, 'url'],
      ['an unknown kind', { ...valid, kind: 'rss' }, 'kind'],
      ['no name', { ...valid, name: '   ' }, 'name'],
      ['TAXII without a collection', { ...valid, kind: 'taxii', url: `${base}/taxii2/api/` }, 'collectionId'],
      ['a collection on a CSV list', { ...valid, collectionId: 'c1' }, 'collectionId'],
      ['a token on a CSV list', { ...valid, tokenEnv: 'VIGIL_FEED_TOKEN_HN' }, 'tokenEnv'],
      ['a token variable of lower case', { ...valid, kind: 'taxii', collectionId: 'c1', tokenEnv: 'vigil_feed_token_hn' }, 'tokenEnv'],
      ['a token variable with a shell', { ...valid, kind: 'taxii', collectionId: 'c1', tokenEnv: 'X;rm -rf /' }, 'tokenEnv'],
      ['someone else’s secret', { ...valid, kind: 'taxii', collectionId: 'c1', tokenEnv: 'DATABASE_PASSWORD' }, 'tokenEnv'],
      ['another province’s token', { ...valid, kind: 'taxii', collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HCM' }, 'tokenEnv'],
      ['the token itself', { ...valid, token: 'vgt_secret' }, 'body'],
      ['every 0 minutes', { ...valid, everyMinutes: 0 }, 'everyMinutes'],
      ['more than a week', { ...valid, everyMinutes: 10_081 }, 'everyMinutes'],
      ['a fraction of a minute', { ...valid, everyMinutes: 1.5 }, 'everyMinutes'],
      ['minutes as text', { ...valid, everyMinutes: '60' }, 'everyMinutes'],
      ['an unknown TLP', { ...valid, tlpDefault: 'purple' }, 'tlpDefault'],
      ['an id with a path', { ...valid, id: '../x' }, 'id'],
      ['an id in capitals', { ...valid, id: 'HN-List' }, 'id'],
      ['an id too long', { ...valid, id: 'a'.repeat(64) }, 'id'],
    ];
    for (const [what, body, field] of rows) {
      const reply = await feeds<ErrorBody>('hn', 'POST', '', body);
      expect(reply.status, what).toBe(400);
      expect(reply.body.code, what).toBe('VIGIL_ERR_VALIDATION');
      expect(reply.body.location?.field ?? '', what).toContain(field);
    }
    const notJson = await call<ErrorBody>(t.centre.url, 'POST', '/api/v1/intel/feeds', { token: tokens['hn'], raw: '{"kind": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    const array = await feeds<ErrorBody>('hn', 'POST', '', [valid]);
    expect(array.status).toBe(400);
    // A token variable named for the organisation is fine.
    const own = await feeds('hn', 'POST', '', { ...valid, id: 'hn-taxii', kind: 'taxii', url: `${base}/taxii2/api/`, collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HN_ALLIANCE' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
  });

  it('refuses a taken id, with 409, whoever holds it', async () => {
    for (const [who, id] of [['hn', 'hn-blocklist'], ['hcm', 'hn-blocklist'], ['hn', 'national-cti']] as const) {
      const reply = await feeds<ErrorBody>(who, 'POST', '', { id, kind: 'text-url', name: 'again', url: `${base}/lists/hn.txt`, enabled: false });
      expect(reply.status, `${who} ${id}`).toBe(409);
      expect(reply.body.message).toBe(`feed ${id} already exists`);
    }
  });

  it('pauses, reschedules, moves and deletes a feed', async () => {
    const paused = await feeds('hn', 'PATCH', '/hn-blocklist', { enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false });
    const rescheduled = await feeds('hn', 'PATCH', '/hn-blocklist', { everyMinutes: 5, name: 'HN list' });
    expect(rescheduled.body).toMatchObject({ everyMinutes: 5, enabled: false });
    expect(Date.parse(rescheduled.body.nextRunAt ?? '') - Date.parse(rescheduled.body.lastRunAt ?? '')).toBe(5 * 60_000);
    for (const [what, body, field] of [
      ['nothing', {}, 'body'],
      ['a collection on a text list', { collectionId: 'c1' }, 'collectionId'],
      ['the kind', { kind: 'csv-url' }, 'body'],
      ['the owner', { orgId: org['hcm'] }, 'body'],
      ['a local file', { url: 'file:///etc/shadow' }, 'url'],
      ['enabled as text', { enabled: 'yes' }, 'enabled'],
    ] as const) {
      const reply = await feeds<ErrorBody>('hn', 'PATCH', '/hn-blocklist', body);
      expect(reply.status, what).toBe(400);
      expect(reply.body.location?.field ?? '', what).toContain(field);
    }
    const taxii = await feeds<ErrorBody>('hn', 'PATCH', '/hn-taxii', { collectionId: null });
    expect(taxii.status).toBe(400);
    expect((await feeds<ErrorBody>('hn', 'PATCH', '/hn-taxii', { tokenEnv: 'VIGIL_FEED_TOKEN_HCM' })).status).toBe(400);
    expect((await feeds('hn', 'PATCH', '/hn-taxii', { tokenEnv: null })).body).toMatchObject({ tokenEnv: null });

    expect((await feeds('hn', 'DELETE', '/hn-blocklist')).status).toBe(204);
    expect((await feeds('hn', 'GET', '/hn-blocklist')).status).toBe(404);
    expect((await feeds('hn', 'DELETE', '/hn-blocklist')).status).toBe(404);
    // What it brought stays.
    const indicators = await call<{ items: unknown[] }>(t.centre.url, 'GET', '/api/v1/intel/indicators?source=feed:hn-blocklist', { token: tokens['hn'] });
    expect(indicators.body.items).toHaveLength(2);
  });

  it('lists configured feeds read-only; they can be run, not changed', async () => {
    const national = await feeds('centre', 'GET', '/national-cti');
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({ source: 'config', kind: 'taxii', tokenEnv: 'VIGIL_TEST_NATIONAL_TAXII', everyMinutes: 30, orgId: t.rootOrgId });
    expect(JSON.stringify(national.body)).not.toContain('national-token');
    expect((await feeds('hn', 'GET', '/national-cti')).status).toBe(404);
    for (const [method, body] of [['PATCH', { enabled: false }], ['DELETE', undefined]] as const) {
      const reply = await feeds<ErrorBody>('centre', method, '/national-cti', body);
      expect(reply.status, method).toBe(409);
      expect(reply.body.code).toBe('VIGIL_ERR_FEED_READ_ONLY');
    }
    const run = await feeds<{ ok: boolean; feedId: string }>('centre', 'POST', '/national-cti/run');
    expect(run.body).toMatchObject({ ok: true, feedId: 'national-cti' });
  });

  it('documents the routes in OpenAPI', async () => {
    const docs = await call<{ paths: Record<string, Record<string, unknown>> }>(t.centre.url, 'GET', '/api/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths['/api/v1/intel/feeds/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(docs.body.paths['/api/v1/intel/feeds/{id}/run']).toHaveProperty('post');
  });
});

/**
 * End to end over HTTP: the organisation tree, users of different organisations, sensors writing
 * for their own organisation only, and every read confined to the caller's subtree.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestCentre, type TestCentre } from './support.js';

interface Org { id: string }
interface SensorReply { id: string; key: string }
interface BatchReply { accepted: number; rejected: { line: number; code: string; reason: string }[]; duplicate: boolean; firstSeq: number | null }
interface EventsReply { items: { seq: number; event: { organization: { id: string }; observer: { id: string }; event: { original: string } } }[]; next: string | null }

const now = new Date();
const stamp = (offsetSeconds: number): string => {
  const t = new Date(now.getTime() - offsetSeconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`;
};
const nginx = (ip: string, path: string, offset: number): string =>
  `${ip} - - [${stamp(offset)}] "GET ${path} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;

let t: TestCentre;
const org: Record<string, Org> = {};
const tokens: Record<string, string> = {};
const sensors: Record<string, SensorReply> = {};

async function createOrg(name: string, parentId: string, kind: string, code: string): Promise<Org> {
  const reply = await call<Org>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId, code, nameVi: name, nameEn: name, kind } });
  expect(reply.status).toBe(201);
  return reply.body;
}

async function createUser(username: string, orgId: string, role: string): Promise<string> {
  const password = `${username}-password-1234`;
  const created = await call(t.centre.url, 'POST', '/api/v1/users', { token: t.adminToken, body: { orgId, username, displayName: username, role, password } });
  expect(created.status).toBe(201);
  const login = await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } });
  expect(login.status).toBe(200);
  return login.body.token;
}

async function createSensor(name: string, orgId: string, extra: Record<string, unknown> = {}): Promise<SensorReply> {
  const reply = await call<SensorReply>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId, name, format: 'nginx', ...extra } });
  expect(reply.status).toBe(201);
  expect(reply.body.key).toMatch(/^vgs_/);
  return reply.body;
}

function ingest(sensor: SensorReply, body: string | Buffer, headers: Record<string, string> = {}, query = '') {
  return call<BatchReply>(t.centre.url, 'POST', `/api/v1/ingest${query}`, { token: sensor.key, raw: body, headers: { 'content-type': 'text/plain', ...headers } });
}

beforeAll(async () => {
  t = await startTestCentre('ingest: { rateBurst: 2000 }');
  org['ministry'] = await createOrg('Bộ Y tế', t.rootOrgId, 'ministry', 'BYT');
  org['ministryAgency'] = await createOrg('Cục Quản lý Khám chữa bệnh', (org['ministry'] as Org).id, 'agency', 'BYT-KCB');
  org['hanoi'] = await createOrg('Hà Nội', t.rootOrgId, 'province', 'HN');
  org['hanoiAgency'] = await createOrg('Trung tâm Phục vụ hành chính công Hà Nội', (org['hanoi'] as Org).id, 'agency', 'HN-TTPVHCC');
  org['hcm'] = await createOrg('Thành phố Hồ Chí Minh', t.rootOrgId, 'province', 'HCM');
  tokens['hanoi'] = await createUser('op.hanoi', (org['hanoi'] as Org).id, 'operator');
  tokens['hcm'] = await createUser('op.hcm', (org['hcm'] as Org).id, 'operator');
  tokens['ministry'] = await createUser('analyst.byt', (org['ministry'] as Org).id, 'analyst');
  sensors['hanoiAgency'] = await createSensor('portal HN', (org['hanoiAgency'] as Org).id);
  sensors['hcm'] = await createSensor('portal HCM', (org['hcm'] as Org).id);
  sensors['ministryAgency'] = await createSensor('portal KCB', (org['ministryAgency'] as Org).id);
  for (const [name, sensor] of Object.entries(sensors)) {
    const reply = await ingest(sensor, [nginx('14.160.0.1', `/${name}/1`, 30), nginx('14.160.0.2', `/${name}/2`, 20)].join('\n'));
    expect(reply.status).toBe(202);
    expect(reply.body.accepted).toBe(2);
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('reads are confined to the caller’s subtree', () => {
  it('a province operator sees only their province', async () => {
    const reply = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events', { token: tokens['hanoi'] });
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(2);
    expect(new Set(reply.body.items.map((i) => i.event.organization.id))).toEqual(new Set([(org['hanoiAgency'] as Org).id]));
  });

  it('a province operator cannot read another province, by filter or by id', async () => {
    const filtered = await call<{ code: string }>(t.centre.url, 'GET', `/api/v1/events?org=${(org['hcm'] as Org).id}`, { token: tokens['hanoi'] });
    expect(filtered.status).toBe(403);
    expect(filtered.body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    const theirs = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events', { token: tokens['hcm'] });
    const seq = theirs.body.items[0]?.seq;
    const direct = await call<{ code: string }>(t.centre.url, 'GET', `/api/v1/events/${seq}`, { token: tokens['hanoi'] });
    expect(direct.status).toBe(404);
    const orgs = await call<{ items: Org[] }>(t.centre.url, 'GET', '/api/v1/orgs', { token: tokens['hanoi'] });
    expect(orgs.body.items.map((o) => o.id).sort()).toEqual([(org['hanoi'] as Org).id, (org['hanoiAgency'] as Org).id].sort());
    const rollups = await call<{ rows: { orgId: string }[] }>(t.centre.url, 'GET', '/api/v1/stats/events?groupBy=orgId&bucket=day', { token: tokens['hanoi'] });
    expect(rollups.body.rows.every((r) => r.orgId === (org['hanoiAgency'] as Org).id)).toBe(true);
  });

  it('a ministry sees its own agencies', async () => {
    const reply = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events', { token: tokens['ministry'] });
    expect(reply.body.items).toHaveLength(2);
    expect(reply.body.items.every((i) => i.event.organization.id === (org['ministryAgency'] as Org).id)).toBe(true);
  });

  it('the national centre sees everything', async () => {
    const reply = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events?limit=100', { token: t.adminToken });
    expect(reply.body.items.length).toBeGreaterThanOrEqual(6);
  });

  it('an operator cannot register a sensor outside their subtree, nor create users', async () => {
    const sensor = await call<{ code: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: tokens['hanoi'], body: { orgId: (org['hcm'] as Org).id, name: 'intruder' } });
    expect(sensor.status).toBe(403);
    expect(sensor.body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    const user = await call<{ code: string }>(t.centre.url, 'POST', '/api/v1/users', { token: tokens['hanoi'], body: { orgId: (org['hanoi'] as Org).id, username: 'someone', displayName: 'x', role: 'viewer', password: 'long-enough-password' } });
    expect(user.status).toBe(403);
    expect(user.body.code).toBe('VIGIL_ERR_FORBIDDEN');
  });

  it('gives API tokens the user’s scope, and revokes them', async () => {
    const created = await call<{ id: string; secret: string }>(t.centre.url, 'POST', '/api/v1/auth/tokens', { token: tokens['hanoi'], body: { name: 'dashboard script', ttlDays: 30 } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^vgt_/);
    const viaToken = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events', { token: created.body.secret });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.items.every((i) => i.event.organization.id === (org['hanoiAgency'] as Org).id)).toBe(true);
    const listed = await call<{ items: { id: string; prefix: string }[] }>(t.centre.url, 'GET', '/api/v1/auth/tokens', { token: tokens['hanoi'] });
    expect(listed.body.items.map((i) => i.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    const revoked = await call(t.centre.url, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: tokens['hanoi'] });
    expect(revoked.status).toBe(204);
    expect((await call(t.centre.url, 'GET', '/api/v1/events', { token: created.body.secret })).status).toBe(401);
    const othersToken = await call(t.centre.url, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`, { token: tokens['hcm'] });
    expect(othersToken.status).toBe(404);
  });

  it('ends a session at logout', async () => {
    const password = 'op.hcm-password-1234';
    const login = await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'op.hcm', password } });
    expect((await call(t.centre.url, 'GET', '/api/v1/auth/me', { token: login.body.token })).status).toBe(200);
    expect((await call(t.centre.url, 'POST', '/api/v1/auth/logout', { token: login.body.token })).status).toBe(204);
    expect((await call(t.centre.url, 'GET', '/api/v1/auth/me', { token: login.body.token })).status).toBe(401);
  });

  it('refuses unauthenticated and unknown callers', async () => {
    expect((await call(t.centre.url, 'GET', '/api/v1/events')).status).toBe(401);
    expect((await call(t.centre.url, 'GET', '/api/v1/events', { token: 'vgx_forged' })).status).toBe(401);
    expect((await call(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong' } })).status).toBe(401);
  });
});

describe('a sensor writes only for its own organisation', () => {
  it('rejects a line that claims another organisation and stores the rest', async () => {
    const sensor = sensors['hanoiAgency'] as SensorReply;
    const claim = JSON.stringify({ '@timestamp': now.toISOString(), event: { kind: 'event' }, organization: { id: (org['hcm'] as Org).id }, message: 'forged' });
    const honest = JSON.stringify({ '@timestamp': now.toISOString(), event: { kind: 'event' }, message: 'honest' });
    const reply = await ingest(sensor, `${claim}\n${honest}\n`, { 'content-type': 'application/x-ndjson' }, '?format=ecs');
    expect(reply.status).toBe(202);
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected).toEqual([{ line: 1, code: 'VIGIL_ERR_ORG_CLAIM', reason: expect.stringContaining((org['hcm'] as Org).id) }]);
    const hcm = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events?q=forged', { token: tokens['hcm'] });
    expect(hcm.body.items).toHaveLength(0);
    const hanoi = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events?q=honest', { token: tokens['hanoi'] });
    expect(hanoi.body.items).toHaveLength(1);
    expect(hanoi.body.items[0]?.event.observer.id).toBe(sensor.id);
  });

  it('refuses a missing, unknown or disabled key', async () => {
    expect((await call(t.centre.url, 'POST', '/api/v1/ingest', { raw: 'x' })).status).toBe(401);
    expect((await ingest({ id: 'x', key: 'vgs_unknown' }, 'x')).status).toBe(401);
    const sensor = await createSensor('to disable', (org['hcm'] as Org).id);
    const patched = await call(t.centre.url, 'PATCH', `/api/v1/sensors/${sensor.id}`, { token: t.adminToken, body: { enabled: false } });
    expect(patched.status).toBe(200);
    const refused = await ingest(sensor, nginx('1.2.3.4', '/', 1));
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as { code: string }).code).toBe('VIGIL_ERR_SENSOR_DISABLED');
  });
});

describe('ingest', () => {
  it('stores a retried batch once (idempotency key)', async () => {
    const sensor = sensors['hcm'] as SensorReply;
    const body = [nginx('27.64.0.9', '/retry/a', 5), nginx('27.64.0.9', '/retry/b', 4)].join('\n');
    const first = await ingest(sensor, body, { 'idempotency-key': 'batch-42' });
    const second = await ingest(sensor, body, { 'idempotency-key': 'batch-42' });
    expect(first.body.duplicate).toBe(false);
    expect(second.status).toBe(202);
    expect(second.body).toEqual({ ...first.body, duplicate: true });
    const found = await call<EventsReply>(t.centre.url, 'GET', '/api/v1/events?q=%2Fretry%2F', { token: tokens['hcm'] });
    expect(found.body.items).toHaveLength(2);
  });

  it('accepts gzip, reports each malformed line and keeps it as a dead letter', async () => {
    const sensor = sensors['hcm'] as SensorReply;
    const body = [nginx('27.64.0.10', '/gz/ok', 3), 'this is not an access log line', '', nginx('27.64.0.10', '/gz/ok2', 2)].join('\n');
    const reply = await ingest(sensor, gzipSync(body), { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(202);
    expect(reply.body.accepted).toBe(2);
    expect(reply.body.rejected).toHaveLength(1);
    expect(reply.body.rejected[0]).toMatchObject({ line: 2, code: 'VIGIL_ERR_PARSE' });
    const letters = await call<{ items: { raw: string; parser: string; reason: string; sensorId: string }[] }>(t.centre.url, 'GET', `/api/v1/dead-letters?sensor=${sensor.id}`, { token: tokens['hcm'] });
    expect(letters.body.items[0]).toMatchObject({ raw: 'this is not an access log line', parser: 'nginx', sensorId: sensor.id });
    const hidden = await call<{ items: unknown[] }>(t.centre.url, 'GET', `/api/v1/dead-letters`, { token: tokens['hanoi'] });
    expect(hidden.body.items.every((i) => (i as { sensorId: string }).sensorId !== sensor.id)).toBe(true);
  });

  it.each([
    ['an unknown format', { query: '?format=klingon', headers: {} }, 400, 'VIGIL_ERR_UNKNOWN_FORMAT'],
    ['an unsupported media type', { query: '', headers: { 'content-type': 'application/xml' } }, 415, 'VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['a bad idempotency key', { query: '', headers: { 'idempotency-key': 'spaces are not allowed' } }, 400, 'VIGIL_ERR_IDEMPOTENCY_KEY'],
    ['corrupt gzip', { query: '', headers: { 'content-encoding': 'gzip' } }, 400, 'VIGIL_ERR_BAD_ENCODING'],
  ])('refuses %s with a clear error', async (_name, request, status, code) => {
    const reply = await ingest(sensors['hcm'] as SensorReply, 'line', request.headers, request.query);
    expect(reply.status).toBe(status);
    expect((reply.body as unknown as { code: string }).code).toBe(code);
  });

  it('refuses a body over the size limit', async () => {
    const reply = await ingest(sensors['hcm'] as SensorReply, Buffer.alloc(17 * 1024 * 1024, 'a'));
    expect(reply.status).toBe(413);
  });

  it('rate-limits a sensor with 429 and Retry-After', async () => {
    const sensor = await createSensor('slow', (org['hcm'] as Org).id, { ratePerSecond: 1 });
    const lines = Array.from({ length: 5 }, (_, i) => nginx('27.64.0.11', `/rl/${i}`, 1)).join('\n');
    // This suite's burst is 2000 events: spend it, then be refused.
    const big = Array.from({ length: 2000 }, (_, i) => nginx('27.64.0.11', `/rl/big/${i}`, 1)).join('\n');
    expect((await ingest(sensor, big)).status).toBe(202);
    const refused = await ingest(sensor, lines);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts per sensor and parser in /metrics', async () => {
    const response = await fetch(`${t.centre.url}/metrics`);
    const metrics = await response.text();
    const sensor = sensors['hcm'] as SensorReply;
    expect(metrics).toMatch(new RegExp(`vigil_ingest_accepted_total\\{sensor="${sensor.id}",parser="nginx"\\} \\d+`));
    expect(metrics).toMatch(new RegExp(`vigil_ingest_rejected_total\\{sensor="${sensor.id}",parser="nginx",code="VIGIL_ERR_PARSE"\\} 1`));
    expect(metrics).toContain('vigil_ingest_batch_seconds_bucket');
  });

  it.each([
    ['a page size over the limit', '/api/v1/events?limit=5000', 'querystring.limit'],
    ['a time that is not a time', '/api/v1/events?from=yesterday', 'querystring.from'],
    ['a malformed filter', '/api/v1/events?filter=nocolon', 'filter'],
    ['an unknown grouping', '/api/v1/stats/events?groupBy=colour', 'groupBy'],
  ])('answers %s with VIGIL_ERR_VALIDATION naming the field', async (_name, path, field) => {
    const reply = await call<{ code: string; message: string; location: { field: string } }>(t.centre.url, 'GET', path, { token: t.adminToken });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VIGIL_ERR_VALIDATION');
    expect(reply.body.location.field).toBe(field);
  });

  it('answers a bad pagination cursor and an unknown route with their codes', async () => {
    const cursor = await call<{ code: string }>(t.centre.url, 'GET', '/api/v1/events?cursor=bm90LWEtY3Vyc29y', { token: t.adminToken });
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('VIGIL_ERR_BAD_CURSOR');
    const route = await call<{ code: string }>(t.centre.url, 'GET', '/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.code).toBe('VIGIL_ERR_NOT_FOUND');
  });

  it('serves OpenAPI and health', async () => {
    const docs = await fetch(`${t.centre.url}/api/docs/json`);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/ingest/', '/api/v1/events/', '/api/v1/orgs/', '/api/v1/sensors/']));
    const health = await call<{ status: string }>(t.centre.url, 'GET', '/healthz');
    expect(health.body.status).toBe('ok');
  });
});

/**
 * Events are attributed to the information system they concern as they are ingested (ECS
 * `labels.system_id`), only among the sensor's own organisation's systems; a payload cannot claim
 * one; a change to the inventory applies from the next batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, clfTime, createOrg, startTestCentre, type TestCentre } from './support.js';

let t: TestCentre;
const org: Record<string, string> = {};
const keys: Record<string, string> = {};
const systems: Record<string, string> = {};

const line = (ip: string, path: string) => `${ip} - - [${clfTime(Date.now())}] "GET ${path} HTTP/1.1" 200 512 "-" "Mozilla/5.0"`;

async function ingest(who: string, body: string, contentType = 'text/plain'): Promise<void> {
  const reply = await call(t.centre.url, 'POST', '/api/v1/ingest', { token: keys[who], raw: body, headers: { 'content-type': contentType } });
  expect(reply.status).toBe(202);
}

interface EventView { event: { labels?: Record<string, string>; url?: { path?: string } } }
const events = async (orgId: string) =>
  (await call<{ items: EventView[] }>(t.centre.url, 'GET', `/api/v1/events?org=${orgId}&limit=100`, { token: t.adminToken })).body.items.map((e) => e.event);

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  for (const code of ['HN', 'HCM']) {
    org[code] = await createOrg(t.centre.url, t.adminToken, { parentId: t.rootOrgId, code, kind: 'province' });
    const sensor = await call<{ key: string; id: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: org[code], name: `portal ${code}`, format: code === 'HN' ? 'nginx' : 'json' } });
    keys[code] = sensor.body.key;
    const created = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/systems', {
      token: t.adminToken,
      body: { orgId: org[code], name: `Cổng ${code}`, owner: { unit: 'CNTT' }, securityLevel: 3, sensorIds: [sensor.body.id] },
    });
    expect(created.status).toBe(201);
    systems[code] = created.body.id;
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('events attributed to information systems at ingest', () => {
  it('labels an event with its own organisation’s system', async () => {
    await ingest('HN', line('203.0.113.9', '/dich-vu-cong/tra-cuu'));
    const [event] = await events(org['HN'] as string);
    expect(event?.labels?.['system_id']).toBe(systems['HN']);
  });

  it('never takes a system from the payload', async () => {
    const claimed = JSON.stringify({ '@timestamp': new Date().toISOString(), message: 'login', labels: { system_id: systems['HN'], team: 'a' }, event: { category: ['authentication'] } });
    await ingest('HCM', claimed, 'application/x-ndjson');
    const [event] = await events(org['HCM'] as string);
    expect(event?.labels?.['system_id']).toBe(systems['HCM']);
  });

  it('follows the inventory: a system that no longer claims the sensor labels nothing', async () => {
    expect((await call(t.centre.url, 'PATCH', `/api/v1/systems/${systems['HN']}`, { token: t.adminToken, body: { sensorIds: [] } })).status).toBe(200);
    await ingest('HN', line('203.0.113.10', '/sau-khi-doi'));
    const latest = (await events(org['HN'] as string)).find((e) => e.url?.path === '/sau-khi-doi');
    expect(latest).toBeDefined();
    expect(latest?.labels?.['system_id']).toBeUndefined();
  });
});

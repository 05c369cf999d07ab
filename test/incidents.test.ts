/**
 * Incidents end to end, through the real ingest path: attacks on a province's portal become
 * incidents grouped by source and technique; the province works them through the lifecycle with
 * comments, tasks and observables; it asks for help and the centre assigns an alliance member, who
 * then sees that incident — as summaries, not the province's events — and nothing else. Other
 * provinces see none of it; grouping a replay opens nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/core/model.js';
import { Scope } from '../src/core/scope.js';
import { IncidentGrouper } from '../src/warn/incident-grouper.js';
import { call, clfTime, createOrg as createOrgAs, createUser as createUserAs, startTestCentre, type TestCentre } from './support.js';

interface IncidentView {
  id: string;
  orgId: string;
  title: string;
  status: string;
  severity: string;
  entity: { type: string; value: string };
  technique: string;
  alertCount: number;
  helpRequested: boolean;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  access?: string;
  alerts?: Record<string, unknown>[];
  timeline?: { action: string; actor: string; text: string }[];
  tasks?: { id: string; status: string; doneAt: string | null }[];
  observables?: { type: string; value: string }[];
  responders?: { orgId: string }[];
}

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sensorKeys: Record<string, string> = {};

const clf = (offsetSeconds: number): string => clfTime(Date.now() - offsetSeconds * 1000);
const sqli = (ip: string, offset: number, n: number) =>
  `${ip} - - [${clf(offset)}] "GET /dich-vu-cong/tra-cuu?ma-ho-so=${n}%27%20UNION%20SELECT%20username,password%20FROM%20users-- HTTP/1.1" 200 512 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`;

async function ingest(who: string, lines: string[]): Promise<void> {
  const reply = await call(t.centre.url, 'POST', '/api/v1/ingest', { token: sensorKeys[who], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
}

async function settle(): Promise<void> {
  const system = Scope.system('test: wait for detection');
  const detection = t.centre.detection as NonNullable<typeof t.centre.detection>;
  for (let i = 0; i < 200; i++) {
    if (detection.processedSeq() >= t.centre.store.events.lastSeq(system)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('detection did not catch up');
}

const createOrg = (code: string, parentId: string, kind: string) => createOrgAs(t.centre.url, t.adminToken, { parentId, code, kind });
const createUser = (username: string, orgId: string, role: string) => createUserAs(t.centre.url, t.adminToken, { username, orgId, role });

const list = async (who: string, query = ''): Promise<IncidentView[]> => {
  const reply = await call<{ items: IncidentView[] }>(t.centre.url, 'GET', `/api/v1/incidents?limit=500${query}`, { token: tokens[who] });
  expect(reply.status).toBe(200);
  return reply.body.items;
};
const detail = (who: string, id: string) => call<IncidentView & { code?: string }>(t.centre.url, 'GET', `/api/v1/incidents/${id}`, { token: tokens[who] });
const users: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  org['hn'] = await createOrg('HN', t.rootOrgId, 'province');
  org['hn-a'] = await createOrg('HN-SOTTTT', org['hn'], 'agency');
  org['hcm'] = await createOrg('HCM', t.rootOrgId, 'province');
  org['firm'] = await createOrg('FIRM', t.rootOrgId, 'alliance');
  org['firm2'] = await createOrg('FIRM2', t.rootOrgId, 'alliance');
  tokens['centre'] = t.adminToken;
  for (const [who, orgKey, role] of [['hn', 'hn', 'analyst'], ['hn-viewer', 'hn', 'viewer'], ['hn-a', 'hn-a', 'operator'], ['hcm', 'hcm', 'analyst'], ['firm', 'firm', 'analyst'], ['firm2', 'firm2', 'analyst']] as const) {
    const user = await createUser(`u.${who}`, org[orgKey] as string, role);
    tokens[who] = user.token;
    users[who] = user.id;
  }
  for (const who of ['hn-a', 'hcm']) {
    const sensor = await call<{ key: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: org[who], name: `portal ${who}`, format: 'nginx' } });
    sensorKeys[who] = sensor.body.key;
  }
  // One attacker tries three injections; a second one, one.
  await ingest('hn-a', [sqli('203.0.113.50', 300, 1), sqli('203.0.113.50', 290, 2), sqli('203.0.113.50', 280, 3), sqli('198.51.100.9', 270, 4)]);
  await settle();
});

afterAll(async () => {
  await t?.stop();
});

describe('incidents from alerts', () => {
  it('groups the alerts of one source and technique on one organisation into one incident', async () => {
    const incidents = await list('hn');
    const byIp = new Map(incidents.map((i) => [i.entity.value, i]));
    expect([...byIp.keys()].sort()).toEqual(['198.51.100.9', '203.0.113.50']);
    const main = byIp.get('203.0.113.50') as IncidentView;
    expect(main).toMatchObject({ orgId: org['hn-a'], status: 'new', technique: 't1190', entity: { type: 'ip' } });
    expect(main.alertCount).toBeGreaterThanOrEqual(3);
    const one = await detail('hn', main.id);
    expect(one.status).toBe(200);
    expect(one.body.access).toBe('owner');
    expect(one.body.alerts?.length).toBe(main.alertCount);
    expect(one.body.observables).toEqual([expect.objectContaining({ type: 'ip', value: '203.0.113.50' })]);
    expect(one.body.timeline?.[0]).toMatchObject({ action: 'created', actor: 'system' });
  });

  it('keeps other provinces and alliance members out', async () => {
    expect(await list('hcm')).toEqual([]);
    expect(await list('firm')).toEqual([]);
    const [any] = await list('hn');
    expect((await detail('hcm', (any as IncidentView).id)).status).toBe(404);
    expect((await detail('firm', (any as IncidentView).id)).status).toBe(404);
  });

  it('adds later alerts of the same attacker to the open incident, and groups a replay into nothing new', async () => {
    const before = (await list('hn')).find((i) => i.entity.value === '203.0.113.50') as IncidentView;
    await ingest('hn-a', [sqli('203.0.113.50', 100, 5)]);
    await settle();
    const after = await list('hn');
    expect(after).toHaveLength(2);
    const grown = after.find((i) => i.id === before.id) as IncidentView;
    expect(grown.alertCount).toBeGreaterThan(before.alertCount);

    const system = Scope.system('test: replay');
    const alerts: Alert[] = t.centre.store.alerts.list(system, { limit: 1000 }).items;
    const grouper = new IncidentGrouper(t.centre.store.incidents, { eventOf: (seq) => t.centre.store.events.get(system, seq)?.event ?? null });
    expect(grouper.group(alerts, new Date().toISOString())).toEqual({ created: [], updated: [] });
    expect((await list('hn')).map((i) => i.alertCount).sort()).toEqual(after.map((i) => i.alertCount).sort());
  });
});

describe('the response', () => {
  let id = '';
  beforeAll(async () => {
    id = ((await list('hn')).find((i) => i.entity.value === '203.0.113.50') as IncidentView).id;
  });

  it('moves through the lifecycle, forward or reopened, never backwards otherwise', async () => {
    const ack = await call<IncidentView>(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { status: 'acknowledged', assignee: users['hn-a'] } });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    expect(ack.body.acknowledgedAt).not.toBeNull();
    const back = await call<{ message: string }>(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { status: 'new' } });
    expect(back.status).toBe(409);
    expect(back.body.message).toMatch(/cannot move from acknowledged to new/);
    const viewer = await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn-viewer'], body: { status: 'investigating' } });
    expect(viewer.status).toBe(403);
    const outsider = await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { assignee: users['hcm'] } });
    expect(outsider.status).toBe(400);
    const bad = await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { status: 'pwned' } });
    expect(bad.status).toBe(400);
    const empty = await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { note: 'nothing' } });
    expect(empty.status).toBe(400);
    const resolved = await call<IncidentView>(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { status: 'resolved', note: 'WAF rule deployed' } });
    expect(resolved.body.resolvedAt).not.toBeNull();
    const reopened = await call<IncidentView>(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['hn'], body: { status: 'investigating', note: 'seen again' } });
    expect(reopened.body).toMatchObject({ status: 'investigating', resolvedAt: null });
  });

  it('keeps comments, tasks and observables on the timeline with who did what', async () => {
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/comments`, { token: tokens['hn-a'], body: { text: 'Đã chặn IP trên tường lửa' } })).status).toBe(201);
    const task = await call<{ id: string }>(t.centre.url, 'POST', `/api/v1/incidents/${id}/tasks`, { token: tokens['hn'], body: { title: 'Vá lỗi truy vấn tra cứu hồ sơ', dueAt: '2030-01-01T00:00:00Z' } });
    expect(task.status).toBe(201);
    const done = await call<{ status: string; doneAt: string | null }>(t.centre.url, 'PATCH', `/api/v1/incidents/${id}/tasks/${task.body.id}`, { token: tokens['hn-a'], body: { status: 'done' } });
    expect(done.body).toMatchObject({ status: 'done' });
    expect(done.body.doneAt).not.toBeNull();
    expect((await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}/tasks/tsk_nope`, { token: tokens['hn'], body: { status: 'done' } })).status).toBe(404);
    const obs = await call<{ added: number }>(t.centre.url, 'POST', `/api/v1/incidents/${id}/observables`, { token: tokens['hn'], body: { items: [{ type: 'domain', value: 'C2.Example.NET' }, { type: 'ip', value: '203.0.113.50' }] } });
    expect(obs.body.added).toBe(1);
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/observables`, { token: tokens['hn'], body: { items: [{ type: 'bogus', value: 'x' }] } })).status).toBe(400);
    const one = await detail('hn', id);
    expect(one.body.observables?.map((o) => `${o.type}:${o.value}`).sort()).toEqual(['domain:c2.example.net', 'ip:203.0.113.50']);
    const actions = one.body.timeline?.map((e) => e.action) ?? [];
    expect(actions).toEqual(expect.arrayContaining(['created', 'status', 'assigned', 'comment', 'task-added', 'task-updated', 'observable-added']));
    expect(one.body.timeline?.find((e) => e.action === 'comment')).toMatchObject({ actor: users['hn-a'], text: 'Đã chặn IP trên tường lửa' });
  });

  it('asks for help; the centre brings in an alliance member, who sees that incident and nothing else', async () => {
    const help = await call<IncidentView>(t.centre.url, 'POST', `/api/v1/incidents/${id}/help`, { token: tokens['hn'], body: { text: 'Cần hỗ trợ điều tra' } });
    expect(help.body.helpRequested).toBe(true);
    expect((await list('centre', '&help=true')).map((i) => i.id)).toEqual([id]);

    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/responders`, { token: tokens['hn'], body: { org: org['firm'] } })).status).toBe(403);
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/responders`, { token: tokens['centre'], body: { org: org['hcm'] } })).status).toBe(400);
    const assigned = await call<{ orgId: string }[]>(t.centre.url, 'POST', `/api/v1/incidents/${id}/responders`, { token: tokens['centre'], body: { org: 'FIRM' } });
    expect(assigned.status).toBe(201);
    expect(assigned.body.map((r) => r.orgId)).toEqual([org['firm']]);

    const seen = await list('firm');
    expect(seen.map((i) => i.id)).toEqual([id]);
    expect(await list('firm2')).toEqual([]);
    const view = await detail('firm', id);
    expect(view.body.access).toBe('responder');
    for (const alert of view.body.alerts ?? []) {
      expect(alert).not.toHaveProperty('eventSeqs');
      expect(alert).not.toHaveProperty('orgId');
    }
    const other = (await list('hn')).find((i) => i.id !== id) as IncidentView;
    expect((await detail('firm', other.id)).status).toBe(404);
    const firmAlerts = await call<{ items: unknown[] }>(t.centre.url, 'GET', '/api/v1/alerts?limit=100', { token: tokens['firm'] });
    expect(firmAlerts.body.items).toEqual([]);

    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/comments`, { token: tokens['firm'], body: { text: 'Phân tích mẫu mã độc đính kèm' } })).status).toBe(201);
    expect((await call(t.centre.url, 'PATCH', `/api/v1/incidents/${id}`, { token: tokens['firm'], body: { status: 'closed' } })).status).toBe(403);
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${id}/responders`, { token: tokens['firm'], body: { org: org['firm2'] } })).status).toBe(403);

    expect((await call(t.centre.url, 'DELETE', `/api/v1/incidents/${id}/responders/${org['firm']}`, { token: tokens['centre'] })).status).toBe(204);
    expect(await list('firm')).toEqual([]);
    expect((await detail('firm', id)).status).toBe(404);
    const timeline = (await detail('hn', id)).body.timeline ?? [];
    expect(timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['help-requested', 'responder-assigned', 'responder-removed']));
    expect(timeline.find((e) => e.text === 'Phân tích mẫu mã độc đính kèm')?.actor).toBe(users['firm']);
  });

  it('filters and pages', async () => {
    const open = await list('centre', '&open=true');
    expect(open.length).toBe(2);
    const first = await call<{ items: IncidentView[]; next: string | null }>(t.centre.url, 'GET', '/api/v1/incidents?limit=1', { token: tokens['centre'] });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next).not.toBeNull();
    const second = await call<{ items: IncidentView[]; next: string | null }>(t.centre.url, 'GET', `/api/v1/incidents?limit=1&cursor=${first.body.next}`, { token: tokens['centre'] });
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    expect((await call(t.centre.url, 'GET', `/api/v1/incidents?limit=1&status=new&cursor=${first.body.next}`, { token: tokens['centre'] })).status).toBe(400);
    expect((await list('centre', '&q=198.51.100')).map((i) => i.entity.value)).toEqual(['198.51.100.9']);
    expect((await call(t.centre.url, 'GET', `/api/v1/incidents?org=${org['hn']}`, { token: tokens['hcm'] })).status).toBe(403);
  });

  it('opens an incident by hand from free alerts, and links more; never an alert twice or across organisations', async () => {
    const system = Scope.system('test: free alerts');
    const base = t.centre.store.alerts.list(system, { limit: 1 }).items[0] as Alert;
    const free = (id: string, orgId: string): Alert => ({ ...base, id, orgId, severity: 'informational', eventSeqs: [], group: null, details: null, systemId: null });
    t.centre.store.alerts.insert(system, [free('manual-1', org['hn-a'] as string), free('manual-2', org['hn-a'] as string), free('manual-3', org['hn-a'] as string), free('manual-hcm', org['hcm'] as string)]);
    const created = await call<IncidentView>(t.centre.url, 'POST', '/api/v1/incidents', { token: tokens['hn'], body: { title: 'Dò quét thủ công', alertIds: ['manual-1', 'manual-2'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ alertCount: 2, status: 'new', orgId: org['hn-a'] });
    expect((await call(t.centre.url, 'POST', '/api/v1/incidents', { token: tokens['hn'], body: { title: 'again', alertIds: ['manual-1'] } })).status).toBe(409);
    expect((await call(t.centre.url, 'POST', '/api/v1/incidents', { token: tokens['hcm'], body: { title: 'not mine', alertIds: ['manual-3'] } })).status).toBe(404);
    expect((await call(t.centre.url, 'POST', '/api/v1/incidents', { token: tokens['centre'], body: { title: 'two orgs', alertIds: ['manual-3', 'manual-hcm'] } })).status).toBe(400);
    const linked = await call<IncidentView>(t.centre.url, 'POST', `/api/v1/incidents/${created.body.id}/alerts`, { token: tokens['hn'], body: { alertIds: ['manual-3'] } });
    expect(linked.body.alertCount).toBe(3);
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${created.body.id}/alerts`, { token: tokens['centre'], body: { alertIds: ['manual-hcm'] } })).status).toBe(400);
    expect((await call(t.centre.url, 'POST', `/api/v1/incidents/${created.body.id}/alerts`, { token: tokens['hn'], body: { alertIds: ['manual-3'] } })).status).toBe(409);
  });
});

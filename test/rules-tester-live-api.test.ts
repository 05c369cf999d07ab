/**
 * The dashboard's rule tester and live detections over HTTP: a pasted Sigma rule (YAML) runs over
 * the caller's own recent events only — a province never matches another's — and broken or hostile
 * YAML comes back 422 with the file and line; new alerts and incidents reach, on the live stream,
 * the users whose scope includes their organisation and nobody else.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import { call, clfTime, startTestCentre, type TestCentre } from './support.js';

interface ErrorBody { code: string; message: string; location?: { file?: string; line?: number; field?: string } }
interface TestReply { rule: { title: string; level: string | null }; scanned: number; complete: boolean; matched: number; matches: { seq: number; time: string; matchedFields: string[]; event: { organization?: { id?: string } } }[] }

let t: TestCentre;
const org: Record<string, string> = {};
const keys: Record<string, string> = {};
const tokens: Record<string, string> = {};

const line = (ip: string, target: string): string => `${ip} - - [${clfTime(Date.now() - 5_000)}] "GET ${target} HTTP/1.1" 200 1200 "-" "Mozilla/5.0"`;
const sqli = (ip: string) => line(ip, '/tra-cuu-ho-so?ma=1%27%20UNION%20SELECT%20username,password%20FROM%20users--');

const pasted = `title: Pasted UNION SELECT
logsource:
    category: webserver
detection:
    selection:
        cs-uri-query|contains: 'union%20select'
    condition: selection
level: high
`;

async function ingest(code: string, lines: string[]): Promise<void> {
  const reply = await call<{ accepted: number }>(t.centre.url, 'POST', '/api/v1/ingest', { token: keys[code], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
}

async function settle(): Promise<void> {
  const system = Scope.system('test: wait for detection');
  for (let i = 0; i < 200; i++) {
    if ((t.centre.detection?.processedSeq() ?? 0) >= t.centre.store.events.lastSeq(system)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('detection did not catch up');
}

const tryRule = (token: string, body: Record<string, unknown>) => call<TestReply & ErrorBody>(t.centre.url, 'POST', '/api/v1/rules/test', { token, body });

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }\ndelivery: { pollMs: 60000, streamHeartbeatSeconds: 1 }');
  for (const code of ['HN', 'HCM']) {
    const created = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId: t.rootOrgId, code, nameVi: code, nameEn: code, kind: 'province' } });
    org[code] = created.body.id;
    keys[code] = (await call<{ key: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: created.body.id, name: `portal ${code}`, format: 'nginx' } })).body.key;
    const username = `${code.toLowerCase()}-analyst`;
    const password = `${username}-password-1234`;
    expect((await call(t.centre.url, 'POST', '/api/v1/users', { token: t.adminToken, body: { orgId: created.body.id, username, displayName: username, role: 'operator', password } })).status).toBe(201);
    tokens[code] = (await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('the rule tester (POST /api/v1/rules/test)', () => {
  it('runs a pasted rule over the caller’s own recent events only', async () => {
    await ingest('HN', [sqli('185.220.101.7'), sqli('185.220.101.8'), line('14.160.2.3', '/dich-vu-cong')]);
    await ingest('HCM', [line('14.160.2.4', '/dich-vu-cong')]);
    await settle();

    const hn = await tryRule(tokens['HN'] as string, { yaml: pasted });
    expect(hn.status).toBe(200);
    expect(hn.body).toMatchObject({ rule: { title: 'Pasted UNION SELECT', level: 'high' }, scanned: 3, complete: true, matched: 2 });
    expect(hn.body.matches.every((m) => m.event.organization?.id === org['HN'])).toBe(true);
    expect(hn.body.matches[0]?.matchedFields).toContain('cs-uri-query');

    const hcm = await tryRule(tokens['HCM'] as string, { yaml: pasted });
    expect(hcm.status).toBe(200);
    expect(hcm.body).toMatchObject({ scanned: 1, matched: 0, matches: [] });

    const centre = await tryRule(t.adminToken, { yaml: pasted, limit: 1 });
    expect(centre.body).toMatchObject({ scanned: 4, matched: 2 });
    expect(centre.body.matches).toHaveLength(1);

    const later = await tryRule(tokens['HN'] as string, { yaml: pasted, from: new Date(Date.now() + 60_000).toISOString() });
    expect(later.body).toMatchObject({ scanned: 0, matched: 0 });
  });

  const broken: [string, string, number][] = [
    ['not YAML', 'title: [unclosed\nlogsource: {', 1],
    ['no detection', 'title: x\nlogsource:\n    category: webserver\n', 1],
    ['unknown modifier', 'title: x\nlogsource:\n    category: webserver\ndetection:\n    selection:\n        cs-uri-query|nonsense: a\n    condition: selection\n', 6],
    ['condition names nothing', 'title: x\nlogsource:\n    category: webserver\ndetection:\n    selection:\n        cs-uri-query: a\n    condition: other\n', 7],
    ['alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, 1],
    ['two rules', `${pasted}---\n${pasted.replace('Pasted', 'Other')}`, 1],
    ['a scalar', '"just text"', 1],
  ];
  for (const [name, yaml, minLine] of broken) {
    it(`refuses ${name} with 422 VIGIL_ERR_SIGMA_RULE and the line`, async () => {
      const reply = await tryRule(tokens['HN'] as string, { yaml });
      expect(reply.status).toBe(422);
      expect(reply.body.code).toBe('VIGIL_ERR_SIGMA_RULE');
      expect(reply.body.message).toMatch(/^pasted\.yml:\d+: /);
      expect(reply.body.location?.file).toBe('pasted.yml');
      expect(reply.body.location?.line).toBeGreaterThanOrEqual(minLine);
    });
  }

  it('runs a catastrophic-backtracking regex in linear time (RE2)', async () => {
    await ingest('HN', [line('14.160.2.5', `/tim-kiem?q=${'a'.repeat(4000)}!`)]);
    await settle();
    const started = Date.now();
    const reply = await tryRule(tokens['HN'] as string, { yaml: pasted.replace("cs-uri-query|contains: 'union%20select'", () => "cs-uri-query|re: '(a+)+$'") });
    expect(reply.status).toBe(200);
    expect(reply.body.matched).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('validates the request and needs a session', async () => {
    expect((await tryRule(tokens['HN'] as string, { yaml: '' })).status).toBe(400);
    expect((await tryRule(tokens['HN'] as string, { yaml: pasted, limit: 0 })).status).toBe(400);
    expect((await tryRule(tokens['HN'] as string, { yaml: pasted, extra: true })).status).toBe(400);
    expect((await tryRule(tokens['HN'] as string, { yaml: 'x'.repeat(70_000) })).status).toBe(400);
    expect((await call(t.centre.url, 'POST', '/api/v1/rules/test', { body: { yaml: pasted } })).status).toBe(401);
  });
});

interface OpenStream { text: () => string; close: () => void }

function openStream(token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(new URL('/api/v1/stream', t.centre.url), { headers: { authorization: `Bearer ${token}` } }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      resolve({ text: () => text, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function events(text: string, type: string): { id: string; data: Record<string, unknown> }[] {
  return [...text.matchAll(/id: (\S+)\nevent: (\S+)\ndata: (.*)\n\n/g)].filter((m) => m[2] === type).map((m) => ({ id: m[1] as string, data: JSON.parse(m[3] as string) as Record<string, unknown> }));
}

describe('live alerts and incidents on the stream', () => {
  it('reach the users whose scope includes the organisation, and nobody else', async () => {
    const before = t.centre.liveStream.size;
    const hn = await openStream(tokens['HN'] as string);
    const hcm = await openStream(tokens['HCM'] as string);
    const centre = await openStream(t.adminToken);
    await until(() => t.centre.liveStream.size === before + 3);

    await ingest('HN', [sqli('185.220.101.9'), sqli('185.220.101.9')]);
    await settle();
    await until(() => events(hn.text(), 'alert').length > 0 && events(centre.text(), 'alert').length > 0 && events(hn.text(), 'incident').length > 0);

    const alert = events(hn.text(), 'alert')[0]?.data as { orgId: string; count: number; alerts: { id: string; ruleTitle: string; severity: string }[] };
    expect(alert.orgId).toBe(org['HN']);
    expect(alert.count).toBeGreaterThanOrEqual(2);
    expect(alert.alerts.map((a) => a.severity)).toContain('high');
    expect(alert.alerts[0]?.id).toMatch(/^alr_/);
    const incident = events(hn.text(), 'incident')[0]?.data as { id: string; orgId: string; change: string };
    expect(incident).toMatchObject({ orgId: org['HN'], change: 'created' });
    expect(incident.id).toMatch(/^inc_/);
    expect(events(centre.text(), 'incident').map((e) => e.data['id'])).toContain(incident.id);

    // HCM sees nothing of Hà Nội's; its own alert comes to it and to the centre only.
    await ingest('HCM', [sqli('185.220.101.10')]);
    await settle();
    await until(() => events(hcm.text(), 'alert').length > 0 && events(centre.text(), 'alert').some((e) => e.data['orgId'] === org['HCM']));
    expect(events(hcm.text(), 'alert').every((e) => e.data['orgId'] === org['HCM'])).toBe(true);
    expect(events(hcm.text(), 'incident').every((e) => e.data['orgId'] === org['HCM'])).toBe(true);
    expect(hcm.text()).not.toContain(incident.id);
    expect(events(hn.text(), 'alert').every((e) => e.data['orgId'] === org['HN'])).toBe(true);
    expect(events(hn.text(), 'incident').every((e) => e.data['orgId'] === org['HN'])).toBe(true);

    hn.close();
    hcm.close();
    centre.close();
    await until(() => t.centre.liveStream.size === before);
  });
});

describe('live alerts from the detection thread', () => {
  it('are relayed from the thread to the stream (runs the built thread: npm run build first)', async () => {
    const threaded = await startTestCentre('detection: { thread: true, hotReload: false }');
    try {
      const sensor = await call<{ key: string }>(threaded.centre.url, 'POST', '/api/v1/sensors', { token: threaded.adminToken, body: { orgId: threaded.rootOrgId, name: 'portal', format: 'nginx' } });
      const received: string[] = [];
      const unsubscribe = threaded.centre.liveStream.subscribe(Scope.system('test: read the stream'), (event) => received.push(`${event.type}:${event.orgId}`));
      const reply = await call(threaded.centre.url, 'POST', '/api/v1/ingest', { token: sensor.body.key, raw: sqli('185.220.101.77'), headers: { 'content-type': 'text/plain' } });
      expect(reply.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while (!(received.includes(`alert:${threaded.rootOrgId}`) && received.includes(`incident:${threaded.rootOrgId}`)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      unsubscribe();
      expect(received).toContain(`alert:${threaded.rootOrgId}`);
      expect(received).toContain(`incident:${threaded.rootOrgId}`);
    } finally {
      await threaded.stop();
    }
  });
});

/**
 * Detection end to end: events ingested over HTTP are matched by the built-in pack, alerts land
 * in the owning organisation with rule, severity, ATT&CK tags and matched fields; a replay of the
 * same events stores no alert twice; correlations fire on a brute force; exceptions and per-
 * organisation switches suppress; the rules API reports hits and tests a rule on stored events.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentre } from '../src/centre.js';
import { loadConfig } from '../src/core/config.js';
import { Scope } from '../src/core/scope.js';
import { call, startTestCentre, type TestCentre } from './support.js';

const SQLI_UNION = '2eb0a8f4-d1d9-493e-ae5a-b353010585cc';
const PORTAL_BRUTE_FORCE = '44b16b02-9759-4ab4-8a60-a23f18fb64f5';

interface AlertView { id: string; ruleId: string; orgId: string; severity: string; tags: string[]; matchedFields: string[]; kind: string; group: Record<string, string> | null; status: string; eventSeqs: number[]; details: { evidence?: { location: string; decoded: string }[]; summary?: string; measures?: Record<string, number> } | null }

let t: TestCentre;
let hanoi: string;
let hcm: string;
const keys: Record<string, string> = {};

const clf = (offsetSeconds: number): string => {
  const d = new Date(Date.now() - offsetSeconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const line = (ip: string, method: string, target: string, status: number, offset: number): string =>
  `${ip} - - [${clf(offset)}] "${method} ${target} HTTP/1.1" ${status} 1200 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`;
const sqli = (ip: string, offset: number) => line(ip, 'GET', '/tra-cuu-ho-so?ma=1%27%20UNION%20SELECT%20username,password%20FROM%20users--', 200, offset);

async function ingest(sensor: string, lines: string[]): Promise<void> {
  const reply = await call<{ accepted: number }>(t.centre.url, 'POST', '/api/v1/ingest', { token: keys[sensor], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
  expect(reply.body.accepted).toBe(lines.length);
}

async function alerts(query = ''): Promise<AlertView[]> {
  const reply = await call<{ items: AlertView[] }>(t.centre.url, 'GET', `/api/v1/alerts?limit=1000${query}`, { token: t.adminToken });
  expect(reply.status).toBe(200);
  return reply.body.items;
}

async function settle(): Promise<void> {
  const store = t.centre.store;
  const system = Scope.system('test: wait for detection');
  for (let i = 0; i < 100; i++) {
    if ((t.centre.detection?.processedSeq() ?? 0) >= store.events.lastSeq(system)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('detection did not catch up');
}

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  for (const [code, name] of [['HN', 'Hà Nội'], ['HCM', 'TP Hồ Chí Minh']] as const) {
    const org = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId: t.rootOrgId, code, nameVi: name, nameEn: name, kind: 'province' } });
    const sensor = await call<{ key: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: org.body.id, name: `portal ${code}`, format: 'nginx' } });
    keys[code] = sensor.body.key;
    if (code === 'HN') hanoi = org.body.id;
    else hcm = org.body.id;
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('detection in the pipeline', () => {
  it('raises an alert owned by the event’s organisation, and none for citizens', async () => {
    await ingest('HN', [line('14.160.2.3', 'GET', '/dich-vu-cong/tiep-nhan-ho-so?ma-thu-tuc=1.001612', 200, 30), sqli('185.220.101.7', 20)]);
    await settle();
    const found = (await alerts()).filter((a) => a.ruleId === SQLI_UNION);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ orgId: hanoi, severity: 'high', kind: 'detection', status: 'open' });
    expect(found[0]?.tags).toContain('attack.t1190');
    expect(found[0]?.matchedFields).toContain('cs-uri-query');
    const other = await call<{ items: AlertView[] }>(t.centre.url, 'GET', '/api/v1/alerts', { token: t.adminToken });
    expect(other.body.items.some((a) => a.ruleId === SQLI_UNION)).toBe(true);
  });

  it('stores no alert twice when events are processed again', async () => {
    const before = (await alerts()).length;
    const detection = t.centre.detection as NonNullable<typeof t.centre.detection>;
    detection.rewind(0);
    while (detection.runBatch() > 0);
    expect((await alerts()).length).toBe(before);
  });

  it('fires the brute-force correlation once per burst, per organisation', async () => {
    const attempts = Array.from({ length: 25 }, (_, i) => line('45.142.120.9', 'POST', '/dang-nhap', 401, 60 - i * 2));
    await ingest('HCM', attempts);
    await settle();
    const hits = (await alerts()).filter((a) => a.ruleId === PORTAL_BRUTE_FORCE);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ orgId: hcm, kind: 'correlation', group: { 'c-ip': '45.142.120.9' } });
    expect(hits[0]?.eventSeqs.length).toBeGreaterThanOrEqual(20);
    // The behaviour engine sees the same burst, with the numbers behind it.
    const behaviour = (await alerts('&kind=behaviour')).filter((a) => a.ruleId === 'vigil-behaviour-brute-force');
    expect(behaviour).toHaveLength(1);
    expect(behaviour[0]).toMatchObject({ orgId: hcm, kind: 'behaviour', group: expect.objectContaining({ 'source.ip': '45.142.120.9' }) });
    expect(behaviour[0]?.details?.summary).toContain('45.142.120.9');
  });

  it('acknowledges and closes alerts', async () => {
    const alert = (await alerts()).find((a) => a.ruleId === SQLI_UNION) as AlertView;
    const acked = await call<AlertView>(t.centre.url, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: t.adminToken, body: {} });
    expect(acked.body.status).toBe('acknowledged');
    const closed = await call<AlertView & { resolution: string }>(t.centre.url, 'POST', `/api/v1/alerts/${alert.id}/close`, { token: t.adminToken, body: { resolution: 'true_positive', note: 'blocked at the WAF' } });
    expect(closed.body).toMatchObject({ status: 'closed', resolution: 'true_positive' });
    const detail = await call<{ events: { seq: number }[] }>(t.centre.url, 'GET', `/api/v1/alerts/${alert.id}`, { token: t.adminToken });
    expect(detail.body.events).toHaveLength(1);
  });

  it('honours exceptions and per-organisation switches', async () => {
    const exception = await call(t.centre.url, 'POST', `/api/v1/rules/${SQLI_UNION}/exceptions`, { token: t.adminToken, body: { orgId: hanoi, field: 'source.ip', value: '10.20.30.40', reason: 'the agency’s authorised vulnerability scanner' } });
    expect(exception.status).toBe(201);
    const off = await call(t.centre.url, 'PATCH', `/api/v1/rules/${SQLI_UNION}`, { token: t.adminToken, body: { enabled: false, orgId: hcm } });
    expect(off.status).toBe(200);
    const before = (await alerts()).filter((a) => a.ruleId === SQLI_UNION).length;
    await ingest('HN', [sqli('10.20.30.40', 5), sqli('185.220.101.8', 4)]);
    await ingest('HCM', [sqli('185.220.101.9', 3)]);
    await settle();
    const after = (await alerts()).filter((a) => a.ruleId === SQLI_UNION);
    expect(after.length - before).toBe(1);
    expect(after.filter((a) => a.orgId === hcm)).toHaveLength(0);
  });

  it('runs the transaction analyser beside the rules, under the same alert model', async () => {
    const all = await alerts();
    const web = all.filter((a) => a.ruleId === 'vigil-web-sqli' && a.orgId === hanoi);
    expect(web.length).toBeGreaterThanOrEqual(1);
    expect(web[0]).toMatchObject({ kind: 'detection', orgId: hanoi });
    expect(web[0]?.matchedFields).toContain('args.ma');
    expect(web[0]?.tags).toContain('attack.t1190');
    expect(all.some((a) => a.ruleId.startsWith('vigil-web-') && a.eventSeqs.length === 1 && a.orgId === hanoi && a.matchedFields.includes('args.ma-thu-tuc'))).toBe(false);
    const listed = await call<{ items: { id: string; kind: string }[] }>(t.centre.url, 'GET', '/api/v1/rules', { token: t.adminToken });
    expect(listed.body.items.find((r) => r.id === 'vigil-web-sqli')?.kind).toBe('analysis');
    const off = await call(t.centre.url, 'PATCH', '/api/v1/rules/vigil-web-sqli', { token: t.adminToken, body: { enabled: false, orgId: hanoi } });
    expect(off.status).toBe(200);
  });

  it('lists rules with hit counts and tests a rule on stored events', async () => {
    const list = await call<{ items: { id: string; hits: number; enabled: boolean }[]; refusedFiles: unknown[] }>(t.centre.url, 'GET', '/api/v1/rules', { token: t.adminToken });
    expect(list.body.refusedFiles).toEqual([]);
    expect(list.body.items.find((r) => r.id === SQLI_UNION)?.hits).toBe(2);
    const tested = await call<{ matched: number; scanned: number }>(t.centre.url, 'POST', `/api/v1/rules/${SQLI_UNION}/test`, { token: t.adminToken, body: { hours: 1 } });
    expect(tested.status).toBe(200);
    expect(tested.body.matched).toBe(4);
    expect(tested.body.scanned).toBeGreaterThanOrEqual(30);
  });

  it('learns from a false positive: this parameter of this service is not reported again', async () => {
    const xss = (target: string, offset: number) => line('113.161.40.7', 'GET', target, 200, offset);
    const xssAlerts = async () => (await alerts()).filter((a) => a.ruleId === 'vigil-web-xss' && a.orgId === hcm);
    await ingest('HCM', [xss('/ho-so/123/binh-luan?q=%3Cscript%3Ealert(1)%3C/script%3E&ref=%3Csvg%20onload%3Dalert(1)%3E', 10)]);
    await settle();
    const [first] = await xssAlerts();
    expect(first?.matchedFields).toEqual(expect.arrayContaining(['args.q', 'args.ref']));
    expect(first?.details?.evidence).toEqual(expect.arrayContaining([{ location: 'args.q', decoded: '<script>alert(1)</script>' }]));
    const id = first?.id as string;

    const wrong = await call<{ code: string }>(t.centre.url, 'POST', `/api/v1/alerts/${id}/false-positive`, { token: t.adminToken, body: { reason: 'rich text editor', locations: ['args.nope'] } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('VIGIL_ERR_VALIDATION');
    const fieldOnWeb = await call(t.centre.url, 'POST', `/api/v1/alerts/${id}/false-positive`, { token: t.adminToken, body: { reason: 'rich text editor', field: 'source.ip' } });
    expect(fieldOnWeb.status).toBe(400);

    const feedback = await call<{ alert: { status: string; resolution: string }; exceptions: { field: string; value: string; orgId: string }[] }>(
      t.centre.url, 'POST', `/api/v1/alerts/${id}/false-positive`, { token: t.adminToken, body: { reason: 'the comment box is a rich text editor', locations: ['args.q'] } });
    expect(feedback.status).toBe(200);
    expect(feedback.body.alert).toMatchObject({ status: 'closed', resolution: 'false_positive' });
    expect(feedback.body.exceptions).toEqual([expect.objectContaining({ field: 'analysis.parameter', orgId: hcm, value: expect.stringMatching(/\/ho-so\/\{id\}\/binh-luan args\.q$/) })]);
    const again = await call<{ exceptions: unknown[] }>(t.centre.url, 'POST', `/api/v1/alerts/${id}/false-positive`, { token: t.adminToken, body: { reason: 'twice', locations: ['args.q'] } });
    expect(again.body.exceptions).toEqual([]);

    await ingest('HCM', [
      xss('/ho-so/456/binh-luan?q=%3Cscript%3Ealert(2)%3C/script%3E', 8), // suppressed: same parameter, same service
      xss('/ho-so/789/binh-luan?ref=%3Csvg%20onload%3Dalert(3)%3E', 7), // another parameter: still reported
      xss('/tim-kiem?q=%3Cscript%3Ealert(4)%3C/script%3E', 6), // another service: still reported
    ]);
    await settle();
    const after = (await xssAlerts()).filter((a) => a.id !== id);
    expect(after.map((a) => a.matchedFields).sort()).toEqual([['args.q'], ['args.ref']]);
    const detail = await Promise.all(after.map((a) => call<{ events: { event: { url: { original: string } } }[] }>(t.centre.url, 'GET', `/api/v1/alerts/${a.id}`, { token: t.adminToken })));
    expect(detail.map((d) => d.body.events[0]?.event.url.original).sort()).toEqual(['/ho-so/789/binh-luan?ref=%3Csvg%20onload%3Dalert(3)%3E', '/tim-kiem?q=%3Cscript%3Ealert(4)%3C/script%3E']);
  });

  it('turns a false positive on a rule into an exception on a field of its event', async () => {
    const [alert] = (await alerts()).filter((a) => a.ruleId === SQLI_UNION && a.status !== 'closed');
    const missing = await call(t.centre.url, 'POST', `/api/v1/alerts/${alert?.id}/false-positive`, { token: t.adminToken, body: { reason: 'internal test', field: 'no.such.field' } });
    expect(missing.status).toBe(400);
    const done = await call<{ exceptions: { field: string; value: string; ruleId: string }[] }>(t.centre.url, 'POST', `/api/v1/alerts/${alert?.id}/false-positive`, { token: t.adminToken, body: { reason: 'internal penetration test', field: 'source.ip' } });
    expect(done.status).toBe(200);
    expect(done.body.exceptions).toEqual([expect.objectContaining({ field: 'source.ip', ruleId: SQLI_UNION, value: expect.stringMatching(/^[\d.]+$/) })]);
    const listed = await call<{ items: { value: string }[] }>(t.centre.url, 'GET', `/api/v1/rules/${SQLI_UNION}/exceptions`, { token: t.adminToken });
    expect(listed.body.items.map((e) => e.value)).toContain(done.body.exceptions[0]?.value);
  });
});

describe('detection across a restart', () => {
  it('keeps correlation windows and reloads changed rule files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-restart-'));
    const ruleDir = join(dir, 'agency-rules');
    mkdirSync(ruleDir);
    const text = [`dataDir: ${JSON.stringify(join(dir, 'data'))}`, 'server: { host: 127.0.0.1, port: 0, logLevel: silent }', 'demo: { enabled: false }', `detection: { ruleDirs: [${JSON.stringify(ruleDir)}], hotReload: true, thread: false }`].join('\n');
    const loaded = loadConfig({ text, path: join(dir, 'vigil.yaml'), env: {} });
    const output: string[] = [];
    const system = Scope.system('test: restart');
    let centre = await startCentre({ loaded, print: (l) => output.push(l) });
    try {
      const root = centre.store.orgs.list(system)[0]?.id as string;
      const { key } = centre.directory.createSensor(system, { orgId: root, name: 'portal', format: 'nginx' });
      const send = async (count: number, offset: number) => {
        const lines = Array.from({ length: count }, (_, i) => line('91.240.118.5', 'POST', '/dang-nhap', 401, offset - i));
        const reply = await call(centre.url, 'POST', '/api/v1/ingest', { token: key, raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
        expect(reply.status).toBe(202);
      };
      const caughtUp = async () => {
        for (let i = 0; i < 100 && (centre.detection?.processedSeq() ?? 0) < centre.store.events.lastSeq(system); i++) await new Promise((r) => setTimeout(r, 50));
      };
      await send(15, 100);
      await caughtUp();
      expect(centre.store.alerts.list(system, { limit: 10, ruleId: PORTAL_BRUTE_FORCE }).items).toHaveLength(0);
      await centre.close();
      centre = await startCentre({ loaded, print: (l) => output.push(l) });
      await send(5, 60);
      await caughtUp();
      expect(centre.store.alerts.list(system, { limit: 10, ruleId: PORTAL_BRUTE_FORCE }).items).toHaveLength(1);
      // The behaviour engine's windows were saved at the stop and restored: 15 + 5 failures make its burst.
      expect(centre.store.alerts.list(system, { limit: 10, ruleId: 'vigil-behaviour-brute-force' }).items).toHaveLength(1);

      // A rule dropped into a configured directory is picked up without a restart.
      writeFileSync(join(ruleDir, 'hanoi-admin.yml'), [
        'title: Hanoi CMS administration reached',
        'id: 5d0c61f4-31a4-4f4b-9d6f-3f7f3f0b7a11',
        'logsource: { category: webserver }',
        'detection:',
        '    selection:',
        "        cs-uri-stem|startswith: '/quan-tri-ha-noi'",
        '    condition: selection',
        'level: medium',
      ].join('\n'));
      let loadedRule = false;
      for (let i = 0; i < 60 && !loadedRule; i++) {
        await new Promise((r) => setTimeout(r, 100));
        loadedRule = centre.detection?.rules().rules.some((r) => r.id === '5d0c61f4-31a4-4f4b-9d6f-3f7f3f0b7a11') ?? false;
      }
      expect(loadedRule).toBe(true);
    } finally {
      await centre.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('detection on its own thread', () => {
  it('raises alerts and serves the rules API', async () => {
    const threaded = await startTestCentre('detection: { thread: true, hotReload: false }');
    try {
      const sensor = await call<{ key: string }>(threaded.centre.url, 'POST', '/api/v1/sensors', { token: threaded.adminToken, body: { orgId: threaded.rootOrgId, name: 'portal', format: 'nginx' } });
      const reply = await call(threaded.centre.url, 'POST', '/api/v1/ingest', { token: sensor.body.key, raw: sqli('185.220.101.77', 5), headers: { 'content-type': 'text/plain' } });
      expect(reply.status).toBe(202);
      let found: AlertView[] = [];
      for (let i = 0; i < 100 && found.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const list = await call<{ items: AlertView[] }>(threaded.centre.url, 'GET', '/api/v1/alerts', { token: threaded.adminToken });
        found = list.body.items.filter((a) => a.ruleId === SQLI_UNION);
      }
      expect(found).toHaveLength(1);
      expect(found[0]?.orgId).toBe(threaded.rootOrgId);
      const rules = await call<{ items: { id: string; hits: number }[] }>(threaded.centre.url, 'GET', '/api/v1/rules', { token: threaded.adminToken });
      expect(rules.body.items.find((r) => r.id === SQLI_UNION)?.hits).toBe(1);
    } finally {
      await threaded.stop();
    }
  });
});

/**
 * The early-warning story end to end, through the real ingest path (issue 6): an attacker hits two
 * provinces' portals with the same exploit; Vigil opens a campaign, warns the other provinces and
 * the ministry running the same software — and no one else —; the e-mails arrive at a real SMTP
 * server and a webhook receiver gets a valid signature; one province acknowledges, one does not and
 * is escalated to its parent (the centre) when the deadline passes, on an injected clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentre, type Centre } from '../src/centre.js';
import type { Clock } from '../src/core/clock.js';
import { loadConfig } from '../src/core/config.js';
import { Scope } from '../src/core/scope.js';
import { verifyWebhookSignature } from '../src/warn/webhook-signature.js';
import { call, clfTime, createOrg as createOrgAs, createUser, testPassword, until } from './support.js';

const HOUR = 3_600_000;
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };

let centre: Centre;
let dir: string;
let admin = '';
let adminPassword = '';
let smtp: SMTPServer;
let smtpPort = 0;
const mails: { to: string[]; text: string }[] = [];
let hook: Server;
let hookUrl = '';
const hooks: { body: string; signature: string }[] = [];
let hookSecret = '';
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sensorKeys: Record<string, string> = {};

const clf = (offsetSeconds: number): string => clfTime(clock.now() - offsetSeconds * 1000);
const exploit = (n: number, age: number) =>
  `198.51.100.23 - - [${clf(age)}] "GET /dich-vu-cong/ho-so?ma=${n}%27%20UNION%20SELECT%20ten_dang_nhap,mat_khau%20FROM%20nguoi_dung-- HTTP/1.1" 200 734 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
const normal = (n: number, age: number) => `203.0.113.${n} - - [${clf(age)}] "GET /dich-vu-cong/tra-cuu?ma-ho-so=H${n} HTTP/1.1" 200 5120 "-" "Mozilla/5.0"`;

const createOrg = (code: string, parentId: string, kind: string, sector: string | null, region: string | null) =>
  createOrgAs(centre.url, admin, { parentId, code, kind, sector, region, nameVi: `Tỉnh ${code}` });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hooks.push({ body, signature: String(req.headers['x-vigil-signature'] ?? '') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/vigil`;

  dir = mkdtempSync(join(tmpdir(), 'vigil-warn-e2e-'));
  const text = [
    `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
    'server: { host: 127.0.0.1, port: 0, logLevel: silent }',
    'store: { synchronous: normal }',
    'demo: { enabled: false }',
    'detection: { thread: false, hotReload: false }',
    'warn: { campaigns: { policy: auto, targetBy: [sector, software], keys: [payload, source] }, escalation: { stepMinutes: 60, checkSeconds: 3600 } }',
    `delivery: { pollMs: 50, smtp: { host: 127.0.0.1, port: ${smtpPort}, secure: false, from: "Vigil <canhbao@vigil.gov.vn>" }, webhooks: { allowPrivateNetworks: true, allowPlainHttp: true }, retry: { firstDelaySeconds: 0.05, maxDelaySeconds: 1 } }`,
  ].join('\n');
  const lines: string[] = [];
  centre = await startCentre({ loaded: loadConfig({ text, path: join(dir, 'vigil.yaml'), env: {} }), clock, print: (t) => lines.push(t) });
  adminPassword = /with password (\S+)/.exec(lines.join('\n'))?.[1] as string;
  const login = await call<{ token: string; user: { orgId: string } }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } });
  admin = login.body.token;
  const root = login.body.user.orgId;
  org['vn'] = root;
  for (const [code, kind, sector, region] of [
    ['HN', 'province', 'dia-phuong', 'bac'], ['HCM', 'province', 'dia-phuong', 'nam'], ['HP', 'province', 'dia-phuong', 'bac'], ['CT', 'province', 'dia-phuong', 'nam'],
    ['BYT', 'ministry', 'y-te', null], ['BTC', 'ministry', 'tai-chinh', null], ['FIRM', 'alliance', 'an-ninh-mang', null],
  ] as const) org[code] = await createOrg(code, root, kind, sector, region);
  for (const code of ['HN', 'HCM']) {
    const sensor = await call<{ key: string; sensor: { id: string }; id?: string }>(centre.url, 'POST', '/api/v1/sensors', { token: admin, body: { orgId: org[code], name: `cổng ${code}`, format: 'nginx' } });
    sensorKeys[code] = sensor.body.key;
    const sensorId = sensor.body.sensor?.id ?? sensor.body.id;
    const system = await call(centre.url, 'POST', '/api/v1/systems', {
      token: admin,
      body: { orgId: org[code], name: `Cổng dịch vụ công ${code}`, owner: { unit: 'Sở TT&TT' }, securityLevel: 3, software: [{ cpe: 'cpe:2.3:a:apache:struts:2.5.30:*:*:*:*:*:*:*' }], sensorIds: [sensorId] },
    });
    expect(system.status).toBe(201);
  }
  for (const [code, cpe] of [['BYT', 'cpe:2.3:a:apache:struts:6.3.0:*:*:*:*:*:*:*'], ['BTC', 'cpe:2.3:a:microsoft:internet_information_services:10.0:*:*:*:*:*:*:*']] as const) {
    expect((await call(centre.url, 'POST', '/api/v1/systems', { token: admin, body: { orgId: org[code], name: `Cổng ${code}`, owner: { unit: 'Cục CNTT' }, securityLevel: 3, software: [{ cpe }] } })).status).toBe(201);
  }
  for (const code of ['HP', 'CT', 'BYT', 'BTC', 'FIRM', 'HN', 'HCM']) {
    const created = await call(centre.url, 'POST', '/api/v1/contacts', { token: admin, body: { orgId: org[code], channel: 'email', name: 'SOC', address: `soc@${code.toLowerCase()}.gov.vn`, language: code === 'BYT' ? 'en' : 'vi' } });
    expect(created.status).toBe(201);
  }
  const webhook = await call<{ secret: string }>(centre.url, 'POST', '/api/v1/contacts', { token: admin, body: { orgId: org['HP'], channel: 'webhook', name: 'SIEM HP', address: hookUrl } });
  expect(webhook.status).toBe(201);
  hookSecret = webhook.body.secret;
  for (const code of ['HP', 'CT']) tokens[code] = (await createUser(centre.url, admin, { username: `soc.${code.toLowerCase()}`, orgId: org[code] as string, role: 'operator' })).token;
}, 60_000);

afterAll(async () => {
  await centre?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => hook?.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ingest(code: string, lines: string[]): Promise<void> {
  const reply = await call(centre.url, 'POST', '/api/v1/ingest', { token: sensorKeys[code], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
}

interface WarningView { id: string; source: string; campaignId: string | null; recipients: { orgId: string; reasons: string[]; acknowledgedAt: string | null; ackEscalation: number }[] }

describe('from an exploit against two provinces to warnings that reach the right organisations', () => {
  let warning: WarningView;

  it('opens a campaign and warns the other provinces and the ministry running the same software, and no one else', async () => {
    await ingest('HN', [normal(1, 60), exploit(101, 50), normal(2, 40)]);
    await ingest('HCM', [normal(3, 30), exploit(202, 20)]);
    const system = Scope.system('test');
    const campaigns = await until('a campaign', () => {
      const items = centre.store.campaigns.list({ limit: 10 }).items;
      return items.length > 0 && items[0]?.warningId ? items : undefined;
    });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ status: 'confirmed', orgIds: [org['HN'], org['HCM']] });
    const reply = await call<WarningView>(centre.url, 'GET', `/api/v1/warnings/${campaigns[0]?.warningId}`, { token: admin });
    warning = reply.body;
    expect(warning.source).toBe('campaign');
    expect(warning.recipients.map((r) => r.orgId).sort()).toEqual([org['HP'], org['CT'], org['BYT']].sort());
    expect(warning.recipients.find((r) => r.orgId === org['BYT'])?.reasons).toEqual(['software:apache/struts']);
    // The attacker's address went to the intelligence store for the alliance.
    const published = centre.store.indicators.list({ orgId: org['vn'] as string, chain: [], subtree: null }, { now: clock.now(), limit: 10, value: '198.51.100.23' });
    expect(published.items[0]).toMatchObject({ type: 'ipv4', tlp: 'amber', labels: ['campaign'] });
    expect(centre.store.incidents.list(system, { limit: 10 }).items.map((i) => i.orgId).sort()).toEqual([org['HN'], org['HCM']].sort());
  });

  it('delivers the e-mails to a real SMTP server and a signed webhook, to the recipients only', async () => {
    const to = await until('three e-mails', () => {
      const addresses = mails.flatMap((m) => m.to);
      return addresses.length >= 3 ? addresses.sort() : undefined;
    });
    expect(to).toEqual(['soc@byt.gov.vn', 'soc@ct.gov.vn', 'soc@hp.gov.vn']);
    const english = mails.find((m) => m.to.includes('soc@byt.gov.vn'));
    expect(english?.text).toMatch(/Early warning/);
    const vietnamese = mails.find((m) => m.to.includes('soc@hp.gov.vn'));
    expect(vietnamese?.text).toMatch(/C=E1=BA=A3nh b=C3=A1o s=E1=BB=9Bm|Cảnh báo sớm/);
    const call1 = await until('the webhook', () => hooks[0]);
    expect(verifyWebhookSignature(hookSecret, call1.signature, call1.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', call1.signature, call1.body, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(call1.body)).toMatchObject({ notification: { subjectId: warning.id, orgId: org['HP'] } });
    // The delivery board: HP's e-mail and webhook delivered, with the time.
    const board = await until('the delivery board', async () => {
      const reply = await call<{ recipients: { orgId: string; deliveries: { channel: string; status: string; deliveredAt: string | null }[] }[] }>(centre.url, 'GET', `/api/v1/warnings/${warning.id}`, { token: admin });
      const hp = reply.body.recipients.find((r) => r.orgId === org['HP']);
      return hp && hp.deliveries.length === 2 && hp.deliveries.every((d) => d.status === 'delivered') ? hp : undefined;
    });
    expect(board.deliveries.map((d) => d.channel).sort()).toEqual(['email', 'webhook']);
    expect(board.deliveries.every((d) => d.deliveredAt !== null)).toBe(true);
  });

  it('escalates the province that does not acknowledge to its parent when the deadline passes', async () => {
    const ack = await call(centre.url, 'POST', `/api/v1/warnings/${warning.id}/acknowledge`, { token: tokens['HP'] });
    expect(ack.status).toBe(200);
    expect(centre.escalate()).toEqual([]);
    offset = 24.5 * HOUR; // past the 24 h acknowledgement deadline, before the next step (60 min)
    const sent = centre.escalate();
    const acks = sent.filter((n) => (n.data['escalation'] as { what: string }).what === 'acknowledgement');
    // CT and BYT did not acknowledge; their parent is the centre.
    expect(acks.map((n) => (n.data['escalation'] as { recipient: string }).recipient).sort()).toEqual([org['CT'], org['BYT']].sort());
    expect(acks.every((n) => n.orgId === org['vn'])).toBe(true);
    expect(centre.escalate()).toEqual([]);
    // A day later the sessions have expired: log in again.
    admin = (await call<{ token: string }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } })).body.token;
    tokens['CT'] = (await call<{ token: string }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'soc.ct', password: testPassword } })).body.token;
    const after = await call<WarningView>(centre.url, 'GET', `/api/v1/warnings/${warning.id}`, { token: admin });
    expect(after.body.recipients.find((r) => r.orgId === org['HP'])).toMatchObject({ ackEscalation: 0 });
    expect(after.body.recipients.find((r) => r.orgId === org['CT'])).toMatchObject({ ackEscalation: 1, acknowledgedAt: null });
    // CT sees its warning, and nothing of HP's record.
    const ct = await call<WarningView>(centre.url, 'GET', `/api/v1/warnings/${warning.id}`, { token: tokens['CT'] });
    expect(ct.body.recipients.map((r) => r.orgId)).toEqual([org['CT']]);
  });

  it('shows it in the measures: acknowledged in time or overdue, and the campaign timed from detection to the last organisation warned', async () => {
    type Counts = { warnings: { received: number; acknowledgedInTime: number; missedAckDeadline: number }; overdue: { acknowledgement: number } };
    const report = await call<{ org: { subtree: Counts }; children: { code: string; own: Counts }[] }>(centre.url, 'GET', '/api/v1/measures', { token: admin });
    expect(report.status, JSON.stringify(report.body).slice(0, 300)).toBe(200);
    const child = (code: string) => report.body.children.find((c) => c.code === code)?.own;
    expect(child('HP')?.warnings).toMatchObject({ received: 1, acknowledgedInTime: 1, missedAckDeadline: 0 });
    expect(child('CT')?.warnings).toMatchObject({ received: 1, acknowledgedInTime: 0, missedAckDeadline: 1 });
    expect(child('CT')?.overdue.acknowledgement).toBe(1);
    expect(report.body.org.subtree.warnings).toMatchObject({ received: 3, acknowledgedInTime: 1, missedAckDeadline: 2 });
    const timings = await call<{ items: { warningId: string | null; recipients: number; lastWarnedAt: string | null; secondsFromDetection: number | null }[] }>(centre.url, 'GET', '/api/v1/measures/campaigns', { token: admin });
    expect(timings.status).toBe(200);
    const timing = timings.body.items.find((c) => c.warningId === warning.id);
    expect(timing?.recipients).toBe(3);
    expect(timing?.lastWarnedAt).not.toBeNull();
    expect(timing?.secondsFromDetection).toBeGreaterThanOrEqual(0);
    expect((await call(centre.url, 'GET', '/api/v1/measures/campaigns', { token: tokens['CT'] })).status).toBe(403);
  });
});

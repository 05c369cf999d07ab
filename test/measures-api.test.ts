/**
 * Measures of prevention and response over a real centre (issue 6, item 6): a warning is issued to
 * two provinces and a ministry's agency; one province acknowledges in time, the other a day late,
 * the agency not at all. `/api/v1/measures` shows it per organisation and rolled up the tree, the
 * posture explains each province's score, coverage names the systems that send nothing, a province
 * sees its own subtree only, and the centre sees how long a campaign took to warn its last target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentre, type Centre } from '../src/centre.js';
import type { Clock } from '../src/core/clock.js';
import { loadConfig } from '../src/core/config.js';
import type { CampaignTimeline } from '../src/warn/campaign-timeline.js';
import type { MeasuresReport, PostureReport } from '../src/warn/measures-service.js';
import { call } from './support.js';

const HOUR = 3_600_000;
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };

let centre: Centre;
let dir: string;
let admin = '';
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sensorKeys: Record<string, string> = {};
const systems: Record<string, string> = {};
let warningId = '';

const clf = (ageSeconds: number): string => {
  const d = new Date(clock.now() - ageSeconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const normal = (n: number, age: number) => `203.0.113.${n} - - [${clf(age)}] "GET /dich-vu-cong/tra-cuu?ma-ho-so=H${n} HTTP/1.1" 200 5120 "-" "Mozilla/5.0"`;
const exploit = (n: number, age: number) =>
  `198.51.100.23 - - [${clf(age)}] "GET /dich-vu-cong/ho-so?ma=${n}%27%20UNION%20SELECT%20ten_dang_nhap,mat_khau%20FROM%20nguoi_dung-- HTTP/1.1" 200 734 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Within a few seconds: the injected clock moves in jumps, real time runs on between calls. */
function near(actual: number | null | undefined, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(10);
}

async function ingest(code: string, lines: string[]): Promise<void> {
  const reply = await call(centre.url, 'POST', '/api/v1/ingest', { token: sensorKeys[code], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
}

async function user(code: string, role: string): Promise<string> {
  const password = 'correct horse battery staple 42';
  const username = `soc.${code.toLowerCase()}`;
  expect((await call(centre.url, 'POST', '/api/v1/users', { token: admin, body: { orgId: org[code], username, displayName: code, role, password } })).status).toBe(201);
  return (await call<{ token: string }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-measures-e2e-'));
  const text = [
    `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
    'server: { host: 127.0.0.1, port: 0, logLevel: silent }',
    'store: { synchronous: normal }',
    'demo: { enabled: false }',
    'auth: { sessionTtlHours: 1000 }',
    'detection: { thread: false, hotReload: false }',
    'warn: { campaigns: { policy: auto, targetBy: [software], keys: [payload, source] }, escalation: { stepMinutes: 60, checkSeconds: 3600 } }',
  ].join('\n');
  const lines: string[] = [];
  centre = await startCentre({ loaded: loadConfig({ text, path: join(dir, 'vigil.yaml'), env: {} }), clock, print: (t) => lines.push(t) });
  const password = /with password (\S+)/.exec(lines.join('\n'))?.[1] as string;
  const login = await call<{ token: string; user: { orgId: string } }>(centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password } });
  admin = login.body.token;
  org['VN'] = login.body.user.orgId;
  for (const [code, parent, kind] of [['M', 'VN', 'ministry'], ['A', 'M', 'agency'], ['P1', 'VN', 'province'], ['P2', 'VN', 'province']] as const) {
    const created = await call<{ id: string }>(centre.url, 'POST', '/api/v1/orgs', { token: admin, body: { parentId: org[parent], code, nameVi: `Đơn vị ${code}`, nameEn: `Unit ${code}`, kind, sector: 'dia-phuong', region: null } });
    expect(created.status).toBe(201);
    org[code] = created.body.id;
  }
  const struts = [{ cpe: 'cpe:2.3:a:apache:struts:2.5.30:*:*:*:*:*:*:*' }];
  for (const [code, approved, security] of [['P1', true, 200], ['P2', false, 50]] as const) {
    const sensor = await call<{ id: string; key: string }>(centre.url, 'POST', '/api/v1/sensors', { token: admin, body: { orgId: org[code], name: `cổng ${code}`, format: 'nginx' } });
    expect(sensor.status).toBe(201);
    sensorKeys[code] = sensor.body.key;
    const system = await call<{ id: string }>(centre.url, 'POST', '/api/v1/systems', {
      token: admin,
      body: {
        orgId: org[code], name: `Cổng dịch vụ công ${code}`, owner: { unit: 'Sở TT&TT' }, securityLevel: 3, software: struts, sensorIds: [sensor.body.id],
        securityPlan: approved ? { approved: true, approvedOn: '2026-01-15' } : { approved: false }, budget: { total: 1000, security },
      },
    });
    expect(system.status).toBe(201);
    systems[code] = system.body.id;
  }
  const agency = await call<{ id: string }>(centre.url, 'POST', '/api/v1/systems', { token: admin, body: { orgId: org['A'], name: 'Cổng A', owner: { unit: 'Cục CNTT' }, securityLevel: 2, software: struts } });
  expect(agency.status).toBe(201);
  systems['A'] = agency.body.id;
  tokens['P1'] = await user('P1', 'operator');
  tokens['M'] = await user('M', 'viewer');
}, 60_000);

afterAll(async () => {
  await centre?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('measures of prevention and response over the tree', () => {
  it('counts a warning acknowledged in time by one province, late by another, never by the agency', async () => {
    const issued = await call<{ id: string; status: string }>(centre.url, 'POST', '/api/v1/warnings', {
      token: admin,
      body: {
        severity: 'high', title: { vi: 'Vá Struts', en: 'Patch Struts' }, text: { vi: 'Cập nhật ngay.', en: 'Update now.' },
        targets: { orgs: [org['P1'], org['P2'], org['A']] }, ackWithinHours: 24, remediateWithinHours: 72, issue: true,
      },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.status).toBe('issued');
    warningId = issued.body.id;
    offset = 2 * HOUR;
    expect((await call(centre.url, 'POST', `/api/v1/warnings/${warningId}/acknowledge`, { token: tokens['P1'] })).status).toBe(200);
    offset = 26 * HOUR; // past the 24 h deadline
    expect((await call(centre.url, 'POST', `/api/v1/warnings/${warningId}/acknowledge`, { token: admin, body: { org: org['P2'] } })).status).toBe(200);
    await ingest('P1', [normal(1, 120), normal(2, 60)]); // P1's portal sends; P2's sensor never has

    const reply = await call<MeasuresReport>(centre.url, 'GET', '/api/v1/measures', { token: admin });
    expect(reply.status).toBe(200);
    const { org: vn, children } = reply.body;
    expect(vn.orgId).toBe(org['VN']);
    expect(vn.own.warnings.received).toBe(0);
    expect(vn.subtree.warnings).toMatchObject({ received: 3, acknowledged: 2, acknowledgedInTime: 1, missedAckDeadline: 2 });
    expect(vn.subtree.warnings.shareAcknowledgedInTime).toBeCloseTo(1 / 3, 9);
    // 2 h and 26 h (plus the test's own running time): median 14 h
    expect(vn.subtree.warnings.timeToAcknowledge.count).toBe(2);
    near(vn.subtree.warnings.timeToAcknowledge.medianSeconds, 14 * 3600);
    expect(vn.subtree.overdue).toMatchObject({ due: 3, acknowledgement: 1, remediation: 0 });
    expect(vn.subtree.overdue.items.items).toEqual([expect.objectContaining({ warningId, orgId: org['A'], what: 'acknowledgement' })]);
    near(vn.subtree.overdue.items.items[0]?.overdueSeconds, 2 * 3600);
    expect(vn.subtree.coverage).toMatchObject({ systems: 3, reporting: 1 });
    expect(vn.subtree.coverage.withoutSensor.items).toEqual([{ id: systems['A'], name: 'Cổng A', orgId: org['A'] }]);
    expect(vn.subtree.coverage.silent.items.map((s) => s.id)).toEqual([systems['P2']]);
    expect(vn.subtree.securityPlanUnapproved.items.map((s) => s.id).sort()).toEqual([systems['A'], systems['P2']].sort());
    expect(vn.subtree.securityBudget.belowMinimum.items.map((s) => s.id)).toEqual([systems['P2']]);

    // One level down: the ministry rolls its agency up; each province has its own.
    expect(children.map((c) => c.code)).toEqual(['M', 'P1', 'P2']);
    const [m, p1, p2] = children;
    expect(m?.own.warnings.received).toBe(0);
    expect(m?.subtree.warnings).toMatchObject({ received: 1, acknowledged: 0, missedAckDeadline: 1, shareAcknowledgedInTime: 0 });
    expect(p1?.subtree.warnings).toMatchObject({ received: 1, acknowledgedInTime: 1, shareAcknowledgedInTime: 1, timeToAcknowledge: { count: 1 } });
    near(p1?.subtree.warnings.timeToAcknowledge.medianSeconds, 2 * 3600);
    expect(p2?.subtree.warnings).toMatchObject({ received: 1, acknowledgedInTime: 0, missedAckDeadline: 1, timeToAcknowledge: { count: 1 } });
    near(p2?.subtree.warnings.timeToAcknowledge.p90Seconds, 26 * 3600);
  });

  it('explains each province’s posture term by term', async () => {
    const p1 = await call<PostureReport>(centre.url, 'GET', '/api/v1/measures/posture', { token: tokens['P1'] });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ orgId: org['P1'], code: 'P1', basis: 'subtree', score: 100 });
    expect(p1.body.terms.find((t) => t.term === 'remediated-in-time')).toMatchObject({ data: false, points: 15 });
    const p2 = await call<PostureReport>(centre.url, 'GET', `/api/v1/measures/posture?org=${org['P2']}`, { token: admin });
    expect(p2.status).toBe(200);
    const byTerm = Object.fromEntries(p2.body.terms.map((t) => [t.term, t]));
    expect(byTerm['acknowledged-in-time']).toMatchObject({ value: 0, weight: 20, points: 0 });
    expect(byTerm['acknowledged-in-time']?.explanation.en).toMatch(/^0 of 1 warning recipients acknowledged by the deadline/);
    expect(byTerm['sensor-coverage']).toMatchObject({ value: 0, points: 0 });
    expect(byTerm['sensor-coverage']?.explanation.vi).toMatch(/1 hệ thống không gửi gì/);
    expect(byTerm['security-plan']).toMatchObject({ value: 0, points: 0 });
    expect(byTerm['security-budget']).toMatchObject({ value: 0, points: 0 });
    // 0 + 15 (no remediation due) + 15 (nothing overdue) + 10 (no incident) + 0 + 0 + 0
    expect(p2.body.score).toBe(40);
    const centreView = await call<PostureReport>(centre.url, 'GET', '/api/v1/measures/posture', { token: admin });
    expect(centreView.body.children.map((c) => [c.code, c.score])).toEqual([['M', expect.any(Number)], ['P1', 100], ['P2', 40]]);
  });

  it('keeps each organisation to its subtree', async () => {
    const own = await call<MeasuresReport>(centre.url, 'GET', '/api/v1/measures', { token: tokens['P1'] });
    expect(own.status).toBe(200);
    expect(own.body.org.orgId).toBe(org['P1']);
    expect(own.body.children).toEqual([]);
    expect(own.body.org.subtree.coverage.systems).toBe(1);
    const ministry = await call<MeasuresReport>(centre.url, 'GET', '/api/v1/measures', { token: tokens['M'] });
    expect(ministry.status).toBe(200);
    expect(ministry.body.children.map((c) => c.code)).toEqual(['A']);
    expect(ministry.body.org.subtree.warnings.received).toBe(1);
    expect((await call(centre.url, 'GET', `/api/v1/measures/posture?org=${org['A']}`, { token: tokens['M'] })).status).toBe(200);
    for (const path of [`/api/v1/measures?org=${org['P2']}`, `/api/v1/measures/posture?org=${org['P2']}`, `/api/v1/measures?org=${org['VN']}`]) {
      const refused = await call<{ code: string }>(centre.url, 'GET', path, { token: tokens['P1'] });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    }
    expect((await call(centre.url, 'GET', `/api/v1/measures?org=${org['P1']}`, { token: tokens['M'] })).status).toBe(403);
    expect((await call(centre.url, 'GET', '/api/v1/measures?org=org_nobody', { token: admin })).status).toBe(404);
    const campaigns = await call<{ code: string }>(centre.url, 'GET', '/api/v1/measures/campaigns', { token: tokens['P1'] });
    expect(campaigns.status).toBe(403);
    expect(campaigns.body.code).toBe('VIGIL_ERR_FORBIDDEN');
    expect((await call(centre.url, 'GET', '/api/v1/measures')).status).toBe(401);
    const invalid = await call<{ code: string; location: { field: string } }>(centre.url, 'GET', '/api/v1/measures?days=0', { token: admin });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VIGIL_ERR_VALIDATION', location: { field: 'querystring.days' } });
    const docs = await call<{ paths: Record<string, unknown> }>(centre.url, 'GET', '/api/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/measures/', '/api/v1/measures/posture', '/api/v1/measures/campaigns']));
  });

  it('shows the centre how long a campaign took from detection to its last target warned, and the incidents it opened', async () => {
    await ingest('P1', [exploit(101, 50)]);
    await ingest('P2', [exploit(202, 20)]);
    await until('a campaign warned', () => {
      const items = centre.store.campaigns.list({ limit: 10 }).items;
      return items[0]?.warningId ? items : undefined;
    });
    const reply = await call<{ items: CampaignTimeline[] }>(centre.url, 'GET', '/api/v1/measures/campaigns', { token: admin });
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(1);
    const [timeline] = reply.body.items;
    // The agency runs the same software; it has no contact, so no delivery record: timed by the issue time.
    expect(timeline).toMatchObject({ state: 'complete', recipients: 1, basis: 'issued', timedByIssue: 1, lastWarnedOrgId: org['A'] });
    expect(timeline?.lastWarnedAt).toBe(timeline?.issuedAt);
    expect(timeline?.secondsFromDetection).toBeGreaterThanOrEqual(0);
    expect(timeline?.secondsFromFirstSeen).toBeGreaterThanOrEqual(timeline?.secondsFromDetection ?? 0);

    const measures = await call<MeasuresReport>(centre.url, 'GET', '/api/v1/measures', { token: admin });
    const incidents = measures.body.org.subtree.incidents;
    expect(incidents.open).toBeGreaterThanOrEqual(2);
    expect(Object.values(incidents.openBySeverity).reduce((a, b) => a + b, 0)).toBe(incidents.open);
    expect(measures.body.children.find((c) => c.code === 'P2')?.own.incidents.open).toBeGreaterThanOrEqual(1);
    // P2's portal has now sent events: nothing is silent any more
    expect(measures.body.org.subtree.coverage.silent.count).toBe(0);
  });
});

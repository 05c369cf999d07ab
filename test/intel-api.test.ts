/**
 * Threat intelligence over the API and in the pipeline: analysts add indicators (normalised,
 * refused when malformed, flagged when on a warning list), every reader sees exactly what TLP 2.0
 * allows over the tree (a province sees no AMBER+STRICT indicator of another province; RED reaches
 * only the named), only the owner's subtree revokes, viewers cannot write; events are matched as
 * they arrive and, for a new indicator, retrospectively; hits are sighted everywhere but alert only
 * where TLP lets the organisation see the indicator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import { call, createOrg as createOrgAs, createUser as createUserAs, startTestCentre, type TestCentre } from './support.js';

interface IndicatorView { id: string; type: string; value: string; tlp: string; ownerOrgId: string; revoked: boolean; warningList?: string | null }

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sensorKeys: Record<string, string> = {};

const clf = (offsetSeconds: number): string => {
  const d = new Date(Date.now() - offsetSeconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
const visit = (ip: string, offset: number) => `${ip} - - [${clf(offset)}] "GET /dich-vu-cong/tra-cuu HTTP/1.1" 200 5120 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`;

async function ingest(who: string, lines: string[]): Promise<void> {
  const reply = await call(t.centre.url, 'POST', '/api/v1/ingest', { token: sensorKeys[who], raw: lines.join('\n'), headers: { 'content-type': 'text/plain' } });
  expect(reply.status).toBe(202);
}

/** Waits until detection has read every stored event and finished any retrospective hunt. */
async function settle(): Promise<void> {
  const system = Scope.system('test: wait for detection');
  const detection = t.centre.detection as NonNullable<typeof t.centre.detection>;
  for (let i = 0; i < 200; i++) {
    if (detection.processedSeq() >= t.centre.store.events.lastSeq(system) && !detection.runRetroHunt()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('detection did not catch up');
}

interface AlertView { ruleId: string; orgId: string; eventSeqs: number[]; details: { summary?: string; indicator?: { value: string } } | null }
const intelAlerts = async (): Promise<AlertView[]> => {
  const reply = await call<{ items: AlertView[] }>(t.centre.url, 'GET', '/api/v1/alerts?rule=vigil-intel-match&limit=1000', { token: t.adminToken });
  return reply.body.items;
};

const createOrg = (code: string, parentId: string, kind: string) => createOrgAs(t.centre.url, t.adminToken, { parentId, code, kind });

const createUser = async (username: string, orgId: string, role: string) => (await createUserAs(t.centre.url, t.adminToken, { username, orgId, role })).token;

const add = (who: string, body: Record<string, unknown>) => call<IndicatorView & { code?: string; message?: string }>(t.centre.url, 'POST', '/api/v1/intel/indicators', { token: tokens[who], body });
const visible = async (who: string): Promise<string[]> => {
  const reply = await call<{ items: IndicatorView[] }>(t.centre.url, 'GET', '/api/v1/intel/indicators?limit=1000', { token: tokens[who] });
  expect(reply.status).toBe(200);
  return reply.body.items.map((i) => i.value).sort();
};

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  org['hn'] = await createOrg('HN', t.rootOrgId, 'province');
  org['hn-a'] = await createOrg('HN-SOTTTT', org['hn'], 'agency');
  org['hcm'] = await createOrg('HCM', t.rootOrgId, 'province');
  org['firm'] = await createOrg('FIRM', t.rootOrgId, 'alliance');
  tokens['centre'] = t.adminToken;
  tokens['hn'] = await createUser('analyst.hn', org['hn'], 'analyst');
  tokens['hn-a'] = await createUser('viewer.hn.a', org['hn-a'], 'viewer');
  tokens['hcm'] = await createUser('analyst.hcm', org['hcm'], 'analyst');
  tokens['firm'] = await createUser('analyst.firm', org['firm'], 'analyst');
  for (const who of ['hn', 'hcm']) {
    const sensor = await call<{ key: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: org[who], name: `portal ${who}`, format: 'nginx' } });
    sensorKeys[who] = sensor.body.key;
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('indicators over the API', () => {
  it('normalises what it stores and refuses what is malformed', async () => {
    const domain = await add('firm', { type: 'domain', value: 'Phishing-DichVuCong.Example.', tlp: 'green', labels: ['phishing'] });
    expect(domain.status).toBe(201);
    expect(domain.body).toMatchObject({ value: 'phishing-dichvucong.example', ownerOrgId: org['firm'], tlp: 'green' });
    const again = await add('firm', { type: 'domain', value: 'phishing-dichvucong.example', tlp: 'green' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(domain.body.id);
    const bad = await add('firm', { type: 'ipv4', value: '300.1.2.3' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VIGIL_ERR_VALIDATION');
    const hash = await add('firm', { type: 'sha256', value: 'abc' });
    expect(hash.status).toBe(400);
    const unknownField = await add('firm', { type: 'ipv4', value: '203.0.113.9', colour: 'red' });
    expect(unknownField.status).toBe(400);
  });

  it('flags an indicator on a warning list', async () => {
    const resolver = await add('hn', { type: 'ipv4', value: '8.8.8.8', tlp: 'green' });
    expect(resolver.status).toBe(201);
    expect(resolver.body.warningList).toBe('public-dns-resolvers');
  });

  it('shows each organisation exactly what TLP 2.0 allows', async () => {
    expect((await add('hcm', { type: 'ipv4', value: '198.51.100.10', tlp: 'amber+strict' })).status).toBe(201);
    expect((await add('hcm', { type: 'ipv4', value: '198.51.100.11', tlp: 'amber' })).status).toBe(201);
    expect((await add('hn', { type: 'ipv4', value: '198.51.100.20', tlp: 'amber' })).status).toBe(201);
    expect((await add('firm', { type: 'ipv4', value: '198.51.100.30', tlp: 'red', sharedWith: [org['hcm']] })).status).toBe(201);
    expect((await add('firm', { type: 'ipv4', value: '198.51.100.31', tlp: 'amber', sharedWith: [org['hn']] })).status).toBe(201);
    const green = ['8.8.8.8', 'phishing-dichvucong.example'];
    expect(await visible('hn')).toEqual([...green, '198.51.100.20', '198.51.100.31'].sort());
    expect(await visible('hn-a')).toEqual([...green, '198.51.100.20', '198.51.100.31'].sort()); // AMBER reaches the clients
    expect(await visible('hcm')).toEqual([...green, '198.51.100.10', '198.51.100.11', '198.51.100.30'].sort());
    expect(await visible('centre')).toEqual([...green, '198.51.100.10', '198.51.100.11', '198.51.100.20', '198.51.100.31'].sort()); // never RED
    expect(await visible('firm')).toEqual([...green, '198.51.100.30', '198.51.100.31'].sort());
  });

  it('reads one only where TLP allows, and only the owner’s subtree revokes', async () => {
    const list = await call<{ items: IndicatorView[] }>(t.centre.url, 'GET', '/api/v1/intel/indicators?type=ipv4&value=198.51.100.10', { token: tokens['hcm'] });
    const strict = list.body.items[0] as IndicatorView;
    expect(strict.tlp).toBe('amber+strict');
    expect((await call(t.centre.url, 'GET', `/api/v1/intel/indicators/${strict.id}`, { token: tokens['hn'] })).status).toBe(404);
    const seen = await call<{ sightings: { byOrganisation: unknown[] } }>(t.centre.url, 'GET', `/api/v1/intel/indicators/${strict.id}`, { token: tokens['centre'] });
    expect(seen.status).toBe(200);
    expect(seen.body.sightings.byOrganisation).toEqual([]);
    expect((await call(t.centre.url, 'DELETE', `/api/v1/intel/indicators/${strict.id}`, { token: tokens['hn'] })).status).toBe(404);
    expect((await call(t.centre.url, 'DELETE', `/api/v1/intel/indicators/${strict.id}`, { token: tokens['hn-a'] })).status).toBe(403);
    const revoked = await call<IndicatorView>(t.centre.url, 'DELETE', `/api/v1/intel/indicators/${strict.id}`, { token: tokens['hcm'] });
    expect(revoked.body.revoked).toBe(true);
    expect(await visible('hcm')).not.toContain('198.51.100.10');
    const all = await call<{ items: IndicatorView[] }>(t.centre.url, 'GET', '/api/v1/intel/indicators?all=true&type=ipv4', { token: tokens['hcm'] });
    expect(all.body.items.find((i) => i.id === strict.id)?.revoked).toBe(true);
  });

  it('lets viewers read but not write', async () => {
    expect((await add('hn-a', { type: 'ipv4', value: '203.0.113.50' })).status).toBe(403);
    const other = await add('hn', { type: 'ipv4', value: '203.0.113.51', orgId: org['hcm'] });
    expect(other.status).toBe(403);
  });
});

describe('indicators in the pipeline', () => {
  it('alerts on an event that hits an indicator, with its context, and records the sighting', async () => {
    const ip = '203.0.113.77';
    const created = await add('firm', { type: 'ipv4', value: ip, tlp: 'green', confidence: 90, labels: ['botnet'], attack: ['T1190'] });
    expect(created.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the matcher pulls changes once a second
    await ingest('hn', [visit('14.160.2.3', 20), visit(ip, 10)]);
    await settle();
    const hits = (await intelAlerts()).filter((a) => a.details?.indicator?.value === ip);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ orgId: org['hn'], details: { summary: expect.stringContaining('botnet') } });
    const detail = await call<{ sightings: { byOrganisation: { orgId: string; count: number }[] } }>(t.centre.url, 'GET', `/api/v1/intel/indicators/${created.body.id}`, { token: tokens['centre'] });
    expect(detail.body.sightings.byOrganisation).toEqual([expect.objectContaining({ orgId: org['hn'], count: 1 })]);
    const fromHcm = await call<{ sightings: { byOrganisation: unknown[] } }>(t.centre.url, 'GET', `/api/v1/intel/indicators/${created.body.id}`, { token: tokens['hcm'] });
    expect(fromHcm.body.sightings.byOrganisation).toEqual([]); // sightings are read within one's own subtree
  });

  it('hunts a new indicator in the events already stored', async () => {
    const ip = '203.0.113.88';
    await ingest('hcm', [visit(ip, 3600), visit(ip, 1800)]);
    await settle();
    expect((await intelAlerts()).filter((a) => a.details?.indicator?.value === ip)).toHaveLength(0);
    expect((await add('hcm', { type: 'ipv4', value: ip, tlp: 'amber' })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await settle();
    const hits = (await intelAlerts()).filter((a) => a.details?.indicator?.value === ip);
    expect(hits).toHaveLength(2);
    expect(hits.every((a) => a.orgId === org['hcm'])).toBe(true);
  });

  it('never alerts an organisation TLP keeps the indicator from, but still records where it was seen', async () => {
    const ip = '198.51.100.30'; // RED, owned by the firm, shared with HCM only (added above)
    await ingest('hn', [visit(ip, 5)]);
    await ingest('hcm', [visit(ip, 4)]);
    await settle();
    const hits = (await intelAlerts()).filter((a) => a.details?.indicator?.value === ip);
    expect(hits.map((a) => a.orgId)).toEqual([org['hcm']]);
    const list = await call<{ items: IndicatorView[] }>(t.centre.url, 'GET', `/api/v1/intel/indicators?type=ipv4&value=${ip}`, { token: tokens['firm'] });
    const id = list.body.items[0]?.id as string;
    const sightings = t.centre.store.sightings.countByOrg(Scope.system('test'), id).map((s) => s.orgId).sort();
    expect(sightings).toEqual([org['hn'], org['hcm']].sort());
  });
});


/**
 * The information systems inventory over HTTP: registration with every entry made canonical,
 * refusals that say what is wrong (CPE, CIDR, sensors, budgets), filters and the software lookup
 * advisories will use, each organisation confined to its subtree — and, end to end, an event
 * ingested for an organisation whose system owns the destination address raises an alert carrying
 * that system, while the same address in another organisation's event claims nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import type { InformationSystem } from '../src/inventory/model.js';
import { call, startTestCentre, type TestCentre } from './support.js';

interface Org { id: string }
interface ErrorBody { code: string; message: string; location?: { field?: string } }

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const sensors: Record<string, { id: string; key: string }> = {};

const api = <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, token: string, body?: unknown) =>
  call<T>(t.centre.url, method, path, { token, ...(body !== undefined ? { body } : {}) });

async function user(username: string, orgId: string, role: string): Promise<string> {
  const password = `${username}-password-1234`;
  expect((await api('POST', '/api/v1/users', t.adminToken, { orgId, username, displayName: username, role, password })).status).toBe(201);
  return (await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
}

const portal = (orgId: string, extra: Record<string, unknown> = {}) => ({
  orgId,
  name: 'Cổng dịch vụ công',
  owner: { unit: 'Trung tâm Công nghệ thông tin', person: 'Nguyễn Văn An', contact: 'an@hanoi.gov.vn' },
  securityLevel: 3,
  hostnames: ['DichVuCong.HaNoi.gov.vn', '*.dvc.hanoi.gov.vn'],
  urls: ['https://dichvucong.hanoi.gov.vn/dvc/'],
  ipRanges: ['10.10.0.0/16', '2001:db8:10::/48'],
  software: [{ cpe: 'cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*', version: '9.0.80' }, { cpe: 'cpe:2.3:a:nginx:nginx:1.24.0:*:*:*:*:*:*:*' }],
  securityPlan: { approved: true, approvedOn: '2026-03-15' },
  budget: { total: 5_000_000_000, security: 400_000_000 },
  ...extra,
});

beforeAll(async () => {
  t = await startTestCentre('detection: { hotReload: false, thread: false }');
  for (const [key, code, parent] of [['hn', 'HN', null], ['hnAgency', 'HN-STTTT', 'hn'], ['hcm', 'HCM', null]] as const) {
    const reply = await api<Org>('POST', '/api/v1/orgs', t.adminToken, { parentId: parent === null ? t.rootOrgId : org[parent], code, nameVi: code, nameEn: code, kind: parent === null ? 'province' : 'agency' });
    expect(reply.status).toBe(201);
    org[key] = reply.body.id;
  }
  for (const key of ['hn', 'hcm'] as const) {
    const reply = await api<{ id: string; key: string }>('POST', '/api/v1/sensors', t.adminToken, { orgId: org[key], name: `ecs ${key}`, format: 'ecs' });
    expect(reply.status).toBe(201);
    sensors[key] = reply.body;
  }
  tokens['hnOperator'] = await user('hn-operator', org['hn'] as string, 'operator');
  tokens['hnViewer'] = await user('hn-viewer', org['hn'] as string, 'viewer');
  tokens['hcmOperator'] = await user('hcm-operator', org['hcm'] as string, 'operator');
});

afterAll(async () => {
  await t?.stop();
});

let hanoiPortal: InformationSystem;

describe('the information systems API', () => {

  it('registers a system with every entry canonical and the budget measured', async () => {
    const reply = await api<InformationSystem>('POST', '/api/v1/systems', tokens['hnOperator'] as string, portal(org['hn'] as string, { sensorIds: [sensors['hn']?.id] }));
    expect(reply.status).toBe(201);
    hanoiPortal = reply.body;
    expect(hanoiPortal).toMatchObject({
      id: expect.stringMatching(/^sys_/),
      orgId: org['hn'],
      securityLevel: 3,
      hostnames: ['dichvucong.hanoi.gov.vn', '*.dvc.hanoi.gov.vn'],
      urls: ['https://dichvucong.hanoi.gov.vn/dvc'],
      ipRanges: ['10.10.0.0/16', '2001:db8:10::/48'],
      software: [
        { cpe: 'cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*', part: 'a', vendor: 'apache', product: 'tomcat', version: '9.0.80' },
        { cpe: 'cpe:2.3:a:nginx:nginx:1.24.0:*:*:*:*:*:*:*', part: 'a', vendor: 'nginx', product: 'nginx', version: '1.24.0' },
      ],
      sensorIds: [sensors['hn']?.id],
      securityPlan: { approved: true, approvedOn: '2026-03-15' },
      budget: { currency: 'VND', total: 5_000_000_000, security: 400_000_000 },
      securityBudgetShare: 0.08,
      securityBudgetBelowMinimum: true,
    });
    expect((await api('GET', `/api/v1/systems/${hanoiPortal.id}`, tokens['hnViewer'] as string)).body).toEqual(hanoiPortal);
  });

  it.each([
    ['a CPE that is not CPE 2.3', { software: [{ cpe: 'cpe:/a:apache:tomcat:9.0.80' }] }, /software\.0\.cpe: not a CPE 2\.3 formatted string.*CPE 2\.2 URI/],
    ['a CPE with an unquoted character', { software: [{ cpe: 'cpe:2.3:a:apache:tom cat:9:*:*:*:*:*:*:*' }] }, /software\.0\.cpe: .*character " " is not allowed/],
    ['a CPE with too few attributes', { software: [{ cpe: 'cpe:2.3:a:apache:tomcat:9' }] }, /has 4 attributes/],
    ['a CPE naming no product', { software: [{ cpe: 'cpe:2.3:a:apache:*:9:*:*:*:*:*:*:*' }] }, /product is ANY/],
    ['an invalid CIDR', { ipRanges: ['10.0.0.0/33'] }, /ipRanges\.0: .*over 32/],
    ['a CIDR that is a name', { ipRanges: ['portal.gov.vn/24'] }, /ipRanges\.0: .*neither a dotted-quad IPv4 nor an IPv6/],
    ['a wildcard over a country', { hostnames: ['*.vn'] }, /hostnames\.0: .*at least two labels/],
    ['a URL that is a script', { urls: ['javascript:alert(1)'] }, /urls\.0: /],
    ['an unknown sensor', { sensorIds: ['sen_nope'] }, /sensor sen_nope is not a sensor of organisation/],
    ['security above the total', { budget: { total: 100, security: 101 } }, /budget\.security \(101\) is more than budget\.total \(100\)/],
    ['a fractional budget', { budget: { total: 100.5 } }, /budget\.total/],
    ['an approved plan without a day', { securityPlan: { approved: true } }, /approvedOn: an approved plan needs the day/],
    ['a day that is not a day', { securityPlan: { approved: true, approvedOn: '2026-02-30' } }, /not a calendar day/],
    ['security level 6', { securityLevel: 6 }, /securityLevel/],
    ['an unknown field', { rootPassword: 'x' }, /rootPassword|unrecognized/i],
    ['a name of 10,000 characters', { name: 'x'.repeat(10_000) }, /name/],
  ])('refuses %s with 400 and the reason', async (_title, extra, reason) => {
    const reply = await api<ErrorBody>('POST', '/api/v1/systems', tokens['hnOperator'] as string, portal(org['hn'] as string, { name: `bad ${_title}`, ...extra }));
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VIGIL_ERR_VALIDATION');
    expect(reply.body.message).toMatch(reason);
  });

  it('refuses a sensor of another organisation, even a child’s', async () => {
    const reply = await api<ErrorBody>('POST', '/api/v1/systems', t.adminToken, portal(org['hnAgency'] as string, { sensorIds: [sensors['hn']?.id] }));
    expect(reply.status).toBe(400);
    expect(reply.body.location?.field).toBe('body.sensorIds.0');
  });

  it('refuses a second system of the same name in the organisation (409)', async () => {
    expect((await api<ErrorBody>('POST', '/api/v1/systems', tokens['hnOperator'] as string, portal(org['hn'] as string))).status).toBe(409);
  });

  it('keeps each organisation to its own subtree', async () => {
    const hcm = tokens['hcmOperator'] as string;
    const own = await api<InformationSystem>('POST', '/api/v1/systems', hcm, portal(org['hcm'] as string, { name: 'Cổng HCM', hostnames: ['dichvucong.hanoi.gov.vn'], software: [{ cpe: 'cpe:2.3:a:apache:tomcat:10.1.16:*:*:*:*:*:*:*' }], budget: { total: 1000, security: 100 } }));
    expect(own.status).toBe(201);
    expect((await api<ErrorBody>('POST', '/api/v1/systems', hcm, portal(org['hn'] as string, { name: 'planted' }))).body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    expect((await api('GET', `/api/v1/systems/${hanoiPortal.id}`, hcm)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/systems/${hanoiPortal.id}`, hcm, { securityLevel: 1 })).status).toBe(404);
    expect((await api('DELETE', `/api/v1/systems/${hanoiPortal.id}`, hcm)).status).toBe(404);
    expect((await api<{ items: InformationSystem[] }>('GET', '/api/v1/systems', hcm)).body.items.map((s) => s.id)).toEqual([own.body.id]);
    expect((await api('GET', `/api/v1/systems?org=${org['hn']}`, hcm)).status).toBe(403);
    const software = await api<{ items: { systemId: string }[] }>('GET', '/api/v1/systems/software?product=tomcat', hcm);
    expect(software.body.items.map((i) => i.systemId)).toEqual([own.body.id]);
    // Hà Nội sees its own, the centre sees both
    expect((await api<{ items: InformationSystem[] }>('GET', '/api/v1/systems', tokens['hnOperator'] as string)).body.items.map((s) => s.id)).toEqual([hanoiPortal.id]);
    expect((await api<{ items: InformationSystem[] }>('GET', '/api/v1/systems', t.adminToken)).body.items).toHaveLength(2);
  });

  it('lets viewers read but not write', async () => {
    const viewer = tokens['hnViewer'] as string;
    expect((await api<ErrorBody>('PATCH', `/api/v1/systems/${hanoiPortal.id}`, viewer, { securityLevel: 1 })).body.code).toBe('VIGIL_ERR_FORBIDDEN');
    expect((await api('POST', '/api/v1/systems', viewer, portal(org['hn'] as string, { name: 'by a viewer' }))).status).toBe(403);
    expect((await call(t.centre.url, 'GET', '/api/v1/systems')).status).toBe(401);
  });

  it('filters by level, software, CPE and the budget rule', async () => {
    const ids = async (query: string) => (await api<{ items: InformationSystem[] }>('GET', `/api/v1/systems?${query}`, t.adminToken)).body.items.map((s) => s.name).sort();
    expect(await ids('securityLevel=3')).toEqual(['Cổng HCM', 'Cổng dịch vụ công']);
    expect(await ids('belowSecurityBudgetMinimum=true')).toEqual(['Cổng dịch vụ công']);
    expect(await ids('belowSecurityBudgetMinimum=false')).toEqual(['Cổng HCM']);
    expect(await ids('vendor=nginx')).toEqual(['Cổng dịch vụ công']);
    expect(await ids('cpe=cpe:2.3:a:apache:tomcat:10.1.16:*:*:*:*:*:*:*')).toEqual(['Cổng HCM']);
    expect(await ids(`org=${org['hcm']}`)).toEqual(['Cổng HCM']);
    const bad = await api<ErrorBody>('GET', '/api/v1/systems?cpe=cpe:2.3:a:apache', t.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not a CPE 2\.3 formatted string/);
    expect((await api('GET', '/api/v1/systems?securityLevel=0', t.adminToken)).status).toBe(400);
  });

  it('lists who runs a product at or below a version, comparing versions as numbers', async () => {
    const who = async (query: string) =>
      (await api<{ items: { systemName: string; software: { version: string | null }; versionKnown: boolean }[] }>('GET', `/api/v1/systems/software?${query}`, t.adminToken)).body.items.map((i) => `${i.systemName} ${i.software.version}`).sort();
    expect(await who('vendor=apache&product=tomcat')).toEqual(['Cổng HCM 10.1.16', 'Cổng dịch vụ công 9.0.80']);
    expect(await who('product=tomcat&maxVersion=9.0.80')).toEqual(['Cổng dịch vụ công 9.0.80']);
    expect(await who('product=tomcat&maxVersion=9.0.9')).toEqual([]); // 80 > 9
    expect(await who('product=tomcat&maxVersion=10.1.16')).toHaveLength(2);
    expect(await who('product=tomcat&maxVersion=10.1.9')).toEqual(['Cổng dịch vụ công 9.0.80']);
    expect((await api('GET', '/api/v1/systems/software?maxVersion=1', t.adminToken)).status).toBe(400);
  });

  it('changes what is given and reloads nothing else', async () => {
    const reply = await api<InformationSystem>('PATCH', `/api/v1/systems/${hanoiPortal.id}`, tokens['hnOperator'] as string, { budget: { security: 500_000_000 }, software: [{ cpe: 'cpe:2.3:a:apache:tomcat:9.0.85:*:*:*:*:*:*:*' }] });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ budget: { total: 5_000_000_000, security: 500_000_000 }, securityBudgetShare: 0.1, securityBudgetBelowMinimum: false, hostnames: hanoiPortal.hostnames });
    expect(reply.body.software.map((s) => s.version)).toEqual(['9.0.85']);
    expect((await api<ErrorBody>('PATCH', `/api/v1/systems/${hanoiPortal.id}`, tokens['hnOperator'] as string, { budget: { total: 1 } })).body.message).toMatch(/more than budget\.total/);
    expect((await api('PATCH', '/api/v1/systems/sys_nope', tokens['hnOperator'] as string, { securityLevel: 2 })).status).toBe(404);
  });

  it('documents its routes in the OpenAPI description', async () => {
    const docs = await call<{ paths: Record<string, unknown> }>(t.centre.url, 'GET', '/api/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/systems/', '/api/v1/systems/software', '/api/v1/systems/{id}']));
  });

  it('removes a system', async () => {
    const made = await api<InformationSystem>('POST', '/api/v1/systems', t.adminToken, portal(org['hnAgency'] as string, { name: 'Tạm thời' }));
    expect((await api('DELETE', `/api/v1/systems/${made.body.id}`, t.adminToken)).status).toBe(204);
    expect((await api('GET', `/api/v1/systems/${made.body.id}`, t.adminToken)).status).toBe(404);
    expect((await api('DELETE', `/api/v1/systems/${made.body.id}`, t.adminToken)).status).toBe(404);
  });
});

describe('alerts attributed to the system', () => {
  interface AlertView { id: string; orgId: string; ruleId: string; systemId: string | null; eventSeqs: number[] }

  async function settle(): Promise<void> {
    const scope = Scope.system('test: wait for detection');
    for (let i = 0; i < 100; i++) {
      if ((t.centre.detection?.processedSeq() ?? 0) >= t.centre.store.events.lastSeq(scope)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('detection did not catch up');
  }

  const attack = (destination: string, marker: string) => JSON.stringify({
    '@timestamp': new Date().toISOString(),
    event: { category: ['web'], type: ['access'], dataset: 'waf.access' },
    source: { ip: '185.220.101.7' },
    destination: { ip: destination },
    url: { original: `/tra-cuu?ma=${marker}%27%20UNION%20SELECT%20username,password%20FROM%20users--`, path: '/tra-cuu', query: `ma=${marker}%27%20UNION%20SELECT%20username,password%20FROM%20users--` },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    user_agent: { original: 'Mozilla/5.0' },
  });

  it('an event for an organisation whose system owns the destination address yields an alert with that system', async () => {
    const hcmSystem = (await api<{ items: InformationSystem[] }>('GET', '/api/v1/systems', tokens['hcmOperator'] as string)).body.items[0] as InformationSystem;
    // Both provinces registered 10.10.0.0/16 (private ranges repeat): each event goes to its own organisation's system.
    for (const [key, marker] of [['hn', '1'], ['hcm', '2']] as const) {
      const sent = await call<{ accepted: number }>(t.centre.url, 'POST', '/api/v1/ingest', { token: sensors[key]?.key as string, raw: attack('10.10.5.5', marker), headers: { 'content-type': 'application/x-ndjson' } });
      expect(sent.status).toBe(202);
      expect(sent.body.accepted).toBe(1);
    }
    await settle();
    const alerts = (await api<{ items: AlertView[] }>('GET', '/api/v1/alerts?limit=100', t.adminToken)).body.items;
    const hanoi = alerts.filter((a) => a.orgId === org['hn']);
    const hcm = alerts.filter((a) => a.orgId === org['hcm']);
    expect(hanoi.length).toBeGreaterThan(0);
    expect(hcm.length).toBeGreaterThan(0);
    for (const a of hanoi) expect(a.systemId, a.ruleId).toBe(hanoiPortal.id);
    const bySystem = (await api<{ items: AlertView[] }>('GET', `/api/v1/alerts?limit=100&system=${hanoiPortal.id}`, t.adminToken)).body.items;
    expect(bySystem.map((x) => x.id).sort()).toEqual(hanoi.map((x) => x.id).sort());
    expect(hcmSystem.ipRanges).toEqual(['10.10.0.0/16', '2001:db8:10::/48']);
    for (const a of hcm) expect(a.systemId, a.ruleId).toBe(hcmSystem.id);
  });

  it('follows the inventory as it changes', async () => {
    // Hà Nội gives up the range and the sensor: its next alert on that address has no system.
    expect((await api('PATCH', `/api/v1/systems/${hanoiPortal.id}`, tokens['hnOperator'] as string, { ipRanges: [], sensorIds: [] })).status).toBe(200);
    const sent = await call(t.centre.url, 'POST', '/api/v1/ingest', { token: sensors['hn']?.key as string, raw: attack('10.10.5.5', '3'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(sent.status).toBe(202);
    await settle();
    const lastSeq = t.centre.store.events.lastSeq(Scope.system('test'));
    const alerts = (await api<{ items: AlertView[] }>('GET', '/api/v1/alerts?limit=100', t.adminToken)).body.items.filter((a) => a.eventSeqs.includes(lastSeq));
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.systemId, a.ruleId).toBeNull();
  });
});

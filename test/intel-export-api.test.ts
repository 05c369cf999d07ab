/**
 * Intelligence export and statistics over the API: `GET /api/v1/intel/export/stix` serves a valid
 * STIX 2.1 bundle of what TLP 2.0 lets the caller's organisation take away (a province never gets
 * another province's AMBER+STRICT indicator; RED never leaves), with sightings named only within
 * the caller's scope; `GET /api/v1/intel/stats` counts what the caller may see. Bad parameters are
 * refused with 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import { validateBundle } from '../src/intel/stix/objects.js';
import { call, createOrg as createOrgAs, createUser as createUserAs, startTestCentre, type TestCentre } from './support.js';

interface StixObjectView { type: string; id: string; pattern?: string; name?: string; count?: number; where_sighted_refs?: string[]; sighting_of_ref?: string }
interface BundleView { type: string; id: string; objects: StixObjectView[] }

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

const createOrg = (code: string, parentId: string, kind: string) => createOrgAs(t.centre.url, t.adminToken, { parentId, code, kind });

const createUser = async (username: string, orgId: string, role: string) => (await createUserAs(t.centre.url, t.adminToken, { username, orgId, role })).token;

async function add(who: string, body: Record<string, unknown>): Promise<string> {
  const reply = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/intel/indicators', { token: tokens[who], body });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

const exportAs = (who: string, query = '') => call<BundleView>(t.centre.url, 'GET', `/api/v1/intel/export/stix${query}`, { token: tokens[who] });
const values = (bundle: BundleView): string[] => bundle.objects.filter((o) => o.type === 'indicator').map((o) => /= '([^']+)'\]$/.exec(o.pattern ?? '')?.[1] ?? '').sort();
const placesOf = (bundle: BundleView): string[] => {
  const names = new Map(bundle.objects.filter((o) => o.type === 'identity').map((o) => [o.id, o.name ?? '']));
  return bundle.objects.filter((o) => o.type === 'sighting').map((o) => `${names.get(o.where_sighted_refs?.[0] ?? '') ?? '?'}:${o.count ?? 0}`).sort();
};

beforeAll(async () => {
  t = await startTestCentre('detection: { enabled: false }');
  org['hn'] = await createOrg('HN', t.rootOrgId, 'province');
  org['hn-a'] = await createOrg('HN-A', org['hn'], 'agency');
  org['hcm'] = await createOrg('HCM', t.rootOrgId, 'province');
  org['firm'] = await createOrg('FIRM', t.rootOrgId, 'alliance');
  tokens['centre'] = t.adminToken;
  tokens['hn'] = await createUser('analyst.hn', org['hn'], 'analyst');
  tokens['hn-a'] = await createUser('viewer.hn.a', org['hn-a'], 'viewer');
  tokens['hcm'] = await createUser('analyst.hcm', org['hcm'], 'analyst');
  tokens['firm'] = await createUser('analyst.firm', org['firm'], 'analyst');
  ids['green'] = await add('firm', { type: 'ipv4', value: '203.0.113.10', tlp: 'green', labels: ['botnet'] });
  ids['strict'] = await add('hcm', { type: 'ipv4', value: '198.51.100.20', tlp: 'amber+strict' });
  ids['red'] = await add('firm', { type: 'ipv4', value: '198.51.100.30', tlp: 'red', sharedWith: [org['hn']] });
  ids['amber'] = await add('hn', { type: 'domain', value: 'phish.example', tlp: 'amber' });
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const seen = (indicatorId: string, orgId: string, eventSeq: number, eventTime: string) => ({ indicatorId, orgId, eventSeq, eventTime, field: 'source.ip', value: 'x' });
  t.centre.store.sightings.record(Scope.system('test fixtures: sightings'), [
    seen(ids['green'], org['hn'], 1, hourAgo),
    seen(ids['green'], org['hn-a'], 2, threeDaysAgo),
    seen(ids['green'], org['hcm'], 3, hourAgo),
    seen(ids['green'], org['hcm'], 4, hourAgo),
    seen(ids['strict'], org['hcm'], 5, hourAgo),
    seen(ids['red'], org['hn'], 6, hourAgo),
  ]);
});

afterAll(async () => {
  await t?.stop();
});

describe('GET /api/v1/intel/export/stix', () => {
  it('serves a valid STIX 2.1 bundle as application/stix+json;version=2.1', async () => {
    const reply = await exportAs('hn');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/stix+json;version=2.1');
    expect(reply.body.type).toBe('bundle');
    expect(validateBundle(reply.body).rejected).toEqual([]);
    expect(reply.headers['x-vigil-export-truncated']).toBeUndefined();
    expect(typeof reply.headers['x-vigil-date-added-last']).toBe('string');
  });

  it('holds what TLP 2.0 lets each organisation take away: no other province’s AMBER+STRICT, never RED', async () => {
    expect(values((await exportAs('hn')).body)).toEqual(['203.0.113.10', 'phish.example']);
    expect(values((await exportAs('hn-a')).body)).toEqual(['203.0.113.10', 'phish.example']);
    expect(values((await exportAs('hcm')).body)).toEqual(['198.51.100.20', '203.0.113.10']);
    expect(values((await exportAs('centre')).body)).toEqual(['198.51.100.20', '203.0.113.10', 'phish.example']);
    expect(values((await exportAs('firm')).body)).toEqual(['203.0.113.10']); // its own RED indicator stays home too
  });

  it('names only the organisations of the caller’s scope in sightings; the rest are the centre’s', async () => {
    const hanoi = placesOf((await exportAs('hn')).body);
    expect(hanoi).toHaveLength(3);
    expect(hanoi).toEqual(expect.arrayContaining(['HN (HN):1', 'HN-A (HN-A):1']));
    expect(hanoi.find((p) => !p.startsWith('HN'))).toMatch(/:2$/); // HCM's two, as the centre's
    const agency = placesOf((await exportAs('hn-a')).body);
    expect(agency).toHaveLength(2);
    expect(agency).toContain('HN-A (HN-A):1');
    expect(agency.join(' ')).not.toMatch(/HN \(HN\)|HCM/); // its province's and HCM's sightings are not attributed to them
    expect(placesOf((await exportAs('centre')).body)).toEqual(['HCM (HCM):1', 'HCM (HCM):2', 'HN (HN):1', 'HN-A (HN-A):1']);
  });

  it('applies the filters', async () => {
    expect(values((await exportAs('centre', '?types=domain,sha256')).body)).toEqual(['phish.example']);
    expect(values((await exportAs('centre', '?maxTlp=green')).body)).toEqual(['203.0.113.10']);
    expect((await exportAs('centre', '?sightings=false')).body.objects.filter((o) => o.type === 'sighting')).toEqual([]);
    expect(values((await exportAs('centre', `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body)).toEqual([]);
    const first = await exportAs('centre', '?limit=1&sightings=false');
    expect(values(first.body)).toHaveLength(1);
    expect(first.headers['x-vigil-export-truncated']).toBe('true');
    const pages = [values(first.body)];
    let next = first.headers['x-vigil-export-next'];
    while (typeof next === 'string') {
      const page = await exportAs('centre', `?limit=1&sightings=false&next=${next}`);
      expect(page.status).toBe(200);
      pages.push(values(page.body));
      next = page.headers['x-vigil-export-next'];
    }
    expect(pages.flat().sort()).toEqual(['198.51.100.20', '203.0.113.10', 'phish.example']);
  });

  it.each([
    ['?maxTlp=red'],
    ['?types=ipv5'],
    ['?limit=0'],
    ['?limit=100001'],
    ['?since=yesterday'],
    ['?sightings=maybe'],
    ['?next=yesterday'],
  ])('refuses %s with 400', async (query) => {
    const reply = await call<{ code: string }>(t.centre.url, 'GET', `/api/v1/intel/export/stix${query}`, { token: tokens['hn'] });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VIGIL_ERR_VALIDATION');
  });

  it('needs a caller', async () => {
    expect((await call(t.centre.url, 'GET', '/api/v1/intel/export/stix')).status).toBe(401);
  });
});

describe('GET /api/v1/intel/stats', () => {
  interface StatsView {
    indicators: { total: Record<string, number>; byType: { type: string; total: number }[]; byTlp: { tlp: string; active: number }[]; bySource: { source: string }[] };
    sightings: { last24h: { sightings: number; organisations: number }; last7d: { sightings: number; organisations: number }; top: { value: string; count: number }[] };
  }
  const statsAs = (who: string, query = '') => call<StatsView>(t.centre.url, 'GET', `/api/v1/intel/stats${query}`, { token: tokens[who] });

  it('counts only what the caller may see, and sightings within its scope', async () => {
    const hn = (await statsAs('hn')).body;
    expect(hn.indicators.total).toEqual({ active: 3, expired: 0, revoked: 0, total: 3 }); // green, its AMBER, the RED shared with it
    expect(hn.indicators.byTlp.map((r) => r.tlp)).toEqual(['green', 'amber', 'red']);
    expect(hn.sightings.last24h).toEqual({ sightings: 2, organisations: 1 }); // the green and the RED in HN
    expect(hn.sightings.last7d).toEqual({ sightings: 3, organisations: 2 });
    expect(hn.sightings.top.map((s) => [s.value, s.count])).toEqual([['203.0.113.10', 2], ['198.51.100.30', 1]]);

    const centre = (await statsAs('centre')).body;
    expect(centre.indicators.total.total).toBe(3); // never RED
    expect(centre.sightings.last7d).toEqual({ sightings: 5, organisations: 3 }); // the RED sighting is not the centre's to count
    expect(centre.sightings.top[0]).toMatchObject({ value: '203.0.113.10', count: 4 });
    expect((await statsAs('centre', '?top=1')).body.sightings.top).toHaveLength(1);
  });

  it('refuses a bad top', async () => {
    expect((await statsAs('hn', '?top=0')).status).toBe(400);
    expect((await statsAs('hn', '?top=many')).status).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents both routes', async () => {
    const docs = await call<{ paths: Record<string, unknown> }>(t.centre.url, 'GET', '/api/docs/json');
    expect(docs.status).toBe(200);
    const paths = Object.keys(docs.body.paths);
    expect(paths).toContain('/api/v1/intel/export/stix');
    expect(paths.some((p) => p.startsWith('/api/v1/intel/stats'))).toBe(true);
  });
});

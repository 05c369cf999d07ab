import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from '../orgs/tree.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import type { Indicator } from './model.js';
import { intelStatistics } from './stats.js';
import { intelViewer } from './tlp.js';

const at = '2026-11-01T00:00:00.000Z';
const now = Date.parse('2026-11-25T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
const system = Scope.system('intel statistics test');
const org = (id: string, parentId: string | null, kind: Organization['kind']): Organization => ({ id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at });
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hcm', 'centre', 'province')];
const tree = new OrgTree(orgs);

const indicator = (id: string, patch: Partial<Indicator>): Indicator => ({
  id, type: 'ipv4', value: `198.51.100.${id.length}`, source: 'feed:a', confidence: 60, firstSeen: at, lastSeen: at, validUntil: null, killChain: [], attack: [], labels: [], description: null,
  tlp: 'green', ownerOrgId: 'centre', sharedWith: [], stixId: null, revoked: false, createdAt: at, updatedAt: at, ...patch,
});

let store: Store;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  for (const o of orgs) store.orgs.create(system, o);
  store.indicators.upsert(system, [
    indicator('a', { value: '203.0.113.1' }),
    indicator('b', { value: '203.0.113.2', validUntil: '2026-11-24T00:00:00.000Z' }),
    indicator('c', { value: '203.0.113.3', revoked: true, validUntil: '2026-11-24T00:00:00.000Z', source: 'feed:b' }), // revoked wins over expired
    indicator('d', { type: 'domain', value: 'x.example', tlp: 'amber+strict', ownerOrgId: 'hcm' }),
  ]);
  const seen = (indicatorId: string, orgId: string, eventSeq: number, eventTime: string) => ({ indicatorId, orgId, eventSeq, eventTime, field: 'source.ip', value: 'x' });
  store.sightings.record(system, [
    seen('a', 'hn', 1, hoursAgo(1)), seen('a', 'hn', 2, hoursAgo(30)), seen('a', 'hcm', 3, hoursAgo(2)), seen('a', 'hn', 4, hoursAgo(24 * 8)),
    seen('b', 'hn', 5, hoursAgo(3)),
    seen('d', 'hn', 6, hoursAgo(1)), // an indicator Hanoi may not see, matched on its events
  ]);
});
afterEach(() => store.close());

const statsFor = (orgId: string) => intelStatistics({ indicators: store.indicators, sightings: store.sightings, now }, { viewer: intelViewer(orgId, tree), scope: Scope.subtree(orgId, tree) });

describe('intel statistics', () => {
  it('counts indicators by state, type, TLP and source, within TLP', () => {
    const hn = statsFor('hn');
    expect(hn.at).toBe('2026-11-25T12:00:00.000Z');
    expect(hn.indicators.total).toEqual({ active: 1, expired: 1, revoked: 1, total: 3 });
    expect(hn.indicators.byType).toEqual([{ type: 'ipv4', active: 1, expired: 1, revoked: 1, total: 3 }]);
    expect(hn.indicators.byTlp).toEqual([{ tlp: 'green', active: 1, expired: 1, revoked: 1, total: 3 }]);
    expect(hn.indicators.bySource).toEqual([{ source: 'feed:a', active: 1, expired: 1, revoked: 0, total: 2 }, { source: 'feed:b', active: 0, expired: 0, revoked: 1, total: 1 }]);
    expect(statsFor('hcm').indicators.byType.map((r) => r.type)).toEqual(['ipv4', 'domain']);
  });

  it('counts sightings in the reader’s scope over 24 h and 7 days, only of indicators it may see', () => {
    const hn = statsFor('hn');
    expect(hn.sightings.last24h).toEqual({ sightings: 2, organisations: 1 });
    expect(hn.sightings.last7d).toEqual({ sightings: 3, organisations: 1 });
    expect(hn.sightings.top).toEqual([
      { indicatorId: 'a', type: 'ipv4', value: '203.0.113.1', tlp: 'green', count: 2, lastSeen: hoursAgo(1) },
      { indicatorId: 'b', type: 'ipv4', value: '203.0.113.2', tlp: 'green', count: 1, lastSeen: hoursAgo(3) },
    ]);
    const centre = statsFor('centre');
    expect(centre.sightings.last24h).toEqual({ sightings: 4, organisations: 2 });
    expect(centre.sightings.last7d).toEqual({ sightings: 5, organisations: 2 });
    expect(centre.sightings.top[0]).toMatchObject({ indicatorId: 'a', count: 3 });
  });
});

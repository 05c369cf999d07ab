import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Indicator } from '../intel/model.js';
import { TLP2_MARKINGS } from '../intel/stix/tlp.js';
import { intelViewer } from '../intel/tlp.js';
import { OrgTree } from '../orgs/tree.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import { collectionId, collectionsFor, indicatorObject, orgIdentityId, readCollectionPage } from './taxii-collections.js';
import { parseTaxiiFilter, type QueryValues } from './taxii-query.js';

const at = '2026-11-25T00:00:00.000Z';
const system = Scope.system('taxii collections test');
const org = (id: string, parentId: string | null, kind: Organization['kind']): Organization => ({ id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at });
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hcm', 'centre', 'province'), org('firm', 'centre', 'alliance')];
const tree = new OrgTree(orgs);

function indicator(n: number, patch: Partial<Indicator> = {}): Indicator {
  const time = new Date(Date.parse(at) + n * 1000).toISOString();
  return { id: `ind_${n}`, type: 'ipv4', value: `198.51.100.${n}`, source: 'test', confidence: 80, firstSeen: at, lastSeen: at, validUntil: null, killChain: [], attack: [], labels: [], description: null, tlp: 'green', ownerOrgId: 'firm', sharedWith: [], stixId: null, revoked: false, createdAt: at, updatedAt: time, ...patch };
}

describe('TAXII collections', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
    for (const o of orgs) store.orgs.create(system, o);
    store.indicators.upsert(system, [indicator(1), indicator(2, { ownerOrgId: 'hcm' }), indicator(3), indicator(4), indicator(5, { tlp: 'amber+strict', ownerOrgId: 'hcm' })]);
  });
  afterEach(() => store.close());

  const page = (query: QueryValues, viewerOrg = 'hn', tlp: 'green' | 'amber+strict' = 'green') => readCollectionPage(store.indicators, intelViewer(viewerOrg, tree), tree, tlp, parseTaxiiFilter(query, 1000, 100));
  const indicatorValues = (p: ReturnType<typeof page>) => p.entries.filter((e) => e.object.type === 'indicator').map((e) => /'([^']+)'/.exec(String(e.object.pattern))?.[1]);

  it('has stable ids and an inbox only for writers', () => {
    expect(collectionId('indicators-green')).toBe(collectionId('indicators-green'));
    expect(collectionsFor(false).map((c) => c.name)).toEqual(['indicators-clear', 'indicators-green', 'indicators-amber', 'indicators-amber-strict', 'indicators-red']);
    expect(collectionsFor(true).at(-1)).toMatchObject({ name: 'alliance-inbox', canRead: false, canWrite: true });
  });

  it('pages in date-added order with limit and next, headers from the indicators', () => {
    const first = page({ limit: '2' });
    expect(indicatorValues(first)).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(first).toMatchObject({ more: true, firstAdded: Date.parse(at) + 1000, lastAdded: Date.parse(at) + 2000 });
    // The marking and both owners' identities ride along, before the indicators.
    expect(first.entries.slice(0, 3).map((e) => e.object.id)).toEqual([TLP2_MARKINGS.green.id, orgIdentityId('firm'), orgIdentityId('hcm')]);
    const second = page({ limit: '2', next: first.next as string });
    expect(indicatorValues(second)).toEqual(['198.51.100.3', '198.51.100.4']);
    expect(second.more).toBe(false);
    expect(second.next).toBeNull();
  });

  it('filters by added_after (exclusive), match[type] and match[id]', () => {
    expect(indicatorValues(page({ added_after: new Date(Date.parse(at) + 2000).toISOString() }))).toEqual(['198.51.100.3', '198.51.100.4']);
    expect(page({ 'match[type]': 'indicator' }).entries.every((e) => e.object.type === 'indicator')).toBe(true);
    expect(page({ 'match[type]': 'identity' }).entries.map((e) => e.object.id)).toEqual([orgIdentityId('firm'), orgIdentityId('hcm')]);
    const wanted = indicatorObject(indicator(3)).id;
    expect(page({ 'match[id]': wanted }).entries.map((e) => e.object.id)).toEqual([wanted]);
    expect(page({ 'match[id]': orgIdentityId('hcm') }).entries.map((e) => e.object.id)).toEqual([orgIdentityId('hcm')]);
  });

  it('serves only what TLP lets the reader see', () => {
    expect(indicatorValues(page({}, 'hn', 'amber+strict'))).toEqual([]);
    expect(indicatorValues(page({}, 'hcm', 'amber+strict'))).toEqual(['198.51.100.5']);
    expect(indicatorValues(page({}, 'centre', 'amber+strict'))).toEqual(['198.51.100.5']);
  });

  it('brings a revoked indicator back after added_after, marked revoked', () => {
    const before = page({});
    store.indicators.revoke(system, 'ind_1', new Date(Date.parse(at) + 60_000).toISOString());
    const after = page({ added_after: new Date(before.lastAdded as number).toISOString(), 'match[type]': 'indicator' });
    expect(after.entries.map((e) => e.object.revoked)).toEqual([true]);
  });
});

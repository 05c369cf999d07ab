/**
 * @module store/intel-feeds.suite
 * Conformance suite for the intelligence feeds of a Store: a feed is listed, read, changed,
 * deleted and has its run state written only within its organisation's scope (anything else is
 * "not found"), ids are unique, and a change of where a feed reads from forgets its cursor.
 * Every Store implementation runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { IntelFeed } from '../intel/feed-model.js';
import { OrgTree } from '../orgs/tree.js';
import type { Store } from './store.js';

const system = Scope.system('intel feeds conformance suite');
const at = '2026-11-25T00:00:00.000Z';
const later = '2026-11-25T01:00:00.000Z';

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at,
});
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'), org('hcm', 'centre', 'province')];
const tree = new OrgTree(orgs);

function feed(id: string, patch: Partial<IntelFeed> = {}): IntelFeed {
  return {
    id, orgId: 'hn', name: id, kind: 'csv-url', url: `https://feeds.example/${id}.csv`, collectionId: null, tokenEnv: null, everyMinutes: 60,
    tlpDefault: 'amber', enabled: true, createdAt: at, updatedAt: at, ...patch,
  };
}

export function runIntelFeedStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name}: intelligence feeds conformance`, () => {
    let store: Store;
    const hanoi = Scope.subtree('hn', tree);
    const hcm = Scope.subtree('hcm', tree);
    beforeEach(async () => {
      store = await open();
      for (const o of orgs) store.orgs.create(system, o);
    });
    afterEach(() => store.close());

    it('keeps each feed within its organisation’s subtree', () => {
      const created = store.intelFeeds.create(hanoi, feed('hn-list'));
      expect(created).toMatchObject({ id: 'hn-list', orgId: 'hn', enabled: true, lastRunAt: null, lastSuccessAt: null, lastError: null, failures: 0, nextRunAt: null, cursor: null, lastAdded: 0 });
      store.intelFeeds.create(hanoi, feed('agency-list', { orgId: 'hn-a' }));
      store.intelFeeds.create(hcm, feed('hcm-taxii', { orgId: 'hcm', kind: 'taxii', collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HCM' }));
      expect(() => store.intelFeeds.create(hanoi, feed('sneaky', { orgId: 'hcm' }))).toThrow(/outside your scope/);

      // By organisation ('hn' before 'hn-a'), then id.
      expect(store.intelFeeds.list(hanoi).map((f) => f.id)).toEqual(['hn-list', 'agency-list']);
      expect(store.intelFeeds.list(Scope.subtree('hn-a', tree)).map((f) => f.id)).toEqual(['agency-list']);
      expect(store.intelFeeds.list(system).map((f) => f.id).sort()).toEqual(['agency-list', 'hcm-taxii', 'hn-list']);
      expect(store.intelFeeds.get(hcm, 'hn-list')).toBeNull();
      expect(store.intelFeeds.get(hcm, 'hcm-taxii')).toMatchObject({ kind: 'taxii', collectionId: 'c1', tokenEnv: 'VIGIL_FEED_TOKEN_HCM' });

      expect(() => store.intelFeeds.update(hcm, 'hn-list', { enabled: false }, later)).toThrow(/Feed hn-list not found/);
      expect(store.intelFeeds.delete(hcm, 'hn-list')).toBe(false);
      expect(store.intelFeeds.recordRun(hcm, 'hn-list', { lastError: 'x' })).toBe(false);
      expect(store.intelFeeds.get(hanoi, 'hn-list')).toMatchObject({ enabled: true, lastError: null });
      expect(store.intelFeeds.delete(hanoi, 'hn-list')).toBe(true);
      expect(store.intelFeeds.get(system, 'hn-list')).toBeNull();
      expect(store.intelFeeds.delete(hanoi, 'hn-list')).toBe(false);
    });

    it('refuses a taken id, an unknown organisation and what the table must never hold', () => {
      store.intelFeeds.create(hanoi, feed('one'));
      expect(() => store.intelFeeds.create(hcm, feed('one', { orgId: 'hcm' }))).toThrow(/feed one already exists/);
      expect(() => store.intelFeeds.create(system, feed('orphan', { orgId: 'nowhere' }))).toThrow(/Organisation nowhere not found/);
      expect(() => store.intelFeeds.create(hanoi, feed('local', { url: 'file:///etc/passwd' }))).toThrow(/http/);
      expect(() => store.intelFeeds.create(hanoi, feed('taxii', { kind: 'taxii' }))).toThrow(/collectionId/);
      expect(() => store.intelFeeds.create(hanoi, feed('zero', { everyMinutes: 0 }))).toThrow(/everyMinutes/);
      expect(() => store.intelFeeds.update(hanoi, 'one', { url: 'ftp://feeds.example/x' }, later)).toThrow(/http/);
    });

    it('records runs, and forgets the cursor when the feed reads somewhere else', () => {
      store.intelFeeds.create(hanoi, feed('misp', { kind: 'misp-feed', url: 'https://misp.example/feed/' }));
      expect(store.intelFeeds.recordRun(hanoi, 'misp', { lastRunAt: at, lastSuccessAt: at, lastAdded: 5, lastUpdated: 2, nextRunAt: later, cursor: '1764028800', lastError: 'e'.repeat(5000) })).toBe(true);
      const ran = store.intelFeeds.get(hanoi, 'misp');
      expect(ran).toMatchObject({ lastRunAt: at, lastSuccessAt: at, lastAdded: 5, lastUpdated: 2, nextRunAt: later, cursor: '1764028800' });
      expect(ran?.lastError?.length).toBeLessThan(5000);

      // A new interval moves the next run to the last run plus it; the cursor stays.
      expect(store.intelFeeds.update(hanoi, 'misp', { everyMinutes: 15, name: 'CIRCL' }, later)).toMatchObject({ everyMinutes: 15, name: 'CIRCL', nextRunAt: '2026-11-25T00:15:00.000Z', cursor: '1764028800', updatedAt: later });
      // Paused and resumed: due at once.
      expect(store.intelFeeds.update(hanoi, 'misp', { enabled: false }, later)).toMatchObject({ enabled: false, nextRunAt: '2026-11-25T00:15:00.000Z' });
      expect(store.intelFeeds.update(hanoi, 'misp', { enabled: true }, later)).toMatchObject({ enabled: true, nextRunAt: null, cursor: '1764028800' });
      // Another URL is another source: read from the start, now.
      store.intelFeeds.recordRun(hanoi, 'misp', { nextRunAt: later, failures: 3 });
      expect(store.intelFeeds.update(hanoi, 'misp', { url: 'https://other.example/feed/' }, later)).toMatchObject({ url: 'https://other.example/feed/', cursor: null, nextRunAt: null, failures: 0, lastAdded: 5 });
      // A patch of undefined members changes nothing but the time.
      expect(store.intelFeeds.update(hanoi, 'misp', { name: undefined }, later)).toMatchObject({ name: 'CIRCL' });
    });
  });
}

/**
 * @module store/intel.suite
 * Conformance suite for the intelligence side of a Store: indicators upserted once per source and
 * owner, read through TLP 2.0 over the tree (the same answers as intel/tlp.ts `maySee`, checked
 * for every level, owner and reader), revoked, followed by version; sightings recorded once and
 * read within a scope. Every Store implementation runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { tlpLevels, type Indicator, type Tlp } from '../intel/model.js';
import { intelViewer, maySee } from '../intel/tlp.js';
import { OrgTree } from '../orgs/tree.js';
import type { Store } from './store.js';

const system = Scope.system('intel conformance suite');
const at = '2026-11-25T00:00:00.000Z';

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at,
});
const orgs = [
  org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'),
  org('hcm', 'centre', 'province'), org('hcm-a', 'hcm', 'agency'), org('firm', 'centre', 'alliance'),
];
const tree = new OrgTree(orgs);

function indicator(id: string, patch: Partial<Indicator> = {}): Indicator {
  return {
    id, type: 'ipv4', value: `203.0.113.${id.length}`, source: 'test', confidence: 80, firstSeen: at, lastSeen: at, validUntil: null,
    killChain: [], attack: ['T1190'], labels: ['scanner'], description: null, tlp: 'green', ownerOrgId: 'firm', sharedWith: [],
    stixId: null, revoked: false, createdAt: at, updatedAt: at, ...patch,
  };
}

export function runIntelStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name}: intelligence conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      for (const o of orgs) store.orgs.create(system, o);
    });
    afterEach(() => store.close());

    it('reads through TLP 2.0 exactly as intel/tlp.ts decides, for every level, owner and reader', () => {
      const all: Indicator[] = [];
      for (const tlp of tlpLevels) {
        for (const owner of orgs) {
          for (const sharedWith of [[], ['hcm']]) all.push(indicator(`i-${tlp}-${owner.id}-${sharedWith.length}`, { tlp: tlp as Tlp, ownerOrgId: owner.id, sharedWith, value: `198.51.100.${all.length}` }));
        }
      }
      store.indicators.upsert(system, all);
      for (const reader of orgs) {
        const viewer = intelViewer(reader.id, tree);
        const expected = all.filter((i) => maySee(i, reader.id, tree)).map((i) => i.id).sort();
        const listed = store.indicators.list(viewer, { limit: 1000, now: Date.parse(at) }).items.map((i) => i.id).sort();
        expect(listed, `reader ${reader.id}`).toEqual(expected);
        for (const i of all) expect(store.indicators.get(viewer, i.id) !== null, `${reader.id} reading ${i.id}`).toBe(expected.includes(i.id));
      }
      // The issue's own example: a province sees no AMBER+STRICT indicator of another province.
      expect(store.indicators.get(intelViewer('hn', tree), 'i-amber+strict-hcm-0')).toBeNull();
    });

    it('refreshes an indicator a source sends again instead of duplicating it', () => {
      store.indicators.upsert(system, [indicator('a', { lastSeen: '2026-11-20T00:00:00.000Z', confidence: 50 })]);
      const again = store.indicators.upsert(system, [indicator('a2', { value: indicator('a').value, lastSeen: '2026-11-24T00:00:00.000Z', confidence: 90 })]);
      expect(again).toMatchObject({ added: 0, updated: 1 });
      expect(again.stored[0]?.id).toBe('a');
      const other = store.indicators.upsert(system, [indicator('b', { value: indicator('a').value, source: 'another-feed' })]);
      expect(other.added).toBe(1);
      const viewer = intelViewer('centre', tree);
      expect(store.indicators.get(viewer, 'a')).toMatchObject({ confidence: 90, lastSeen: '2026-11-24T00:00:00.000Z', firstSeen: at });
      expect(store.indicators.list(viewer, { limit: 10, now: Date.parse(at), value: indicator('a').value }).items).toHaveLength(2);
    });

    it('keeps writes to the owner’s subtree, and revocation to it', () => {
      const hanoi = Scope.subtree('hn', tree);
      expect(() => store.indicators.upsert(hanoi, [indicator('x', { ownerOrgId: 'hcm' })])).toThrow(/outside your scope/);
      store.indicators.upsert(hanoi, [indicator('x', { ownerOrgId: 'hn-a' })]);
      expect(() => store.indicators.revoke(Scope.subtree('hcm', tree), 'x', at)).toThrow(/not found/i);
      expect(store.indicators.revoke(hanoi, 'x', '2026-11-25T01:00:00.000Z')).toMatchObject({ revoked: true });
      expect(store.indicators.find(hanoi, 'x')?.id).toBe('x');
      expect(store.indicators.find(Scope.subtree('hcm', tree), 'x')).toBeNull();
      const viewer = intelViewer('hn', tree);
      expect(store.indicators.list(viewer, { limit: 10, now: Date.parse(at) }).items).toEqual([]);
      expect(store.indicators.list(viewer, { limit: 10, now: Date.parse(at), all: true }).items.map((i) => i.id)).toEqual(['x']);
    });

    it('hides expired indicators unless asked, filters and pages', () => {
      store.indicators.upsert(system, [
        indicator('old', { value: '192.0.2.1', validUntil: '2026-11-01T00:00:00.000Z' }),
        indicator('d1', { type: 'domain', value: 'evil.example', description: 'Phishing kit', lastSeen: '2026-11-23T00:00:00.000Z' }),
        indicator('d2', { type: 'domain', value: 'bad.example', lastSeen: '2026-11-22T00:00:00.000Z' }),
        indicator('d3', { type: 'domain', value: 'worse.example', lastSeen: '2026-11-21T00:00:00.000Z' }),
      ]);
      const viewer = intelViewer('hn-a', tree);
      const now = Date.parse(at);
      expect(store.indicators.list(viewer, { limit: 10, now }).items.map((i) => i.id)).toEqual(['d1', 'd2', 'd3']);
      expect(store.indicators.list(viewer, { limit: 10, now, all: true }).items.map((i) => i.id)).toContain('old');
      expect(store.indicators.list(viewer, { limit: 10, now, text: 'phishing' }).items.map((i) => i.id)).toEqual(['d1']);
      const first = store.indicators.list(viewer, { limit: 2, now, type: 'domain' });
      expect(first.items.map((i) => i.id)).toEqual(['d1', 'd2']);
      expect(store.indicators.list(viewer, { limit: 2, now, type: 'domain', cursor: first.next as string }).items.map((i) => i.id)).toEqual(['d3']);
      expect(() => store.indicators.list(viewer, { limit: 2, now, type: 'ipv4', cursor: first.next as string })).toThrow(/cursor/);
    });

    it('follows every change by version', () => {
      store.indicators.upsert(system, [indicator('a'), indicator('bb')]);
      const first = store.indicators.changedSince(system, 0, 100);
      expect(first.items.map((i) => i.id).sort()).toEqual(['a', 'bb']);
      expect(store.indicators.changedSince(system, first.version, 100).items).toEqual([]);
      store.indicators.revoke(system, 'a', at);
      const next = store.indicators.changedSince(system, first.version, 100);
      expect(next.items.map((i) => [i.id, i.revoked])).toEqual([['a', true]]);
      expect(next.version).toBeGreaterThan(first.version);
      expect(() => store.indicators.changedSince(Scope.subtree('hn', tree), 0, 10)).toThrow();
      // A batch larger than a page is still read whole, page by page.
      store.indicators.upsert(system, Array.from({ length: 25 }, (_, k) => indicator(`bulk-${k}`, { value: `192.0.2.${k + 1}` })));
      let version = next.version;
      const seen: string[] = [];
      for (;;) {
        const page = store.indicators.changedSince(system, version, 10);
        seen.push(...page.items.map((i) => i.id));
        version = page.version;
        if (page.items.length < 10) break;
      }
      expect(seen).toHaveLength(25);
      expect(store.indicators.count(system)).toBe(27);
    });

    it('lists one TLP level in the order indicators were added or changed, through TLP, revocations included', () => {
      const time = (minute: number) => `2026-11-25T00:0${minute}:00.000Z`;
      store.indicators.upsert(system, [
        indicator('g1', { value: '192.0.2.11', updatedAt: time(1) }),
        indicator('g2', { value: '192.0.2.12', updatedAt: time(3) }),
        indicator('g3', { value: '192.0.2.13', updatedAt: time(3) }),
        indicator('s1', { value: '192.0.2.14', tlp: 'amber+strict', ownerOrgId: 'hcm', updatedAt: time(2) }),
        indicator('s2', { value: '192.0.2.15', tlp: 'amber+strict', ownerOrgId: 'hn', updatedAt: time(2) }),
      ]);
      const viewer = intelViewer('hn', tree);
      const green = store.indicators.listAddedAfter(viewer, { tlp: 'green', after: 0, limit: 10 });
      expect(green.map((r) => r.indicator.id)).toEqual(['g1', 'g2', 'g3']);
      expect(green.map((r) => r.addedAt)).toEqual([Date.parse(time(1)), Date.parse(time(3)), Date.parse(time(3))]);
      expect(store.indicators.listAddedAfter(viewer, { tlp: 'green', after: Date.parse(time(1)), limit: 10 }).map((r) => r.indicator.id)).toEqual(['g2', 'g3']);
      const second = green[1] as { addedAt: number; position: number };
      expect(store.indicators.listAddedAfter(viewer, { tlp: 'green', after: second.addedAt, afterPosition: second.position, limit: 10 }).map((r) => r.indicator.id)).toEqual(['g3']);
      expect(store.indicators.listAddedAfter(viewer, { tlp: 'green', after: 0, limit: 1 }).map((r) => r.indicator.id)).toEqual(['g1']);
      // A province sees its own AMBER+STRICT, never another province's.
      expect(store.indicators.listAddedAfter(viewer, { tlp: 'amber+strict', after: 0, limit: 10 }).map((r) => r.indicator.id)).toEqual(['s2']);
      store.indicators.revoke(system, 'g1', time(5));
      expect(store.indicators.listAddedAfter(viewer, { tlp: 'green', after: Date.parse(time(3)), limit: 10 }).map((r) => [r.indicator.id, r.indicator.revoked])).toEqual([['g1', true]]);
    });

    it('records each sighting once and reads them within the scope', () => {
      store.indicators.upsert(system, [indicator('a')]);
      const sighting = (orgId: string, seq: number) => ({ indicatorId: 'a', orgId, eventSeq: seq, eventTime: `2026-11-25T0${seq}:00:00.000Z`, field: 'source.ip', value: '203.0.113.1' });
      expect(store.sightings.record(system, [sighting('hn-a', 1), sighting('hcm-a', 2), sighting('hcm-a', 3)])).toBe(3);
      expect(store.sightings.record(system, [sighting('hn-a', 1)])).toBe(0);
      expect(store.sightings.list(system, 'a', 10).map((s) => s.eventSeq)).toEqual([3, 2, 1]);
      const hanoi = Scope.subtree('hn', tree);
      expect(store.sightings.list(hanoi, 'a', 10).map((s) => s.orgId)).toEqual(['hn-a']);
      expect(store.sightings.countByOrg(system, 'a')).toEqual([{ orgId: 'hcm-a', count: 2, lastSeen: '2026-11-25T03:00:00.000Z' }, { orgId: 'hn-a', count: 1, lastSeen: '2026-11-25T01:00:00.000Z' }]);
      expect(() => store.sightings.record(hanoi, [sighting('hcm-a', 9)])).toThrow(/outside your scope/);
    });
  });
}

/**
 * @module store/systems.suite
 * Conformance suite for information systems: stored and read back whole (software in order, the
 * budget measures derived), confined to the scope for every read and write, names unique per
 * organisation, filters (level, software, budget rule) and the software lookup advisories use.
 * Every Store implementation runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigilError } from '../core/errors.js';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { StoredInformationSystem } from '../inventory/model.js';
import { OrgTree } from '../orgs/tree.js';
import type { Store } from './store.js';

const system = Scope.system('systems conformance suite');
const at = '2026-11-25T00:00:00.000Z';
const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at,
});
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'), org('hcm', 'centre', 'province')];
const tree = new OrgTree(orgs);

const tomcat = (version: string | null) => ({
  cpe: `cpe:2.3:a:apache:tomcat:${version ?? '*'}:*:*:*:*:*:*:*`, part: 'a' as const, vendor: 'apache', product: 'tomcat', version,
});

function infoSystem(id: string, orgId: string, patch: Partial<StoredInformationSystem> = {}): StoredInformationSystem {
  return {
    id, orgId, name: `System ${id}`, description: null, owner: { unit: 'IT centre', person: null, contact: null }, securityLevel: 3,
    hostnames: [], urls: [], ipRanges: [], software: [], sensorIds: [], securityPlan: { approved: false, approvedOn: null },
    budget: { currency: 'VND', total: null, security: null }, createdAt: at, updatedAt: at, ...patch,
  };
}

export function runSystemStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name}: information systems conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      for (const o of orgs) store.orgs.create(system, o);
    });
    afterEach(() => store.close());

    it('stores a system whole and reads it back, with the budget measures', () => {
      const full = infoSystem('sys_portal', 'hn-a', {
        description: 'Cổng dịch vụ công', owner: { unit: 'Trung tâm CNTT', person: 'Nguyễn Văn A', contact: 'a@hanoi.gov.vn' }, securityLevel: 4,
        hostnames: ['dichvucong.hanoi.gov.vn', '*.dvc.hanoi.gov.vn'], urls: ['https://dichvucong.hanoi.gov.vn/dvc'], ipRanges: ['10.1.0.0/16', '2001:db8::/32'],
        software: [tomcat('9.0.80'), { cpe: 'cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts:*:*:*', part: 'o', vendor: 'canonical', product: 'ubuntu_linux', version: '22.04' }],
        sensorIds: ['sen_1'], securityPlan: { approved: true, approvedOn: '2026-03-01' }, budget: { currency: 'VND', total: 2_000_000_000, security: 150_000_000 },
      });
      store.systems.create(system, full);
      expect(store.systems.get(system, 'sys_portal')).toEqual({ ...full, securityBudgetShare: 0.075, securityBudgetBelowMinimum: true });
    });

    it('keeps every read and write to the scope', () => {
      store.systems.create(system, infoSystem('a', 'hn-a'));
      store.systems.create(system, infoSystem('b', 'hcm'));
      const hanoi = Scope.subtree('hn', tree);
      expect(store.systems.list(hanoi).map((s) => s.id)).toEqual(['a']);
      expect(store.systems.get(hanoi, 'b')).toBeNull();
      expect(() => store.systems.update(hanoi, 'b', { name: 'taken over' }, at)).toThrow(VigilError);
      expect(store.systems.delete(hanoi, 'b')).toBe(false);
      expect(() => store.systems.create(hanoi, infoSystem('c', 'hcm'))).toThrow(/outside your scope/);
      expect(store.systems.get(system, 'b')?.name).toBe('System b');
      expect(store.systems.list(Scope.single('hn')).map((s) => s.id)).toEqual([]);
    });

    it('refuses a second system of the same name in one organisation, and an unknown organisation', () => {
      store.systems.create(system, infoSystem('a', 'hn', { name: 'Portal' }));
      store.systems.create(system, infoSystem('b', 'hcm', { name: 'Portal' }));
      expect(() => store.systems.create(system, infoSystem('c', 'hn', { name: 'Portal' }))).toThrow(/already has a system named "Portal"/);
      store.systems.create(system, infoSystem('d', 'hn', { name: 'Other' }));
      expect(() => store.systems.update(system, 'd', { name: 'Portal' }, at)).toThrow(/already has a system named/);
      expect(() => store.systems.create(system, infoSystem('e', 'nowhere'))).toThrow(VigilError);
    });

    it('updates what is given, replaces the software list, and deletes', () => {
      store.systems.create(system, infoSystem('a', 'hn', { software: [tomcat('9.0.80')], hostnames: ['a.gov.vn'] }));
      const later = '2026-11-26T00:00:00.000Z';
      const updated = store.systems.update(system, 'a', { securityLevel: 5, software: [tomcat('10.1.16')] }, later);
      expect(updated).toMatchObject({ securityLevel: 5, hostnames: ['a.gov.vn'], software: [tomcat('10.1.16')], updatedAt: later, createdAt: at });
      expect(store.systems.update(system, 'a', { description: 'x' }, later).software).toEqual([tomcat('10.1.16')]);
      expect(store.systems.findSoftware(system, { product: 'tomcat' }).map((u) => u.software.version)).toEqual(['10.1.16']);
      expect(store.systems.delete(system, 'a')).toBe(true);
      expect(store.systems.get(system, 'a')).toBeNull();
      expect(store.systems.findSoftware(system, { product: 'tomcat' })).toEqual([]);
    });

    it('filters by level, software and the budget rule', () => {
      store.systems.create(system, infoSystem('low', 'hn', { securityLevel: 2, software: [tomcat('9.0.80')], budget: { currency: 'VND', total: 1000, security: 99 } }));
      store.systems.create(system, infoSystem('ok', 'hn-a', { securityLevel: 4, budget: { currency: 'VND', total: 1000, security: 100 } }));
      store.systems.create(system, infoSystem('unknown', 'hcm', { securityLevel: 4 }));
      const ids = (q: Parameters<Store['systems']['list']>[1]) => store.systems.list(system, q).map((s) => s.id).sort();
      expect(ids({ securityLevel: 4 })).toEqual(['ok', 'unknown']);
      expect(ids({ belowSecurityBudgetMinimum: true })).toEqual(['low']);
      expect(ids({ belowSecurityBudgetMinimum: false })).toEqual(['ok', 'unknown']);
      expect(ids({ vendor: 'Apache', product: 'TOMCAT' })).toEqual(['low']);
      expect(ids({ cpe: 'cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*' })).toEqual(['low']);
      expect(ids({ product: 'nginx' })).toEqual([]);
    });

    it('finds who runs a product, within the scope only', () => {
      store.systems.create(system, infoSystem('hn1', 'hn-a', { software: [tomcat('9.0.80'), tomcat('10.1.16')] }));
      store.systems.create(system, infoSystem('hcm1', 'hcm', { software: [tomcat(null)] }));
      const everywhere = store.systems.findSoftware(system, { vendor: 'apache', product: 'tomcat' });
      expect(everywhere.map((u) => [u.system.id, u.software.version])).toEqual([['hcm1', null], ['hn1', '9.0.80'], ['hn1', '10.1.16']]);
      expect(everywhere[1]?.system.software).toHaveLength(2);
      expect(store.systems.findSoftware(Scope.subtree('hn', tree), { product: 'tomcat' }).map((u) => u.system.id)).toEqual(['hn1', 'hn1']);
      expect(store.systems.findSoftware(Scope.subtree('hcm', tree), { vendor: 'apache' }).map((u) => u.system.id)).toEqual(['hcm1']);
      expect(() => store.systems.findSoftware(system, {})).toThrow(VigilError);
    });
  });
}

/**
 * @module store/detection.suite
 * Conformance suite for the detection side of a Store: alerts (insert-once by id, scoped lists
 * with pagination, acknowledge and close), rule exceptions and settings, and consumer state saved
 * atomically with the cursor. Every Store implementation runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigilError } from '../core/errors.js';
import type { Alert, OrgKind, Organization } from '../core/model.js';
import { Scope, type OrgHierarchy } from '../core/scope.js';
import type { Store } from './store.js';

const system = Scope.system('detection conformance suite');
const created = '2026-11-25T00:00:00.000Z';

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: created,
});

const hierarchy: OrgHierarchy = {
  subtreeIds: (id) => ({ root: ['root', 'hn', 'hn-a', 'hcm'], hn: ['hn', 'hn-a'], 'hn-a': ['hn-a'], hcm: ['hcm'] })[id] ?? [],
  isRoot: (id) => id === 'root',
};

function alert(id: string, orgId: string, minute: number, patch: Partial<Alert> = {}): Alert {
  return {
    id, orgId, ruleId: 'rule-sqli', ruleTitle: 'SQL injection', kind: 'detection', severity: 'high', tags: ['attack.t1190'],
    eventTime: new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString(), createdAt: created, eventSeqs: [minute], matchedFields: ['cs-uri-query'],
    group: null, status: 'open', resolution: null, acknowledgedBy: null, acknowledgedAt: null, closedBy: null, closedAt: null, note: null, details: null, systemId: null, ...patch,
  };
}

export function runDetectionStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name}: detection conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      for (const o of [org('root', null, 'national'), org('hn', 'root', 'province'), org('hn-a', 'hn', 'agency'), org('hcm', 'root', 'province')]) store.orgs.create(system, o);
    });
    afterEach(() => store.close());

    it('stores an alert once, whatever the number of replays', () => {
      expect(store.alerts.insert(system, [alert('a1', 'hn-a', 1), alert('a2', 'hcm', 2)])).toBe(2);
      expect(store.alerts.insert(system, [alert('a1', 'hn-a', 1), alert('a3', 'hn-a', 3)])).toBe(1);
      expect(store.alerts.list(system, { limit: 10 }).items.map((a) => a.id)).toEqual(['a3', 'a2', 'a1']);
    });

    it('keeps each organisation to its subtree', () => {
      store.alerts.insert(system, [alert('a1', 'hn-a', 1), alert('a2', 'hcm', 2)]);
      const hanoi = Scope.subtree('hn', hierarchy);
      expect(store.alerts.list(hanoi, { limit: 10 }).items.map((a) => a.id)).toEqual(['a1']);
      expect(store.alerts.get(hanoi, 'a2')).toBeNull();
      expect(() => store.alerts.update(hanoi, 'a2', { status: 'acknowledged', by: 'x', at: created })).toThrow(VigilError);
      expect(() => store.alerts.insert(hanoi, [alert('a9', 'hcm', 9)])).toThrow(/outside your scope/);
      expect(store.alerts.countByRule(hanoi).get('rule-sqli')?.hits).toBe(1);
    });

    it('pages newest first and filters', () => {
      store.alerts.insert(system, Array.from({ length: 5 }, (_, i) => alert(`a${i}`, 'hn-a', i, i === 2 ? { severity: 'low' } : {})));
      const first = store.alerts.list(system, { limit: 2 });
      expect(first.items.map((a) => a.id)).toEqual(['a4', 'a3']);
      const second = store.alerts.list(system, { limit: 2, cursor: first.next as string });
      expect(second.items.map((a) => a.id)).toEqual(['a2', 'a1']);
      expect(store.alerts.list(system, { limit: 10, severity: 'low' }).items.map((a) => a.id)).toEqual(['a2']);
      store.alerts.insert(system, [alert('b1', 'hn-a', 7, { kind: 'behaviour', details: { summary: '41 failed logins', measures: { failures: 41, accounts: 12 } }, group: { 'source.ip': '203.0.113.7' } })]);
      expect(store.alerts.list(system, { limit: 10, kind: 'behaviour' }).items).toEqual([
        expect.objectContaining({ id: 'b1', kind: 'behaviour', details: { summary: '41 failed logins', measures: { failures: 41, accounts: 12 } }, group: { 'source.ip': '203.0.113.7' } }),
      ]);
      expect(store.alerts.get(system, 'a1')?.details).toBeNull();
      expect(() => store.alerts.list(system, { limit: 2, status: 'open', cursor: first.next as string })).toThrow(/cursor/);
    });

    it('keeps the system an alert is attributed to, and filters by it', () => {
      store.alerts.insert(system, [alert('a1', 'hn-a', 1, { systemId: 'sys_portal' }), alert('a2', 'hn-a', 2), alert('a3', 'hcm', 3, { systemId: 'sys_portal' })]);
      expect(store.alerts.get(system, 'a1')?.systemId).toBe('sys_portal');
      expect(store.alerts.get(system, 'a2')?.systemId).toBeNull();
      expect(store.alerts.list(system, { limit: 10, systemId: 'sys_portal' }).items.map((a) => a.id)).toEqual(['a3', 'a1']);
      expect(store.alerts.list(Scope.subtree('hn', hierarchy), { limit: 10, systemId: 'sys_portal' }).items.map((a) => a.id)).toEqual(['a1']);
    });

    it('acknowledges, then closes with a resolution', () => {
      store.alerts.insert(system, [alert('a1', 'hn-a', 1)]);
      const acked = store.alerts.update(system, 'a1', { status: 'acknowledged', by: 'usr_op', at: '2026-11-25T09:00:00.000Z' });
      expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'usr_op', acknowledgedAt: '2026-11-25T09:00:00.000Z' });
      const closed = store.alerts.update(system, 'a1', { status: 'closed', resolution: 'false_positive', by: 'usr_an', at: '2026-11-25T10:00:00.000Z', note: 'scanner of the agency' });
      expect(closed).toMatchObject({ status: 'closed', resolution: 'false_positive', acknowledgedBy: 'usr_op', closedBy: 'usr_an', note: 'scanner of the agency' });
    });

    it('scopes rule exceptions and settings', () => {
      store.ruleExceptions.create(system, { id: 'e1', orgId: 'hn-a', ruleId: 'r1', field: 'host.name', value: 'scanner01', reason: 'authorised scanner', createdBy: 'u', createdAt: created });
      store.ruleExceptions.create(system, { id: 'e2', orgId: 'hcm', ruleId: 'r1', field: 'source.ip', value: '10.0.0.1', reason: 'monitoring', createdBy: 'u', createdAt: created });
      const hanoi = Scope.subtree('hn', hierarchy);
      expect(store.ruleExceptions.list(hanoi).map((e) => e.id)).toEqual(['e1']);
      expect(store.ruleExceptions.delete(hanoi, 'e2')).toBe(false);
      expect(store.ruleExceptions.delete(hanoi, 'e1')).toBe(true);
      store.ruleSettings.set(system, { ruleId: 'r1', orgId: null, enabled: false, updatedBy: 'u', updatedAt: created });
      store.ruleSettings.set(hanoi, { ruleId: 'r1', orgId: 'hn', enabled: true, updatedBy: 'u', updatedAt: created });
      expect(() => store.ruleSettings.set(hanoi, { ruleId: 'r1', orgId: null, enabled: true, updatedBy: 'u', updatedAt: created })).toThrow(VigilError);
      expect(() => store.ruleSettings.set(hanoi, { ruleId: 'r1', orgId: 'hcm', enabled: true, updatedBy: 'u', updatedAt: created })).toThrow(VigilError);
      expect(store.ruleSettings.list(hanoi).map((s) => [s.orgId, s.enabled])).toEqual([[null, false], ['hn', true]]);
    });

    it('saves consumer state together with the cursor', () => {
      store.consumerState.save(system, 'detect', 42, '{"v":1}');
      expect(store.consumerState.get(system, 'detect')).toBe('{"v":1}');
      expect(store.cursors.get(system, 'detect')).toBe(42);
      expect(() => store.consumerState.save(Scope.single('hn'), 'detect', 43, '{}')).toThrow(VigilError);
    });
  });
}

/**
 * @module store/delivery.suite
 * Conformance suite for contacts and the delivery outbox: contacts confined to the scope for every
 * read and write, unique per organisation, channel and address, their secret readable only through
 * `getStored`; a notification stored once with its deliveries in one transaction; due rows in order
 * of their next attempt; attempts, permanent failures and retries recorded as the worker reports
 * them. Every Store implementation runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigilError } from '../core/errors.js';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from '../orgs/tree.js';
import type { StoredContact } from '../warn/delivery-model.js';
import { routeNotification } from '../warn/delivery-routing.js';
import type { Notification } from '../warn/notification.js';
import type { Store } from './store.js';

const system = Scope.system('delivery conformance suite');
const at = '2026-11-25T00:00:00.000Z';
const t0 = Date.parse(at);
const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at,
});
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'), org('hcm', 'centre', 'province')];
const tree = new OrgTree(orgs);

function contact(id: string, orgId: string, patch: Partial<StoredContact> = {}): StoredContact {
  return {
    id, orgId, channel: 'email', name: id, address: `${id}@example.gov.vn`, language: 'vi', minSeverity: 'informational', digest: false, enabled: true,
    hasSecret: false, secret: null, createdAt: at, updatedAt: at, ...patch,
  };
}

function notification(id: string, orgId: string): Notification {
  return {
    id, kind: 'warning', subjectId: `wrn_${id}`, orgId, severity: 'high', tlp: 'amber', title: { vi: id, en: id }, text: { vi: '', en: '' },
    link: `/warnings/wrn_${id}`, data: { id }, createdAt: at,
  };
}

const route = (n: Notification, contacts: readonly StoredContact[]) => routeNotification(n, contacts, t0, 3_600_000);

export function runDeliveryStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name}: contacts and deliveries conformance`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      for (const o of orgs) store.orgs.create(system, o);
    });
    afterEach(() => store.close());

    it('keeps contacts in their scope, unique per organisation, channel and address, with the secret only for the worker', () => {
      const hn = Scope.subtree('hn', tree);
      store.contacts.create(hn, contact('c1', 'hn-a', { channel: 'webhook', address: 'https://hooks.example.vn/a', secret: 'whsec_x', hasSecret: true }));
      expect(() => store.contacts.create(hn, contact('c2', 'hcm'))).toThrow(VigilError);
      expect(() => store.contacts.create(system, contact('c3', 'hn-a', { channel: 'webhook', address: 'https://hooks.example.vn/a' }))).toThrow(/already has a webhook contact/);
      expect(store.contacts.get(hn, 'c1')).toMatchObject({ orgId: 'hn-a', hasSecret: true });
      expect(store.contacts.get(hn, 'c1')).not.toHaveProperty('secret');
      expect(store.contacts.getStored(hn, 'c1')?.secret).toBe('whsec_x');
      expect(store.contacts.get(Scope.subtree('hcm', tree), 'c1')).toBeNull();
      expect(() => store.contacts.update(Scope.subtree('hcm', tree), 'c1', { enabled: false }, at)).toThrow(/not found/);
      expect(store.contacts.delete(Scope.subtree('hcm', tree), 'c1')).toBe(false);
      expect(store.contacts.update(hn, 'c1', { language: 'en', enabled: false }, at)).toMatchObject({ language: 'en', enabled: false });
      expect(store.contacts.setSecret(hn, 'c1', 'whsec_y', at).hasSecret).toBe(true);
      expect(store.contacts.getStored(hn, 'c1')?.secret).toBe('whsec_y');
      expect(store.contacts.list(hn).map((c) => c.id)).toEqual(['c1']);
      expect(store.contacts.list(Scope.subtree('hcm', tree))).toEqual([]);
      expect(store.contacts.delete(hn, 'c1')).toBe(true);
    });

    it('stores a notification once, with its deliveries, and hands out due ones in order', () => {
      store.contacts.create(system, contact('c1', 'hn'));
      store.contacts.create(system, contact('c2', 'hn', { channel: 'webhook', address: 'https://hooks.example.vn/b', secret: 's', hasSecret: true }));
      expect(store.deliveries.enqueue(system, [notification('n1', 'hn'), notification('n2', 'hcm')], route, t0)).toEqual(['n1', 'n2']);
      expect(store.deliveries.enqueue(system, [notification('n1', 'hn')], route, t0 + 1)).toEqual([]);
      expect(() => store.deliveries.enqueue(Scope.subtree('hn', tree), [notification('n3', 'hcm')], route, t0)).toThrow(VigilError);

      expect(store.deliveries.list(system, { limit: 10 }).map((d) => [d.orgId, d.channel, d.status]).sort()).toEqual([
        ['hcm', 'none', 'no-contact'], ['hn', 'email', 'pending'], ['hn', 'webhook', 'pending'],
      ]);
      expect(store.deliveries.due(system, t0, ['webhook'], 10).map((d) => [d.delivery.channel, d.notification.id])).toEqual([['webhook', 'n1']]);
      expect(store.deliveries.due(system, t0 - 1, ['email', 'webhook'], 10)).toEqual([]);
      expect(store.deliveries.due(Scope.subtree('hcm', tree), t0, ['email', 'webhook'], 10)).toEqual([]);
      expect(store.deliveries.nextDueAt(system, ['email'])).toBe(t0);
      expect(store.deliveries.notification(Scope.subtree('hn', tree), 'n1')?.data).toEqual({ id: 'n1' });
      expect(store.deliveries.notification(Scope.subtree('hcm', tree), 'n1')).toBeNull();
    });

    it('records attempts, permanent failures, retries and deliveries', () => {
      store.contacts.create(system, contact('c1', 'hn'));
      store.deliveries.enqueue(system, [notification('n1', 'hn')], route, t0);
      const [due] = store.deliveries.due(system, t0, ['email'], 10);
      const id = due?.delivery.id as string;

      store.deliveries.markAttemptFailed(system, [id], 'connection refused', t0 + 5, t0 + 1000);
      expect(store.deliveries.get(system, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'connection refused', nextAttemptAt: new Date(t0 + 1000).toISOString() });
      expect(store.deliveries.due(system, t0 + 999, ['email'], 10)).toEqual([]);

      store.deliveries.markAttemptFailed(system, [id], 'HTTP 410', t0 + 1000, null);
      expect(store.deliveries.get(system, id)).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
      expect(() => store.deliveries.retryNow(Scope.subtree('hcm', tree), id, t0)).toThrow(/not found/);
      expect(store.deliveries.retryNow(Scope.subtree('hn', tree), id, t0 + 2000)).toMatchObject({ status: 'pending', attempts: 2 });

      store.deliveries.markDelivered(Scope.subtree('hcm', tree), [id], t0 + 3000);
      expect(store.deliveries.get(system, id)?.status).toBe('pending');
      store.deliveries.markDelivered(system, [id], t0 + 3000);
      expect(store.deliveries.get(system, id)).toMatchObject({ status: 'delivered', attempts: 3, lastError: null, deliveredAt: new Date(t0 + 3000).toISOString() });
      expect(() => store.deliveries.retryNow(system, id, t0)).toThrow(/only pending or failed/);
      expect(store.deliveries.list(system, { status: 'delivered', subjectId: 'wrn_n1', limit: 10 })).toHaveLength(1);
    });

    it('notes why a channel that cannot send waits, without counting an attempt', () => {
      store.contacts.create(system, contact('c1', 'hn'));
      store.deliveries.enqueue(system, [notification('n1', 'hn')], route, t0);
      store.deliveries.noteWaiting(system, 'email', 'no SMTP server', t0 + 1);
      expect(store.deliveries.list(system, { status: 'pending', limit: 10 })).toMatchObject([{ attempts: 0, lastError: 'no SMTP server' }]);
    });
  });
}

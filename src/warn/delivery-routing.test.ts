import { describe, expect, it } from 'vitest';
import type { StoredContact } from './delivery-model.js';
import { deliveryId, digestDueAt, routeNotification } from './delivery-routing.js';
import type { Notification } from './notification.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 25, 8, 20);

const contact = (id: string, extra: Partial<StoredContact> = {}): StoredContact => ({
  id, orgId: 'org_hn', channel: 'email', name: id, address: `${id}@hanoi.gov.vn`, language: 'vi', minSeverity: 'informational', digest: false,
  enabled: true, hasSecret: false, secret: null, createdAt: '', updatedAt: '', ...extra,
});

const notification = (severity: Notification['severity']): Notification => ({
  id: `ntf_${severity}`, kind: 'warning', subjectId: 'wrn_1', orgId: 'org_hn', severity, tlp: 'amber', title: { vi: 't', en: 't' },
  text: { vi: 'x', en: 'x' }, link: '/warnings/wrn_1', data: {}, createdAt: '',
});

describe('delivery routing', () => {
  it('sends at once, or at the end of the aligned digest window for low ones to digest e-mail contacts', () => {
    const contacts = [contact('now'), contact('digest', { digest: true }), contact('hook', { channel: 'webhook', digest: true })];
    const low = routeNotification(notification('low'), contacts, now, HOUR);
    expect(low.map((d) => [d.contactId, d.digest, d.nextAttemptAt])).toEqual([['now', false, now], ['digest', true, Date.UTC(2026, 10, 25, 9)], ['hook', false, now]]);
    const high = routeNotification(notification('high'), contacts, now, HOUR);
    expect(high.every((d) => !d.digest && d.nextAttemptAt === now)).toBe(true);
    expect(digestDueAt(Date.UTC(2026, 10, 25, 9), HOUR)).toBe(Date.UTC(2026, 10, 25, 10));
  });

  it('respects minimum severities and leaves a no-contact row when nobody takes it', () => {
    const contacts = [contact('high', { minSeverity: 'high' }), contact('off', { enabled: false })];
    expect(routeNotification(notification('critical'), contacts, now, HOUR).map((d) => d.contactId)).toEqual(['high']);
    expect(routeNotification(notification('medium'), contacts, now, HOUR)).toEqual([
      { id: deliveryId('ntf_medium', null), contactId: null, channel: 'none', address: null, status: 'no-contact', digest: false, nextAttemptAt: null, lastError: "severity medium is below every contact's minimum" },
    ]);
  });

  it('gives each notification and contact one stable delivery id', () => {
    expect(deliveryId('ntf_1', 'cnt_1')).toBe(deliveryId('ntf_1', 'cnt_1'));
    expect(deliveryId('ntf_1', 'cnt_1')).not.toBe(deliveryId('ntf_1', 'cnt_2'));
    expect(deliveryId('ntf_1', 'cnt_1')).toMatch(/^dlv_[0-9a-f]{32}$/);
  });
});

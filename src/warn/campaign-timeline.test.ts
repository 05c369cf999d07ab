import { describe, expect, it } from 'vitest';
import type { Campaign } from './campaign-model.js';
import { campaignTimeline } from './campaign-timeline.js';
import type { Delivery, DeliveryStatus } from './delivery-model.js';

const T0 = Date.UTC(2026, 10, 1, 8, 0);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const campaign: Campaign = {
  id: 'cmp_1', keyType: 'payload', keyValue: 'sqli-union', status: 'confirmed', title: 'SQL injection', technique: 't1190', severity: 'high',
  orgIds: ['hn', 'hcm'], alertCount: 2, indicators: [], software: [], firstSeen: iso(T0 - 10 * MIN), lastSeen: iso(T0), detectedAt: iso(T0),
  confirmedBy: 'system', confirmedAt: iso(T0), warningId: 'wrn_1', warnedAt: iso(T0 + MIN),
};
const warning = { id: 'wrn_1', issuedAt: iso(T0 + MIN), recipientOrgIds: ['hp', 'ct', 'byt'] };

let n = 0;
function delivery(orgId: string, status: DeliveryStatus, deliveredAt: number | null, kind: Delivery['kind'] = 'campaign', channel: Delivery['channel'] = 'email'): Delivery {
  n += 1;
  return {
    id: `dlv_${n}`, notificationId: `ntf_${orgId}`, contactId: channel === 'none' ? null : `ct_${n}`, orgId, subjectId: 'wrn_1', kind, severity: 'high', channel, address: null, status,
    digest: false, attempts: 1, nextAttemptAt: null, lastError: null, deliveredAt: deliveredAt === null ? null : iso(deliveredAt), createdAt: iso(T0 + MIN), updatedAt: iso(T0 + MIN),
  };
}

describe('campaign: from first detection to the last targeted organisation warned', () => {
  it('times each organisation by its first delivery and the campaign by the last organisation, ignoring escalations', () => {
    const t = campaignTimeline(campaign, warning, [
      delivery('hp', 'delivered', T0 + 3 * MIN, 'campaign', 'webhook'),
      delivery('hp', 'delivered', T0 + 2 * MIN),
      delivery('ct', 'delivered', T0 + 5 * MIN),
      delivery('byt', 'delivered', T0 + 4 * MIN),
      delivery('vn', 'delivered', T0 + 2 * 24 * 60 * MIN, 'escalation'),
    ]);
    expect(t).toMatchObject({
      state: 'complete', basis: 'delivery', recipients: 3, timedByDelivery: 3, timedByIssue: 0, undelivered: [],
      lastWarnedAt: iso(T0 + 5 * MIN), lastWarnedOrgId: 'ct', secondsFromDetection: 300, secondsFromFirstSeen: 900, lastDeliveryAt: iso(T0 + 5 * MIN),
      firstSeen: iso(T0 - 10 * MIN), detectedAt: iso(T0), issuedAt: iso(T0 + MIN), warningId: 'wrn_1',
    });
  });

  it('uses the issue time for organisations without a delivery record, and says so', () => {
    const mixed = campaignTimeline(campaign, warning, [delivery('hp', 'delivered', T0 + 2 * MIN), delivery('ct', 'no-contact', null, 'campaign', 'none')]);
    expect(mixed).toMatchObject({ state: 'complete', basis: 'mixed', timedByDelivery: 1, timedByIssue: 2, lastWarnedAt: iso(T0 + 2 * MIN), lastWarnedOrgId: 'hp', secondsFromDetection: 120 });
    const issued = campaignTimeline(campaign, warning, []);
    expect(issued).toMatchObject({ state: 'complete', basis: 'issued', timedByIssue: 3, lastWarnedAt: iso(T0 + MIN), secondsFromDetection: 60, secondsFromFirstSeen: 660 });
  });

  it('has no end while an organisation waits for a delivery (pending or failed)', () => {
    const t = campaignTimeline(campaign, warning, [
      delivery('hp', 'delivered', T0 + 2 * MIN), delivery('ct', 'pending', null), delivery('byt', 'failed', null), delivery('byt', 'failed', null, 'campaign', 'webhook'),
    ]);
    expect(t).toMatchObject({ state: 'incomplete', undelivered: ['byt', 'ct'], lastWarnedAt: null, basis: null, secondsFromDetection: null, timedByDelivery: 1 });
    // one delivered channel is enough for an organisation, whatever its other channels do
    const some = campaignTimeline(campaign, warning, [delivery('hp', 'pending', null, 'campaign', 'webhook'), delivery('hp', 'delivered', T0 + 2 * MIN)]);
    expect(some.undelivered).toEqual([]);
    // the last copy out can be later than the last organisation warned
    const later = campaignTimeline(campaign, { ...warning, recipientOrgIds: ['hp'] }, [delivery('hp', 'delivered', T0 + 2 * MIN), delivery('hp', 'delivered', T0 + 9 * MIN, 'campaign', 'webhook')]);
    expect(later).toMatchObject({ lastWarnedAt: iso(T0 + 2 * MIN), lastDeliveryAt: iso(T0 + 9 * MIN) });
  });

  it('reports a campaign without a warning (or with a draft) as not warned', () => {
    expect(campaignTimeline({ ...campaign, status: 'detected', warningId: null, warnedAt: null }, null, [])).toMatchObject({ state: 'not-warned', warningId: null, lastWarnedAt: null, recipients: 0 });
    expect(campaignTimeline(campaign, { ...warning, issuedAt: null }, [])).toMatchObject({ state: 'not-warned', warningId: 'wrn_1' });
  });
});

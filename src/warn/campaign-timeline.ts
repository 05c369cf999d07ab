/**
 * @module warn/campaign-timeline
 * For the centre: how long a campaign took from its first detection to the last organisation it
 * targeted being warned (issue 6, item 6). Two starting points are given, since they answer
 * different questions: `firstSeen` (the event time of the campaign's first alert — when the
 * attacker started) and `detectedAt` (when Vigil recognised the campaign).
 *
 * An organisation counts as warned at the earliest `deliveredAt` of the warning's deliveries to it
 * (escalations excluded): the moment a channel first accepted it for that organisation. When there is no delivery record for it
 * — no row at all, or only a `no-contact` row — its warning's issue time is used instead, and
 * `basis` says so (`issued`, or `mixed` when some organisations were timed either way). An
 * organisation whose deliveries are all still pending or failed is not warned yet: the campaign is
 * `incomplete`, with no end time, and the organisations are listed.
 */
import type { Campaign } from './campaign-model.js';
import type { Delivery } from './delivery-model.js';

export type CampaignWarnedState = 'not-warned' | 'incomplete' | 'complete';
export type CampaignWarnedBasis = 'delivery' | 'issued' | 'mixed';

export interface CampaignTimeline {
  campaignId: string;
  title: string;
  status: Campaign['status'];
  firstSeen: string;
  detectedAt: string;
  warningId: string | null;
  issuedAt: string | null;
  state: CampaignWarnedState;
  recipients: number;
  /** Recipients timed by a delivery record. */
  timedByDelivery: number;
  /** Recipients without a delivery record, timed by the warning's issue time. */
  timedByIssue: number;
  /** Recipients none of whose deliveries has gone through yet (pending or failed). */
  undelivered: string[];
  lastWarnedAt: string | null;
  lastWarnedOrgId: string | null;
  /**
   * The latest `deliveredAt` of any of the warning's deliveries (every channel of every recipient):
   * when the last copy went out, later than `lastWarnedAt` when an organisation has several channels.
   */
  lastDeliveryAt: string | null;
  /** How `lastWarnedAt` was established; null when there is none. */
  basis: CampaignWarnedBasis | null;
  secondsFromDetection: number | null;
  secondsFromFirstSeen: number | null;
}

export interface CampaignWarning {
  id: string;
  /** Null while it is a draft. */
  issuedAt: string | null;
  recipientOrgIds: readonly string[];
}

/**
 * The timeline of one campaign. `deliveries` are those whose subject is its warning (any kind; the
 * escalations among them are ignored). `warning` is null when the campaign has none (not confirmed).
 */
export function campaignTimeline(campaign: Campaign, warning: CampaignWarning | null, deliveries: readonly Delivery[]): CampaignTimeline {
  const base: CampaignTimeline = {
    campaignId: campaign.id,
    title: campaign.title,
    status: campaign.status,
    firstSeen: campaign.firstSeen,
    detectedAt: campaign.detectedAt,
    warningId: warning?.id ?? campaign.warningId,
    issuedAt: warning?.issuedAt ?? null,
    state: 'not-warned',
    recipients: warning?.recipientOrgIds.length ?? 0,
    timedByDelivery: 0,
    timedByIssue: 0,
    undelivered: [],
    lastWarnedAt: null,
    lastWarnedOrgId: null,
    lastDeliveryAt: null,
    basis: null,
    secondsFromDetection: null,
    secondsFromFirstSeen: null,
  };
  if (warning === null || warning.issuedAt === null || warning.recipientOrgIds.length === 0) return base;
  const issued = Date.parse(warning.issuedAt);

  const byOrg = new Map<string, { delivered: number | null; waiting: boolean }>();
  let lastDelivery: number | null = null;
  for (const d of deliveries) {
    if (d.subjectId !== warning.id || d.kind === 'escalation') continue;
    const entry = byOrg.get(d.orgId) ?? { delivered: null, waiting: false };
    if (d.status === 'delivered' && d.deliveredAt !== null) {
      const at = Date.parse(d.deliveredAt);
      if (entry.delivered === null || at < entry.delivered) entry.delivered = at;
      if (lastDelivery === null || at > lastDelivery) lastDelivery = at;
    } else if (d.status === 'pending' || d.status === 'failed') entry.waiting = true;
    byOrg.set(d.orgId, entry);
  }

  let last: { at: number; orgId: string } | null = null;
  for (const orgId of warning.recipientOrgIds) {
    const entry = byOrg.get(orgId);
    let at: number;
    if (entry !== undefined && entry.delivered !== null) {
      at = entry.delivered;
      base.timedByDelivery += 1;
    } else if (entry?.waiting === true) {
      base.undelivered.push(orgId);
      continue;
    } else {
      at = issued;
      base.timedByIssue += 1;
    }
    if (last === null || at > last.at || (at === last.at && orgId < last.orgId)) last = { at, orgId };
  }
  base.undelivered.sort();
  if (lastDelivery !== null) base.lastDeliveryAt = new Date(lastDelivery).toISOString();
  if (base.undelivered.length > 0 || last === null) return { ...base, state: 'incomplete' };
  return {
    ...base,
    state: 'complete',
    lastWarnedAt: new Date(last.at).toISOString(),
    lastWarnedOrgId: last.orgId,
    basis: base.timedByIssue === 0 ? 'delivery' : base.timedByDelivery === 0 ? 'issued' : 'mixed',
    secondsFromDetection: (last.at - Date.parse(campaign.detectedAt)) / 1000,
    secondsFromFirstSeen: (last.at - Date.parse(campaign.firstSeen)) / 1000,
  };
}

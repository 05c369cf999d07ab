/**
 * @module warn/delivery-routing
 * Which of an organisation's contacts receive a notification, and when: a contact takes it when it
 * is enabled and the severity reaches the contact's minimum; an e-mail contact with `digest` on
 * takes informational and low ones at the end of the current digest window (windows are aligned
 * on UTC multiples of the interval, so every such contact's digest leaves at the same moments).
 * When no contact takes it, one `no-contact` delivery records why, so the gap shows.
 */
import { createHash } from 'node:crypto';
import { digestSeverities, severityRank, type StoredContact } from './delivery-model.js';
import type { Notification } from './notification.js';
import type { NewDelivery } from '../store/store.js';

/** Deterministic for (notification, contact): the same on every retry, so receivers can deduplicate. */
export function deliveryId(notificationId: string, contactId: string | null): string {
  return `dlv_${createHash('sha256').update(`${notificationId}\n${contactId ?? '-'}`).digest('hex').slice(0, 32)}`;
}

/** The end of the digest window that contains `now`. */
export function digestDueAt(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs) * intervalMs + intervalMs;
}

export function routeNotification(n: Notification, contacts: readonly StoredContact[], now: number, digestIntervalMs: number): NewDelivery[] {
  const enabled = contacts.filter((c) => c.enabled);
  const taking = enabled.filter((c) => severityRank(n.severity) >= severityRank(c.minSeverity));
  if (taking.length === 0) {
    const why = enabled.length === 0 ? 'the organisation has no enabled contact' : `severity ${n.severity} is below every contact's minimum`;
    return [{ id: deliveryId(n.id, null), contactId: null, channel: 'none', address: null, status: 'no-contact', digest: false, nextAttemptAt: null, lastError: why }];
  }
  return taking.map((c) => {
    const digest = c.channel === 'email' && c.digest && digestSeverities.has(n.severity);
    return {
      id: deliveryId(n.id, c.id),
      contactId: c.id,
      channel: c.channel,
      address: c.address,
      status: 'pending',
      digest,
      nextAttemptAt: digest ? digestDueAt(now, digestIntervalMs) : now,
      lastError: null,
    };
  });
}

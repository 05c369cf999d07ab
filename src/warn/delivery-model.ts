/**
 * @module warn/delivery-model
 * The records of delivery: an organisation's contacts (where and how its notifications go) and the
 * outbox (one delivery per notification and contact, with every attempt's outcome). A delivery is
 * `pending` until its channel accepted it (`delivered`) or refused it for good (`failed`): a dead
 * endpoint keeps it pending, retried with backoff, so a warning is never lost. A notification for
 * an organisation none of whose contacts take it is kept as one `no-contact` delivery, so that the
 * gap is visible instead of silent.
 */
import { alertSeverities, type AlertSeverity } from '../core/model.js';
import type { NotificationKind } from './notification.js';

export const contactChannels = ['email', 'webhook'] as const;
export type ContactChannel = (typeof contactChannels)[number];

export const contactLanguages = ['vi', 'en'] as const;
export type ContactLanguage = (typeof contactLanguages)[number];

export interface Contact {
  id: string;
  orgId: string;
  channel: ContactChannel;
  /** Who or what this is, e.g. "SOC on duty" or "ticketing system". */
  name: string;
  /** An e-mail address, or the webhook's https URL. */
  address: string;
  language: ContactLanguage;
  /** Notifications below this severity are not sent to this contact. */
  minSeverity: AlertSeverity;
  /** E-mail only: informational and low notifications wait for the next digest instead of going at once. */
  digest: boolean;
  enabled: boolean;
  /** True for a webhook, whose signing secret is shown once at creation (and on rotation), never again. */
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A contact as stored: with the webhook's signing secret, which never leaves the delivery side. */
export interface StoredContact extends Contact {
  secret: string | null;
}

export type ContactPatch = Partial<Pick<Contact, 'name' | 'address' | 'language' | 'minSeverity' | 'digest' | 'enabled'>>;

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'no-contact'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface Delivery {
  /** Deterministic for (notification, contact): webhooks send it as `X-Vigil-Delivery` for idempotency. */
  id: string;
  notificationId: string;
  /** Null for `no-contact`, or when the contact was deleted afterwards. */
  contactId: string | null;
  orgId: string;
  /** The warning or campaign the notification is about. */
  subjectId: string;
  kind: NotificationKind;
  severity: AlertSeverity;
  channel: ContactChannel | 'none';
  /** The address at the time it was queued. */
  address: string | null;
  status: DeliveryStatus;
  /** True when it waits for the contact's digest. */
  digest: boolean;
  attempts: number;
  /** When the worker will next try it (pending only). */
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Severities that a contact with `digest` on receives in the digest rather than at once. */
export const digestSeverities: ReadonlySet<AlertSeverity> = new Set(['informational', 'low']);

export function severityRank(severity: AlertSeverity): number {
  return alertSeverities.indexOf(severity);
}

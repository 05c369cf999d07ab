/**
 * @module warn/notification
 * What the warning side hands to delivery: one notification per recipient organisation and
 * purpose (a warning issued, an escalation of an overdue one, a reminder). Delivery (warn/delivery)
 * renders it for each of the organisation's contacts in their language, sends it over their
 * channels and records every attempt; the warning side never waits for a channel.
 */
import type { AlertSeverity } from '../core/model.js';
import type { Tlp } from '../intel/model.js';

export const notificationKinds = ['warning', 'escalation', 'reminder', 'campaign'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export interface LocalisedText {
  vi: string;
  en: string;
}

export interface Notification {
  /** Deterministic for (kind, subject, recipient, step): enqueuing it twice delivers it once. */
  id: string;
  kind: NotificationKind;
  /** The warning (or campaign) it is about. */
  subjectId: string;
  /** The recipient organisation. */
  orgId: string;
  severity: AlertSeverity;
  tlp: Tlp;
  title: LocalisedText;
  text: LocalisedText;
  /** Where the dashboard shows it, e.g. `/warnings/wrn_…`. */
  link: string;
  /** Machine-readable payload for webhooks (the warning as the API shows it to the recipient). */
  data: Record<string, unknown>;
  createdAt: string;
}

export interface NotificationSink {
  /** Queues notifications durably (an id already queued is ignored); never blocks on a channel. */
  enqueue(notifications: readonly Notification[]): void;
}

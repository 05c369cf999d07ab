/**
 * @module warn/delivery-outbox
 * The `NotificationSink` the warning side hands notifications to: it stores each new notification
 * with one delivery per contact that takes it (warn/delivery-routing) in one transaction, shows it
 * on the live stream, and wakes the worker. It never waits for a channel: sending is the worker's.
 */
import type { Clock } from '../core/clock.js';
import type { Metrics } from '../core/metrics.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import { routeNotification } from './delivery-routing.js';
import { notificationEvent, type LiveStream } from './live-stream.js';
import type { Notification, NotificationSink } from './notification.js';

const outboxScope = Scope.system('delivery queues notifications for their recipient organisations');

export interface DeliveryOutboxOptions {
  /** Width of the quiet-digest windows (warn/delivery-routing). */
  digestIntervalMs: number;
  /** Where newly queued notifications are shown at once (the dashboard's live stream). */
  stream?: LiveStream;
  /** Called with the notifications newly queued (not those seen before): wakes the worker, or carries them to another thread's stream. */
  onQueued?: (queued: readonly Notification[]) => void;
  metrics?: Pick<Metrics, 'notificationsQueued'>;
}

export class DeliveryOutbox implements NotificationSink {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DeliveryOutboxOptions,
  ) {}

  enqueue(notifications: readonly Notification[]): void {
    if (notifications.length === 0) return;
    const now = this.clock.now();
    const stored = new Set<string>(this.store.deliveries.enqueue(outboxScope, notifications, (n, contacts) => routeNotification(n, contacts, now, this.options.digestIntervalMs), now));
    const queued: Notification[] = [];
    for (const n of notifications) {
      // `delete`: a notification listed twice in one call is queued (and shown) once.
      const isNew = stored.delete(n.id);
      this.options.metrics?.notificationsQueued.inc({ kind: n.kind, result: isNew ? 'queued' : 'duplicate' });
      if (!isNew) continue;
      queued.push(n);
      this.options.stream?.publish(notificationEvent(n));
    }
    if (queued.length > 0) this.options.onQueued?.(queued);
  }
}

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

export class DeliveryOutbox implements NotificationSink {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: { digestIntervalMs: number; stream?: LiveStream; onQueued?: () => void; metrics?: Pick<Metrics, 'notificationsQueued'> },
  ) {}

  enqueue(notifications: readonly Notification[]): void {
    if (notifications.length === 0) return;
    const now = this.clock.now();
    const stored = new Set<string>(this.store.deliveries.enqueue(outboxScope, notifications, (n, contacts) => routeNotification(n, contacts, now, this.options.digestIntervalMs), now));
    const anyQueued = stored.size > 0;
    for (const n of notifications) {
      const queued = stored.delete(n.id);
      this.options.metrics?.notificationsQueued.inc({ kind: n.kind, result: queued ? 'queued' : 'duplicate' });
      if (queued) this.options.stream?.publish(notificationEvent(n));
    }
    if (anyQueued) this.options.onQueued?.();
  }
}

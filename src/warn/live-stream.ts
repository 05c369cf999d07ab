/**
 * @module warn/live-stream
 * The dashboard's live stream, in process: whoever has something to show (delivery's notifications;
 * detection's new alerts and new or grown incidents, `detectionEvents`) calls `publish`, and every subscriber whose scope includes the
 * event's organisation gets it. Subscribers are the open SSE connections of api/stream.ts. A slow
 * or failing subscriber is the transport's concern; `publish` never throws and never waits.
 */
import type { Scope } from '../core/scope.js';
import type { DetectionsReport } from '../detect/detections-report.js';
import type { Notification } from './notification.js';

export interface LiveEvent {
  /** The SSE event name: `notification`, `alert` or `incident`. */
  type: string;
  /** Unique per event (the SSE `id`). */
  id: string;
  /** The organisation it concerns: only users whose scope includes it see it. */
  orgId: string;
  data: unknown;
}

/** The event a notification is on the stream (the same wherever it was queued). */
export function notificationEvent(n: Notification): LiveEvent {
  return { type: 'notification', id: n.id, orgId: n.orgId, data: n };
}

let detectionSerial = 0;

/**
 * The events a detection batch is on the stream: one `alert` per organisation that got alerts
 * (`{ count, alerts }`, the count exact, the summaries bounded), one `incident` per incident
 * opened or grown (`change: 'created' | 'updated'`).
 */
export function detectionEvents(report: DetectionsReport): LiveEvent[] {
  const serial = ++detectionSerial;
  return [
    ...report.alerts.map((a) => ({ type: 'alert', id: `alerts-${serial}-${a.orgId}`, orgId: a.orgId, data: { orgId: a.orgId, count: a.count, alerts: a.alerts } })),
    ...report.incidents.map((i) => ({ type: 'incident', id: `${i.id}@${i.lastSeen}#${serial}`, orgId: i.orgId, data: i })),
  ];
}

type Listener = (event: LiveEvent) => void;

export class LiveStream {
  private readonly subscribers = new Set<{ scope: Scope; listener: Listener }>();

  /** Starts sending events in `scope` to `listener`; the result stops it. */
  subscribe(scope: Scope, listener: Listener): () => void {
    const entry = { scope, listener };
    this.subscribers.add(entry);
    return () => {
      this.subscribers.delete(entry);
    };
  }

  publish(event: LiveEvent): void {
    for (const { scope, listener } of this.subscribers) {
      if (!scope.includes(event.orgId)) continue;
      try {
        listener(event);
      } catch {
        // A broken connection is cleaned up by its own close handler.
      }
    }
  }

  get size(): number {
    return this.subscribers.size;
  }
}

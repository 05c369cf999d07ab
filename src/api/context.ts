/**
 * @module api/context
 * What the HTTP routes are given: the frozen configuration and the domain services. Routes are
 * thin — validate, call the domain, shape the reply — and reach nothing else.
 */
import type {} from '@fastify/swagger'; // route schemas' summary/tags (OpenAPI)
import type { Clock } from '../core/clock.js';
import type { VigilConfig } from '../core/config.js';
import type { Metrics } from '../core/metrics.js';
import type { DetectionControl } from '../detect/rule-set.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { RateLimiter } from '../ingest/rate-limit.js';
import type { SensorAuthenticator } from '../ingest/sensor-auth.js';
import type { Directory } from '../orgs/directory.js';
import type { Store } from '../store/store.js';
import type { WarningLists } from '../intel/warning-lists.js';
import type { FeedScheduler } from '../intel/feed-scheduler.js';
import type { LiveStream } from '../warn/live-stream.js';
import type { NotificationSink } from '../warn/notification.js';

export interface ApiContext {
  config: Readonly<VigilConfig>;
  store: Store;
  directory: Directory;
  ingest: IngestService;
  metrics: Metrics;
  clock: Clock;
  rateLimiter: RateLimiter;
  sensorAuth: SensorAuthenticator;
  /** Null when detection is switched off in the configuration. */
  detection: DetectionControl | null;
  /** Values that never raise an intelligence alert (configuration `intel.warningLists`). */
  warningLists: WarningLists;
  /** Intelligence feeds and their schedule (api/intel-feeds.ts); absent: the feed routes answer 404. */
  intelFeeds?: FeedScheduler;
  /** Where warnings, escalations and reminders are handed for delivery (warn/delivery-outbox). */
  notifications: NotificationSink;
  /** The dashboard's live stream (api/stream.ts) and a nudge for the delivery worker after a retry. */
  delivery?: { stream: LiveStream; wake: () => void };
  /** Liveness details for /healthz (e.g. syslog listeners' ports). */
  health: () => Record<string, unknown>;
}

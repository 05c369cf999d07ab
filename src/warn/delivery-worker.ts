/**
 * @module warn/delivery-worker
 * Sends what the outbox holds. On each look (`tick`) it takes the pending deliveries that are due,
 * renders each in its contact's language, sends it and records the outcome: delivered; failed for
 * good (warn/delivery-channels says when); or pending again after a backoff — the first delay,
 * doubled per failed attempt up to the maximum, less up to `jitter` of it at random so that many
 * deliveries to one dead receiver do not return in lock-step. There is no last attempt: a dead
 * endpoint keeps its warnings pending and visible, with the attempts and the last error, until it
 * comes back or someone retries or deletes it.
 *
 * Digest deliveries of one contact that are due together leave as one e-mail. Without an SMTP
 * host configured, e-mail deliveries are not attempted: they stay pending and say why.
 *
 * Time comes from the injected clock; the timer only says when to look, so tests move the clock and
 * call `tick` themselves.
 */
import { systemClock, type Clock } from '../core/clock.js';
import type { VigilConfig } from '../core/config.js';
import type { Metrics } from '../core/metrics.js';
import { Scope } from '../core/scope.js';
import type { HostLookup } from '../intel/feed-destination.js';
import type { DueDelivery, Store } from '../store/store.js';
import { EmailChannel, sendWebhook, type SendOutcome } from './delivery-channels.js';
import type { ContactChannel, StoredContact } from './delivery-model.js';
import { renderDigestEmail, renderNotificationEmail, renderWebhookBody } from './delivery-templates.js';

export type DeliveryConfig = VigilConfig['delivery'];

export interface DeliveryWorkerOptions {
  clock?: Clock;
  /** Where `smtp.passwordEnv` is read (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
  /** Uniform in [0, 1): the jitter (tests fix it). */
  random?: () => number;
  /** How webhook hosts are resolved for the private-network check (tests). */
  lookup?: HostLookup;
  /** Deliveries taken per look, at most. */
  batchSize?: number;
  /** Attempts are counted here (`/metrics`). */
  metrics?: Pick<Metrics, 'deliveryAttempts'>;
}

export interface TickResult {
  delivered: number;
  retrying: number;
  failed: number;
}

const workerScope = Scope.system('the delivery worker sends every organisation’s deliveries');

/** The wait before the next attempt after `attempts` failed ones. */
export function retryDelayMs(attempts: number, retry: DeliveryConfig['retry'], random: () => number): number {
  const full = Math.min(retry.maxDelaySeconds, retry.firstDelaySeconds * 2 ** Math.min(Math.max(attempts - 1, 0), 30)) * 1000;
  return Math.max(1, Math.round(full - full * retry.jitter * random()));
}

export class DeliveryWorker {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private readonly email: EmailChannel | null;
  /** Why e-mail cannot be sent; null when it can. */
  private readonly emailUnavailable: string | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickResult> | null = null;
  private again = false;
  private stopped = false;
  /** Cuts in-flight webhook requests short when the worker stops; they stay pending. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly config: DeliveryConfig,
    private readonly options: DeliveryWorkerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    const smtp = config.smtp;
    const env = options.env ?? process.env;
    const password = smtp.passwordEnv === undefined ? undefined : env[smtp.passwordEnv];
    if (smtp.host === undefined) this.emailUnavailable = 'e-mail is not configured (delivery.smtp.host); waiting until it is';
    else if (smtp.passwordEnv !== undefined && !password) this.emailUnavailable = `environment variable ${smtp.passwordEnv} (delivery.smtp.passwordEnv) is not set; waiting until it is`;
    else this.emailUnavailable = null;
    this.email = this.emailUnavailable === null && smtp.host !== undefined
      ? new EmailChannel({ host: smtp.host, port: smtp.port, secure: smtp.secure, ...(smtp.user !== undefined ? { user: smtp.user } : {}), ...(password !== undefined ? { password } : {}), from: smtp.from, timeoutMs: smtp.timeoutMs })
      : null;
  }

  /** The channels this worker can send on. */
  get channels(): ContactChannel[] {
    return this.email === null ? ['webhook'] : ['email', 'webhook'];
  }

  start(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setInterval(() => this.poke(), this.config.pollMs);
    this.timer.unref();
    this.poke();
  }

  /** Looks now (after the current look, when one is running). Used when something was queued or retried. */
  poke(): void {
    if (this.timer === null || this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.tick().catch((err: unknown) => this.log(`delivery: ${err instanceof Error ? err.message : String(err)}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.running?.catch(() => undefined);
    this.email?.close();
  }

  /** One look: sends every due delivery (up to the batch size). A second call while one runs joins it. */
  tick(): Promise<TickResult> {
    if (this.running !== null) return this.running;
    this.running = this.look().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.poke();
      }
    });
    return this.running;
  }

  private async look(): Promise<TickResult> {
    const now = this.clock.now();
    if (this.emailUnavailable !== null) this.store.deliveries.noteWaiting(workerScope, 'email', this.emailUnavailable, now);
    const limit = this.options.batchSize ?? 500;
    const due = this.store.deliveries.due(workerScope, now, this.channels, limit);
    const groups = new Map<string, DueDelivery[]>();
    for (const item of due) {
      const key = item.delivery.digest ? `digest:${item.delivery.contactId ?? ''}` : `one:${item.delivery.id}`;
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    const result: TickResult = { delivered: 0, retrying: 0, failed: 0 };
    const queue = [...groups.values()];
    const lanes = Array.from({ length: Math.min(this.config.concurrency, queue.length) }, async () => {
      for (let group = queue.shift(); group !== undefined && !this.stopped; group = queue.shift()) await this.deliver(group, result);
    });
    await Promise.all(lanes);
    // A full batch may have left due deliveries behind: look again as soon as this one is done.
    if (due.length >= limit) this.again = true;
    return result;
  }

  /** Sends one delivery, or one contact's digest, and records the outcome on every row of it. */
  private async deliver(group: DueDelivery[], result: TickResult): Promise<void> {
    const first = group[0] as DueDelivery;
    const ids = group.map((g) => g.delivery.id);
    const contact = first.delivery.contactId === null ? null : this.store.contacts.getStored(workerScope, first.delivery.contactId);
    let outcome: SendOutcome;
    if (contact === null) outcome = { ok: false, error: 'the contact was deleted', permanent: true };
    else if (!contact.enabled) outcome = { ok: false, error: 'the contact was disabled before delivery', permanent: true };
    else {
      try {
        outcome = await this.send(contact, group);
      } catch (err) {
        outcome = { ok: false, error: err instanceof Error ? err.message : String(err), permanent: false };
      }
    }
    const at = this.clock.now();
    const channel = first.delivery.channel;
    if (outcome.ok) {
      this.store.deliveries.markDelivered(workerScope, ids, at);
      result.delivered += ids.length;
      this.options.metrics?.deliveryAttempts.inc({ channel, outcome: 'delivered' }, ids.length);
      return;
    }
    const next = outcome.permanent ? null : at + retryDelayMs(first.delivery.attempts + 1, this.config.retry, this.random);
    this.store.deliveries.markAttemptFailed(workerScope, ids, outcome.error, at, next);
    if (next === null) result.failed += ids.length;
    else result.retrying += ids.length;
    this.options.metrics?.deliveryAttempts.inc({ channel, outcome: next === null ? 'failed' : 'retrying' }, ids.length);
  }

  private async send(contact: StoredContact, group: DueDelivery[]): Promise<SendOutcome> {
    const first = group[0] as DueDelivery;
    const dashboardUrl = this.config.dashboardUrl;
    if (contact.channel === 'email') {
      if (this.email === null) return { ok: false, error: this.emailUnavailable ?? 'e-mail is not configured', permanent: false };
      const email = first.delivery.digest
        ? renderDigestEmail(group.map((g) => g.notification), contact.language, dashboardUrl)
        : renderNotificationEmail(first.notification, contact.language, dashboardUrl);
      return this.email.send(contact.address, email, group.length === 1 ? first.delivery.id : `digest-${first.delivery.id}`);
    }
    if (contact.secret === null) return { ok: false, error: 'the webhook has no signing secret', permanent: true };
    const now = this.clock.now();
    const body = renderWebhookBody(first.delivery.id, first.notification, contact.language, new Date(now).toISOString());
    return sendWebhook(contact.address, contact.secret, first.delivery.id, body, Math.floor(now / 1000), {
      timeoutMs: this.config.webhooks.timeoutMs,
      signal: this.stopping.signal,
      allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks,
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    });
  }
}

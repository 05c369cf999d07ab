/**
 * Delivery against real receivers: e-mail to an SMTP server started here, in each contact's
 * language; webhooks to an HTTP server that verifies the signature; a receiver that is down keeps
 * its delivery pending, backing off on the injected clock, until it comes back and gets it exactly
 * once; permanent refusals; digests; idempotent enqueue and notifications nobody receives.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { configSchema } from '../src/core/config.js';
import { Metrics } from '../src/core/metrics.js';
import type { AlertSeverity } from '../src/core/model.js';
import { Scope } from '../src/core/scope.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import type { Store } from '../src/store/store.js';
import type { ContactChannel, StoredContact } from '../src/warn/delivery-model.js';
import { DeliveryOutbox } from '../src/warn/delivery-outbox.js';
import { DeliveryWorker, type DeliveryConfig } from '../src/warn/delivery-worker.js';
import type { Notification } from '../src/warn/notification.js';
import { newWebhookSecret, verifyWebhookSignature } from '../src/warn/webhook-signature.js';
import { startSmtpSink, startWebhookReceiver, type SmtpSink, type WebhookReceiver } from './delivery-support.js';

const system = Scope.system('delivery test');
const start = Date.UTC(2026, 10, 25, 8, 0, 0);
const HOUR = 3_600_000;

let smtp: SmtpSink;
let receiver: WebhookReceiver;
let store: Store;
let clock: ManualClock;
let outbox: DeliveryOutbox;
const workers: DeliveryWorker[] = [];

function deliveryConfig(overrides: Record<string, unknown> = {}): DeliveryConfig {
  return configSchema.parse({
    delivery: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'Vigil <canhbao@vigil.gov.vn>', timeoutMs: 5000 },
      webhooks: { allowPrivateNetworks: true, allowPlainHttp: true, timeoutMs: 2000 },
      retry: { firstDelaySeconds: 10, maxDelaySeconds: 80, jitter: 0.5 },
      dashboardUrl: 'https://vigil.example.gov.vn',
      ...overrides,
    },
  }).delivery;
}

/** A worker whose jitter always takes half of its share: every delay is 75% of the full one. */
function worker(config = deliveryConfig()): DeliveryWorker {
  const w = new DeliveryWorker(store, config, { clock, random: () => 0.5 });
  workers.push(w);
  return w;
}

function org(id: string, parentId: string | null): void {
  store.orgs.create(system, { id, parentId, code: id.toUpperCase().replace('_', '-'), nameVi: id, nameEn: id, kind: parentId === null ? 'national' : 'province', sector: null, region: null, demo: false, createdAt: '2026-01-01T00:00:00.000Z' });
}

let contacts = 0;
function contact(orgId: string, channel: ContactChannel, address: string, extra: Partial<StoredContact> = {}): StoredContact {
  const now = new Date(clock.now()).toISOString();
  const secret = channel === 'webhook' ? newWebhookSecret() : null;
  const c: StoredContact = {
    id: `cnt_test${++contacts}`, orgId, channel, name: `${channel} ${contacts}`, address, language: 'vi', minSeverity: 'informational', digest: false, enabled: true,
    hasSecret: secret !== null, secret, createdAt: now, updatedAt: now, ...extra,
  };
  store.contacts.create(system, c);
  return c;
}

let notifications = 0;
function notification(orgId: string, severity: AlertSeverity = 'high', extra: Partial<Notification> = {}): Notification {
  const n = ++notifications;
  return {
    id: `ntf_${n}`,
    kind: 'warning',
    subjectId: `wrn_${n}`,
    orgId,
    severity,
    tlp: 'amber',
    title: { vi: `Lỗ hổng nghiêm trọng trong Apache Tomcat #${n}`, en: `Critical Apache Tomcat vulnerability #${n}` },
    text: { vi: 'Cập nhật ngay lên phiên bản 9.0.99.', en: 'Upgrade to 9.0.99 now.' },
    link: `/warnings/wrn_${n}`,
    data: { warningId: `wrn_${n}`, indicators: ['203.0.113.7'] },
    createdAt: new Date(clock.now()).toISOString(),
    ...extra,
  };
}

const rows = (subjectId: string) => store.deliveries.list(system, { subjectId, limit: 100 });

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await smtp.close();
  await receiver.close();
});

beforeEach(() => {
  clock = new ManualClock(start);
  store = openSqliteStore({ path: ':memory:', synchronous: 'normal', clock });
  org('org_vn', null);
  org('org_hn', 'org_vn');
  org('org_hcm', 'org_vn');
  outbox = new DeliveryOutbox(store, clock, { digestIntervalMs: HOUR });
  smtp.messages.length = 0;
  smtp.rejected.clear();
  receiver.requests.length = 0;
  receiver.answer = 204;
});

afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  store.close();
});

describe('e-mail', () => {
  it('reaches a real SMTP server, in each contact’s language, with every value escaped in the HTML', async () => {
    contact('org_hn', 'email', 'soc@hanoi.gov.vn', { language: 'vi' });
    contact('org_hn', 'email', 'duty@hanoi.gov.vn', { language: 'en' });
    contact('org_hcm', 'email', 'soc@hcm.gov.vn');
    const n = notification('org_hn', 'high', { title: { vi: 'Tấn công <script>alert(1)</script> vào cổng', en: 'Attack <script>alert(1)</script> on the portal' } });
    outbox.enqueue([n]);

    expect(await worker().tick()).toEqual({ delivered: 2, retrying: 0, failed: 0 });

    expect(smtp.messages).toHaveLength(2);
    const vi = smtp.messages.find((m) => m.to.includes('soc@hanoi.gov.vn'));
    const en = smtp.messages.find((m) => m.to.includes('duty@hanoi.gov.vn'));
    expect(vi?.to).toEqual(['soc@hanoi.gov.vn']);
    expect(vi?.from).toBe('canhbao@vigil.gov.vn');
    expect(vi?.subject).toBe('[TLP:AMBER] Cảnh báo (Cao): Tấn công <script>alert(1)</script> vào cổng');
    expect(vi?.text).toContain('Cập nhật ngay lên phiên bản 9.0.99.');
    expect(vi?.text).toContain(`https://vigil.example.gov.vn/warnings/${n.subjectId}`);
    expect(vi?.text).toContain('TLP:AMBER — chỉ chia sẻ trong tổ chức');
    expect(vi?.html).not.toContain('<script>');
    expect(vi?.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(vi?.html).toContain(`href="https://vigil.example.gov.vn/warnings/${n.subjectId}"`);
    expect(en?.subject).toBe('[TLP:AMBER] Warning (High): Attack <script>alert(1)</script> on the portal');
    expect(en?.text).toContain('Upgrade to 9.0.99 now.');
    expect(en?.text).not.toContain('Cập nhật');

    const delivered = rows(n.subjectId);
    expect(delivered.map((d) => [d.channel, d.status, d.attempts])).toEqual([['email', 'delivered', 1], ['email', 'delivered', 1]]);
    expect(delivered.every((d) => d.deliveredAt === new Date(start).toISOString() && d.lastError === null)).toBe(true);
  });

  it('fails for good when the server refuses the mailbox (550), and only that recipient', async () => {
    contact('org_hn', 'email', 'gone@hanoi.gov.vn');
    contact('org_hn', 'email', 'soc@hanoi.gov.vn');
    smtp.rejected.add('gone@hanoi.gov.vn');
    const n = notification('org_hn');
    outbox.enqueue([n]);
    expect(await worker().tick()).toEqual({ delivered: 1, retrying: 0, failed: 1 });
    const gone = rows(n.subjectId).find((d) => d.address === 'gone@hanoi.gov.vn');
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(gone?.lastError).toMatch(/550/);
  });

  it('waits, pending and saying why, when no SMTP server is configured — and webhooks still go', async () => {
    contact('org_hn', 'email', 'soc@hanoi.gov.vn');
    contact('org_hn', 'webhook', receiver.url);
    const n = notification('org_hn');
    outbox.enqueue([n]);
    const w = worker(deliveryConfig({ smtp: {} }));
    expect(w.channels).toEqual(['webhook']);
    expect(await w.tick()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const email = rows(n.subjectId).find((d) => d.channel === 'email');
    expect(email).toMatchObject({ status: 'pending', attempts: 0 });
    expect(email?.lastError).toContain('delivery.smtp.host');
    expect(smtp.messages).toHaveLength(0);
  });

  it('batches low and informational notifications into one digest per interval; others go at once', async () => {
    contact('org_hn', 'email', 'soc@hanoi.gov.vn', { digest: true, language: 'en' });
    const low = [notification('org_hn', 'low'), notification('org_hn', 'informational', { tlp: 'green' }), notification('org_hn', 'low', { tlp: 'red' })];
    const high = notification('org_hn', 'high');
    clock.advance(10 * 60_000); // 08:10: the window ends at 09:00
    outbox.enqueue([...low, high]);
    const w = worker();

    expect(await w.tick()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(smtp.messages.map((m) => m.subject)).toEqual([`[TLP:AMBER] Warning (High): ${high.title.en}`]);
    const waiting = store.deliveries.list(system, { status: 'pending', limit: 10 });
    expect(waiting).toHaveLength(3);
    expect(waiting.every((d) => d.digest && d.nextAttemptAt === new Date(start + HOUR).toISOString())).toBe(true);

    clock.set(start + HOUR - 1);
    expect(await w.tick()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock.set(start + HOUR);
    expect(await w.tick()).toEqual({ delivered: 3, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(2);
    const digest = smtp.messages[1];
    expect(digest?.subject).toBe('[TLP:RED] Digest: 3 low-severity notifications');
    for (const n of low) expect(digest?.text).toContain(n.title.en);
    expect(digest?.text).not.toContain(high.title.en);
    expect(store.deliveries.list(system, { status: 'pending', limit: 10 })).toHaveLength(0);
  });
});

describe('webhooks', () => {
  it('POST JSON signed with HMAC-SHA256 that the receiver verifies, with the delivery id', async () => {
    const hook = contact('org_hn', 'webhook', receiver.url, { language: 'en' });
    const n = notification('org_hn');
    outbox.enqueue([n]);
    expect(await worker().tick()).toEqual({ delivered: 1, retrying: 0, failed: 0 });

    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0];
    const signature = String(request?.headers['x-vigil-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(hook.secret as string, signature, request?.body ?? '', Math.floor(start / 1000))).toBe(true);
    expect(verifyWebhookSignature(hook.secret as string, signature, `${request?.body ?? ''} `, Math.floor(start / 1000))).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), signature, request?.body ?? '', Math.floor(start / 1000))).toBe(false);
    const [delivery] = rows(n.subjectId);
    expect(request?.headers['x-vigil-delivery']).toBe(delivery?.id);
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(request?.body ?? '{}') as { id: string; type: string; language: string; notification: Notification };
    expect(body).toMatchObject({ id: delivery?.id, type: 'notification.warning', language: 'en' });
    expect(body.notification).toEqual(n);
  });

  it('keep a warning pending while the receiver is down, backing off, and deliver it exactly once when it is back', async () => {
    contact('org_hn', 'webhook', receiver.url);
    const n = notification('org_hn');
    outbox.enqueue([n]);
    const w = worker();
    receiver.answer = 'drop';

    // Full delays 10, 20, 40, 80, 80 s (capped); the fixed jitter takes a quarter off each.
    let at = start;
    for (const [attempt, delay] of [[1, 7_500], [2, 15_000], [3, 30_000], [4, 60_000], [5, 60_000]] as const) {
      clock.set(at);
      expect(await w.tick()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      const [row] = rows(n.subjectId);
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, nextAttemptAt: new Date(at + delay).toISOString() });
      expect(row?.lastError).toMatch(/fetch failed|socket|closed/i);
      clock.set(at + delay - 1);
      expect(await w.tick()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      at += delay;
    }
    expect(receiver.requests).toHaveLength(5);

    receiver.answer = 503;
    clock.set(at);
    expect(await w.tick()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(rows(n.subjectId)[0]?.lastError).toBe('HTTP 503: answer 503');
    at += 60_000;

    receiver.answer = 200;
    clock.set(at);
    expect(await w.tick()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(rows(n.subjectId)[0]).toMatchObject({ status: 'delivered', attempts: 7, lastError: null, deliveredAt: new Date(at).toISOString() });
    const ids = new Set(receiver.requests.map((r) => r.headers['x-vigil-delivery']));
    expect(ids.size).toBe(1);

    clock.advance(24 * HOUR);
    expect(await w.tick()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.requests.filter((r) => r.status === 200)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(7);
  });

  it('fail for good on 4xx answers but keep trying on 408 and 429; a retry makes a failed one due again', async () => {
    const hook = contact('org_hn', 'webhook', receiver.url);
    const metrics = new Metrics({ processMetrics: false });
    const w = new DeliveryWorker(store, deliveryConfig(), { clock, random: () => 0.5, metrics });
    workers.push(w);
    const outcomes: [number, string][] = [];
    const sent: Notification[] = [];
    for (const status of [404, 410, 400, 408, 429]) {
      receiver.answer = status;
      const n = notification('org_hn');
      sent.push(n);
      outbox.enqueue([n]);
      await w.tick();
      outcomes.push([status, rows(n.subjectId)[0]?.status ?? '']);
    }
    expect(outcomes).toEqual([[404, 'failed'], [410, 'failed'], [400, 'failed'], [408, 'pending'], [429, 'pending']]);
    const counted = await metrics.registry.getSingleMetricAsString('vigil_delivery_attempts_total');
    expect(counted).toContain('vigil_delivery_attempts_total{channel="webhook",outcome="failed"} 3');
    expect(counted).toContain('vigil_delivery_attempts_total{channel="webhook",outcome="retrying"} 2');

    const failed = store.deliveries.list(system, { status: 'failed', limit: 10 }).find((d) => d.subjectId === sent[0]?.subjectId);
    expect(failed?.contactId).toBe(hook.id);
    receiver.answer = 204;
    store.deliveries.retryNow(system, failed?.id as string, clock.now());
    expect(await w.tick()).toMatchObject({ delivered: 1 });
    expect(store.deliveries.get(system, failed?.id as string)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('go out in consecutive batches at once when more are due than one look takes, without waiting for the timer', async () => {
    contact('org_hn', 'webhook', receiver.url);
    outbox.enqueue([1, 2, 3, 4, 5].map(() => notification('org_hn')));
    const w = new DeliveryWorker(store, deliveryConfig({ pollMs: 600_000 }), { clock, random: () => 0.5, batchSize: 2 });
    workers.push(w);
    w.start();
    const deadline = Date.now() + 3000;
    const pending = () => store.deliveries.list(system, { status: 'pending', limit: 10 }).length;
    while (pending() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pending()).toBe(0);
    expect(receiver.requests).toHaveLength(5);
  });

  it('in flight when the worker stops are cut short and stay pending', async () => {
    contact('org_hn', 'webhook', receiver.url);
    const n = notification('org_hn');
    outbox.enqueue([n]);
    receiver.answer = 'hang';
    const w = new DeliveryWorker(store, deliveryConfig({ webhooks: { allowPrivateNetworks: true, allowPlainHttp: true, timeoutMs: 30_000 } }), { clock, random: () => 0.5 });
    const tick = w.tick();
    while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopping = Date.now();
    await w.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(await tick).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(rows(n.subjectId)[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('refuse to reach a host that resolves to a private address unless the configuration allows it', async () => {
    contact('org_hn', 'webhook', 'https://hooks.hanoi.example/vigil');
    const n = notification('org_hn');
    outbox.enqueue([n]);
    const w = new DeliveryWorker(store, deliveryConfig({ webhooks: { allowPrivateNetworks: false } }), { clock, random: () => 0, lookup: async () => ['10.1.2.3'] });
    workers.push(w);
    expect(await w.tick()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(rows(n.subjectId)[0]?.lastError).toContain('10.1.2.3');
  });
});

describe('the outbox', () => {
  it('queues a notification once however often it is handed over, one delivery per contact that takes it', () => {
    contact('org_hn', 'email', 'soc@hanoi.gov.vn');
    contact('org_hn', 'webhook', receiver.url, { minSeverity: 'critical' });
    contact('org_hn', 'email', 'off@hanoi.gov.vn', { enabled: false });
    const n = notification('org_hn', 'high');
    outbox.enqueue([n]);
    outbox.enqueue([n, n]);
    const queued = rows(n.subjectId);
    expect(queued.map((d) => [d.channel, d.address, d.status])).toEqual([['email', 'soc@hanoi.gov.vn', 'pending']]);
    expect(store.deliveries.notification(system, n.id)).toEqual(n);
  });

  it('keeps a notification nobody takes visible as no-contact, saying why', () => {
    contact('org_hn', 'email', 'soc@hanoi.gov.vn', { minSeverity: 'critical' });
    const nobody = notification('org_hcm');
    const tooLow = notification('org_hn', 'medium');
    outbox.enqueue([nobody, tooLow]);
    expect(rows(nobody.subjectId)).toMatchObject([{ status: 'no-contact', channel: 'none', contactId: null, lastError: 'the organisation has no enabled contact' }]);
    expect(rows(tooLow.subjectId)).toMatchObject([{ status: 'no-contact', lastError: "severity medium is below every contact's minimum" }]);
    expect(store.deliveries.list(Scope.single('org_hn'), { status: 'no-contact', limit: 10 }).map((d) => d.orgId)).toEqual(['org_hn']);
  });

  it('marks deliveries whose contact was deleted as failed when their turn comes', async () => {
    const c = contact('org_hn', 'webhook', receiver.url);
    const n = notification('org_hn');
    outbox.enqueue([n]);
    store.contacts.delete(system, c.id);
    expect(await worker().tick()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(rows(n.subjectId)[0]).toMatchObject({ status: 'failed', contactId: null, lastError: 'the contact was deleted' });
    expect(receiver.requests).toHaveLength(0);
  });
});

/**
 * Delivery over HTTP: an organisation's contacts managed by its own staff and nobody else's, hostile
 * addresses refused with the field and the reason, the webhook secret shown once, the outbox listed
 * and retried within the caller's scope, and the live stream (SSE) showing each user only the
 * notifications of organisations in their scope, cleaned up when they disconnect.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Delivery } from '../src/warn/delivery-model.js';
import type { Notification } from '../src/warn/notification.js';
import { call, startTestCentre, type TestCentre } from './support.js';

interface ErrorBody { code: string; message: string; location?: { field?: string } }
type ContactReply = Contact & { secret?: string };

let t: TestCentre;
const org: Record<string, string> = {};
const tokens: Record<string, string> = {};

const api = <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, token: string, body?: unknown) =>
  call<T>(t.centre.url, method, path, { token, ...(body !== undefined ? { body } : {}) });

async function user(username: string, orgId: string, role: string): Promise<string> {
  const password = `${username}-password-1234`;
  expect((await api('POST', '/api/v1/users', t.adminToken, { orgId, username, displayName: username, role, password })).status).toBe(201);
  return (await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
}

let serial = 0;
function notification(orgId: string, severity: Notification['severity'] = 'high'): Notification {
  const n = ++serial;
  return {
    id: `ntf_api_${n}`, kind: 'warning', subjectId: `wrn_api_${n}`, orgId, severity, tlp: 'amber',
    title: { vi: `Cảnh báo ${n}`, en: `Warning ${n}` }, text: { vi: 'Nội dung', en: 'Text' }, link: `/warnings/wrn_api_${n}`,
    data: { n }, createdAt: new Date().toISOString(),
  };
}

beforeAll(async () => {
  t = await startTestCentre('detection: { enabled: false }\ndelivery: { pollMs: 60000, streamHeartbeatSeconds: 1 }');
  for (const [key, code, parent] of [['hn', 'HN', null], ['hnAgency', 'HN-STTTT', 'hn'], ['hcm', 'HCM', null]] as const) {
    const reply = await api<{ id: string }>('POST', '/api/v1/orgs', t.adminToken, { parentId: parent === null ? t.rootOrgId : org[parent], code, nameVi: code, nameEn: code, kind: parent === null ? 'province' : 'agency' });
    expect(reply.status).toBe(201);
    org[key] = reply.body.id;
  }
  tokens['hnOperator'] = await user('hn-operator', org['hn'] as string, 'operator');
  tokens['hnViewer'] = await user('hn-viewer', org['hn'] as string, 'viewer');
  tokens['hcmOperator'] = await user('hcm-operator', org['hcm'] as string, 'operator');
});

afterAll(async () => {
  await t?.stop();
});

let webhookId = '';

describe('contacts', () => {

  it('are managed by the organisation’s operator; a webhook’s secret is shown once', async () => {
    const hn = org['hn'] as string;
    const op = tokens['hnOperator'] as string;
    const email = await api<ContactReply>('POST', '/api/v1/contacts', op, { orgId: hn, channel: 'email', name: 'SOC trực ban', address: 'SOC@HaNoi.Gov.VN', minSeverity: 'medium', digest: true });
    expect(email.status).toBe(201);
    expect(email.body).toMatchObject({ orgId: hn, channel: 'email', address: 'SOC@hanoi.gov.vn', language: 'vi', minSeverity: 'medium', digest: true, enabled: true, hasSecret: false });
    expect(email.body.secret).toBeUndefined();

    const hook = await api<ContactReply>('POST', '/api/v1/contacts', op, { orgId: hn, channel: 'webhook', name: 'Ticketing', address: 'https://93.184.216.34/hooks/vigil#frag', language: 'en' });
    expect(hook.status).toBe(201);
    expect(hook.body).toMatchObject({ channel: 'webhook', address: 'https://93.184.216.34/hooks/vigil', hasSecret: true });
    expect(hook.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    webhookId = hook.body.id;

    const listed = await api<{ items: ContactReply[] }>('GET', `/api/v1/contacts?org=${hn}`, op);
    expect(listed.body.items.map((c) => c.address).sort()).toEqual(['SOC@hanoi.gov.vn', 'https://93.184.216.34/hooks/vigil']);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const one = await api<ContactReply>('GET', `/api/v1/contacts/${webhookId}`, op);
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toContain('whsec_');

    const rotated = await api<ContactReply>('POST', `/api/v1/contacts/${webhookId}/rotate-secret`, op);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.body.secret);

    const changed = await api<ContactReply>('PATCH', `/api/v1/contacts/${email.body.id}`, op, { language: 'en', minSeverity: 'high' });
    expect(changed.body).toMatchObject({ language: 'en', minSeverity: 'high', address: 'SOC@hanoi.gov.vn' });
    expect((await api('POST', '/api/v1/contacts', op, { orgId: hn, channel: 'email', name: 'again', address: 'SOC@hanoi.gov.vn' })).status).toBe(409);
  });

  it('of one province are invisible and untouchable to another, and read-only to nobody below operator', async () => {
    const hn = org['hn'] as string;
    const hcm = tokens['hcmOperator'] as string;
    const forbidden = await api<ErrorBody>('GET', `/api/v1/contacts?org=${hn}`, hcm);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');
    expect((await api<{ items: Contact[] }>('GET', '/api/v1/contacts', hcm)).body.items).toEqual([]);
    expect((await api('GET', `/api/v1/contacts/${webhookId}`, hcm)).status).toBe(404);
    expect((await api('PATCH', `/api/v1/contacts/${webhookId}`, hcm, { address: 'https://93.184.216.35/steal' })).status).toBe(404);
    expect((await api('POST', `/api/v1/contacts/${webhookId}/rotate-secret`, hcm)).status).toBe(404);
    expect((await api('DELETE', `/api/v1/contacts/${webhookId}`, hcm)).status).toBe(404);
    const create = await api<ErrorBody>('POST', '/api/v1/contacts', hcm, { orgId: hn, channel: 'email', name: 'x', address: 'x@hcm.gov.vn' });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe('VIGIL_ERR_OUT_OF_SCOPE');

    const viewer = await api<ErrorBody>('GET', '/api/v1/contacts', tokens['hnViewer'] as string);
    expect(viewer.status).toBe(403);
    expect(viewer.body.code).toBe('VIGIL_ERR_FORBIDDEN');
    expect((await api('GET', `/api/v1/contacts/${webhookId}`, t.adminToken)).status).toBe(200);
    expect((await api('GET', `/api/v1/contacts/${webhookId}`, tokens['hnOperator'] as string)).status).toBe(200);
  });

  const hostile: [string, Record<string, unknown>, string, RegExp][] = [
    ['not an address', { channel: 'email', address: 'not-an-email' }, 'body.address', /not an e-mail address/],
    ['no domain dot', { channel: 'email', address: 'soc@localhost' }, 'body.address', /not an e-mail address/],
    ['header injection', { channel: 'email', address: 'soc@hanoi.gov.vn\r\nBcc: spy@evil.example' }, 'body.address', /not an e-mail address/],
    ['two recipients', { channel: 'email', address: 'a@hanoi.gov.vn,b@evil.example' }, 'body.address', /not an e-mail address/],
    ['display name', { channel: 'email', address: 'SOC <soc@hanoi.gov.vn>' }, 'body.address', /not an e-mail address/],
    ['javascript URL', { channel: 'webhook', address: 'javascript:alert(1)' }, 'body.address', /must be https/],
    ['file URL', { channel: 'webhook', address: 'file:///etc/passwd' }, 'body.address', /must be https/],
    ['ftp URL', { channel: 'webhook', address: 'ftp://93.184.216.34/x' }, 'body.address', /must be https/],
    ['plain http', { channel: 'webhook', address: 'http://93.184.216.34/x' }, 'body.address', /allowPlainHttp/],
    ['relative URL', { channel: 'webhook', address: '/hooks' }, 'body.address', /not an absolute URL/],
    ['credentials in URL', { channel: 'webhook', address: 'https://user:pw@93.184.216.34/x' }, 'body.address', /credentials/],
    ['loopback', { channel: 'webhook', address: 'https://127.0.0.1:8080/x' }, 'body.address', /private or special-purpose/],
    ['localhost', { channel: 'webhook', address: 'https://localhost/x' }, 'body.address', /private or special-purpose/],
    ['RFC 1918', { channel: 'webhook', address: 'https://10.20.30.40/x' }, 'body.address', /private or special-purpose/],
    ['cloud metadata', { channel: 'webhook', address: 'https://169.254.169.254/latest/meta-data' }, 'body.address', /private or special-purpose/],
    ['IPv6 loopback', { channel: 'webhook', address: 'https://[::1]/x' }, 'body.address', /private or special-purpose/],
    ['IPv4-mapped IPv6', { channel: 'webhook', address: 'https://[::ffff:192.168.1.1]/x' }, 'body.address', /private or special-purpose/],
    ['digest on a webhook', { channel: 'webhook', address: 'https://93.184.216.34/x', digest: true }, 'body.digest', /only e-mail contacts take digests/],
    ['unknown severity', { channel: 'email', address: 'a@hanoi.gov.vn', minSeverity: 'urgent' }, 'body.minSeverity', /./],
    ['unknown language', { channel: 'email', address: 'a@hanoi.gov.vn', language: 'fr' }, 'body.language', /./],
    ['unknown field', { channel: 'email', address: 'a@hanoi.gov.vn', secret: 'mine' }, 'body', /secret/],
    ['unknown channel', { channel: 'sms', address: '+84901234567' }, 'body.channel', /./],
  ];
  it.each(hostile)('refuses %s', async (_label, fields, field, message) => {
    const reply = await api<ErrorBody>('POST', '/api/v1/contacts', tokens['hnOperator'] as string, { orgId: org['hn'], name: 'hostile', ...fields });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VIGIL_ERR_VALIDATION');
    // An unknown key is located at its object ("body." — api/errors.ts), hence the trailing dot trimmed.
    expect(reply.body.location?.field?.replace(/\.$/, '')).toBe(field);
    expect(reply.body.message).toMatch(message);
  });

  it('refuses a changed address that breaks the rules too', async () => {
    const reply = await api<ErrorBody>('PATCH', `/api/v1/contacts/${webhookId}`, tokens['hnOperator'] as string, { address: 'https://192.168.0.10/x' });
    expect(reply.status).toBe(400);
    expect(reply.body.location?.field).toBe('body.address');
  });
});

describe('deliveries', () => {
  it('are listed by status and warning within the caller’s scope, and retried', async () => {
    const hn = org['hn'] as string;
    const hcm = org['hcm'] as string;
    // The webhook points at a public address this test must not reach: switched off, it takes nothing.
    expect((await api('PATCH', `/api/v1/contacts/${webhookId}`, tokens['hnOperator'] as string, { enabled: false })).status).toBe(200);
    const forHn = notification(hn, 'critical');
    const forHcm = notification(hcm, 'critical');
    t.centre.notifications.enqueue([forHn, forHcm]);

    const op = tokens['hnOperator'] as string;
    const pending = await api<{ items: Delivery[] }>('GET', `/api/v1/deliveries?status=pending&subject=${forHn.subjectId}`, op);
    expect(pending.status).toBe(200);
    // E-mail waits: this centre has no SMTP server.
    expect(pending.body.items.map((d) => d.channel)).toEqual(['email']);
    const email = pending.body.items.find((d) => d.channel === 'email') as Delivery;
    expect(email.orgId).toBe(hn);

    const noContact = await api<{ items: Delivery[] }>('GET', `/api/v1/deliveries?status=no-contact&subject=${forHcm.subjectId}`, t.adminToken);
    expect(noContact.body.items).toMatchObject([{ orgId: hcm, channel: 'none', lastError: 'the organisation has no enabled contact' }]);

    const mine = await api<{ items: Delivery[] }>('GET', '/api/v1/deliveries', tokens['hcmOperator'] as string);
    expect(mine.body.items.every((d) => d.orgId === hcm)).toBe(true);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect((await api('GET', `/api/v1/deliveries/${email.id}`, tokens['hcmOperator'] as string)).status).toBe(404);
    expect((await api('POST', `/api/v1/deliveries/${email.id}/retry`, tokens['hcmOperator'] as string)).status).toBe(404);
    expect((await api('GET', `/api/v1/deliveries?org=${hn}`, tokens['hcmOperator'] as string)).status).toBe(403);
    expect((await api('GET', '/api/v1/deliveries', tokens['hnViewer'] as string)).status).toBe(403);

    const retried = await api<Delivery>('POST', `/api/v1/deliveries/${email.id}/retry`, op);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('pending');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await api<Delivery>('GET', `/api/v1/deliveries/${email.id}`, op);
    expect(after.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(after.body.lastError).toContain('delivery.smtp.host');

    t.centre.notifications.enqueue([forHn]);
    const metrics = await (await fetch(`${t.centre.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_delivery_notifications_total\{kind="warning",result="queued"\} [1-9]/);
    expect(metrics).toMatch(/vigil_delivery_notifications_total\{kind="warning",result="duplicate"\} 1\n/);

    const bad = await api<ErrorBody>('GET', '/api/v1/deliveries?status=lost', op);
    expect(bad.status).toBe(400);
    expect(bad.body.location?.field).toBe('querystring.status');
  });
});

interface OpenStream {
  status: number;
  contentType: string;
  text: () => string;
  close: () => void;
  closed: Promise<void>;
}

function openStream(token: string | null): Promise<OpenStream> {
  const url = new URL('/api/v1/stream', t.centre.url);
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      const closed = new Promise<void>((done) => res.on('close', () => done()));
      resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: () => text, close: () => req.destroy(), closed });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the OpenAPI document', () => {
  it('describes the delivery routes', async () => {
    const doc = await call<{ paths: Record<string, unknown> }>(t.centre.url, 'GET', '/api/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts/', '/api/v1/contacts/{id}', '/api/v1/deliveries/', '/api/v1/deliveries/{id}/retry', '/api/v1/stream/']));
  });
});

describe('the live stream', () => {
  it('shows each user only the notifications of organisations in their scope, and forgets them when they leave', async () => {
    const before = t.centre.liveStream.size;
    const hn = await openStream(tokens['hnViewer'] as string);
    const hcm = await openStream(tokens['hcmOperator'] as string);
    const centre = await openStream(t.adminToken);
    expect(hn.status).toBe(200);
    expect(hn.contentType).toBe('text/event-stream; charset=utf-8');
    await until(() => t.centre.liveStream.size === before + 3);

    const forAgency = notification(org['hnAgency'] as string);
    const forHcm = notification(org['hcm'] as string);
    t.centre.notifications.enqueue([forAgency, forHcm]);
    t.centre.notifications.enqueue([forAgency]); // already queued: not shown twice

    await until(() => centre.text().includes(forHcm.id) && hn.text().includes(forAgency.id) && hcm.text().includes(forHcm.id));
    const hnEvent = /id: (\S+)\nevent: notification\ndata: (.*)\n\n/.exec(hn.text());
    expect(hnEvent?.[1]).toBe(forAgency.id);
    expect(JSON.parse(hnEvent?.[2] ?? '{}')).toEqual(forAgency);
    expect(hn.text()).not.toContain(forHcm.id);
    expect(hcm.text()).not.toContain(forAgency.id);
    expect(centre.text().split(`id: ${forAgency.id}\n`)).toHaveLength(2);

    await until(() => hn.text().includes(': heartbeat'), 3000);

    hn.close();
    hcm.close();
    centre.close();
    await until(() => t.centre.liveStream.size === before);
  });

  it('needs the bearer token, and does not take it from the query string', async () => {
    const anonymous = await openStream(null);
    expect(anonymous.status).toBe(401);
    const url = `/api/v1/stream?token=${encodeURIComponent(tokens['hnViewer'] as string)}`;
    expect((await call(t.centre.url, 'GET', url)).status).toBe(401);
  });

  it('ends when the session is closed', async () => {
    const password = 'hn-viewer-password-1234';
    const login = await call<{ token: string }>(t.centre.url, 'POST', '/api/v1/auth/login', { body: { username: 'hn-viewer', password } });
    const stream = await openStream(login.body.token);
    expect(stream.status).toBe(200);
    expect((await call(t.centre.url, 'POST', '/api/v1/auth/logout', { token: login.body.token })).status).toBe(204);
    await stream.closed;
  });
});

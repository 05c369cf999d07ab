/**
 * Syslog end to end: RFC 3164/5424 lines and CEF over UDP, TCP (octet counting and LF framing)
 * and TLS with a client certificate reach the store attributed to the right sensor's
 * organisation and are searchable through the API.
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestCentre, type TestCentre } from './support.js';

let t: TestCentre;
let certDir: string;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: certDir, stdio: 'ignore' });
}

function makeCertificates(): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Vigil Test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=fw-dak-lak.example.vn']);
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2']);
}

async function waitForEvents(text: string, count: number): Promise<{ event: { organization: { id: string }; observer: { id: string } } }[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const reply = await call<{ items: { event: { organization: { id: string }; observer: { id: string } } }[] }>(t.centre.url, 'GET', `/api/v1/events?q=${encodeURIComponent(text)}`, { token: t.adminToken });
    if (reply.body.items.length >= count) return reply.body.items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fewer than ${count} events with ${text}`);
}

const bsd = (tag: string): string => {
  const d = new Date();
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const time = d.toISOString().slice(11, 19);
  return `<38>${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} web01 sshd[4242]: Failed password for invalid user ${tag} from 203.0.113.50 port 52144 ssh2`;
};

let provinceId: string;
let relaySensorId: string;
let tlsSensorId: string;

beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  certDir = mkdtempSync(join(tmpdir(), 'vigil-certs-'));
  makeCertificates();
  t = await startTestCentre([
    'syslog:',
    '  flushIntervalMs: 20',
    '  sensorRefreshMs: 100',
    '  udp: { enabled: true, host: 127.0.0.1, port: 0 }',
    '  tcp: { enabled: true, host: 127.0.0.1, port: 0 }',
    `  tls: { enabled: true, host: 127.0.0.1, port: 0, cert: ${JSON.stringify(join(certDir, 'server.pem'))}, key: ${JSON.stringify(join(certDir, 'server.key'))}, ca: ${JSON.stringify(join(certDir, 'ca.pem'))}, requireClientCert: true }`,
    'ingest: { defaultTimezone: Z }',
  ].join('\n'));
  const province = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/orgs', { token: t.adminToken, body: { parentId: t.rootOrgId, code: 'DLK', nameVi: 'Đắk Lắk', nameEn: 'Dak Lak', kind: 'province' } });
  provinceId = province.body.id;
  const relay = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: provinceId, name: 'syslog relay', syslogSources: ['127.0.0.1/32', '::1'] } });
  relaySensorId = relay.body.id;
  const firewall = await call<{ id: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: provinceId, name: 'firewall over TLS', tlsClientIds: ['fw-dak-lak.example.vn'] } });
  tlsSensorId = firewall.body.id;
  // The listeners re-read sensors every sensorRefreshMs.
  await new Promise((resolve) => setTimeout(resolve, 300));
}, 40_000);

afterAll(async () => {
  await t?.stop();
});

describe('syslog into the store', () => {
  it('accepts RFC 3164 over UDP from a known source', async () => {
    const socket = createSocket('udp4');
    const port = t.centre.syslog?.udpPort as number;
    await new Promise<void>((resolve, reject) => socket.send(Buffer.from(bsd('udp-probe')), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    socket.close();
    const events = await waitForEvents('udp-probe', 1);
    expect(events[0]?.event.organization.id).toBe(provinceId);
    expect(events[0]?.event.observer.id).toBe(relaySensorId);
  });

  it('accepts octet-counted and LF-framed messages over TCP', async () => {
    const port = t.centre.syslog?.tcpPort as number;
    const five = `<165>1 ${new Date().toISOString()} mail01 postfix 2121 - - tcp-octet relay denied`;
    const octet = `${Buffer.byteLength(five)} ${five}`;
    await new Promise<void>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1', () => {
        socket.write(octet.slice(0, 10));
        setTimeout(() => socket.end(octet.slice(10) + `${Buffer.byteLength(five)} ${five.replace('tcp-octet', 'tcp-octet-2')}`), 20);
      });
      socket.on('close', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1', () => socket.end(`${bsd('tcp-lf-a')}\n${bsd('tcp-lf-b')}\n`));
      socket.on('close', () => resolve());
    });
    expect(await waitForEvents('tcp-octet', 2)).toHaveLength(2);
    expect(await waitForEvents('tcp-lf-', 2)).toHaveLength(2);
  });

  it('attributes TLS messages by client certificate', async () => {
    const port = t.centre.syslog?.tlsPort as number;
    const cef = `CEF:0|Fortinet|FortiGate|7.2|0000000013|traffic denied|5|src=198.51.100.7 dst=10.10.1.5 dpt=3389 act=deny msg=tls-probe`;
    const message = `${Buffer.byteLength(cef)} ${cef}`;
    await new Promise<void>((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(join(certDir, 'ca.pem')), cert: readFileSync(join(certDir, 'client.pem')), key: readFileSync(join(certDir, 'client.key')) }, () => socket.end(message));
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    const events = await waitForEvents('tls-probe', 1);
    expect(events[0]?.event.observer.id).toBe(tlsSensorId);
  });
});

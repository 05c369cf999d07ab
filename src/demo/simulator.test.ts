/**
 * @module demo/simulator.test
 * Checks the simulator against a tiny local HTTP server and syslog listeners: headers, sensor keys, idempotency-key reuse on retry, gzip bodies, UDP and octet-counted TCP.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { DemoSeed } from './seed.js';
import { startSimulator } from './simulator.js';

interface Recorded {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A tiny ingest stand-in: records each request; `statusFor` picks the answer. */
async function ingestServer(statusFor: (req: Recorded, index: number) => number): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const record: Recorded = { headers: req.headers, body, status: 0 };
      record.status = statusFor(record, requests.length);
      requests.push(record);
      const lines = body.split('\n').filter((l) => l !== '');
      res.writeHead(record.status, { 'content-type': 'application/json' });
      res.end(
        record.status === 202
          ? JSON.stringify({ batchId: 'b', received: lines.length, accepted: lines.length - 1, rejected: [{ line: 1, code: 'VIGIL_ERR_PARSE', reason: 'test' }], firstSeq: 1, lastSeq: lines.length, duplicate: false })
          : JSON.stringify({ code: 'VIGIL_ERR_INTERNAL', message: 'unavailable' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/ingest`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sensors: DemoSeed['sensors'] = [
  { sensorId: 'sen_web', name: 'dichvucong.hanoi.gov.vn (nginx)', orgId: 'org_a', orgCode: 'VN-HN-TTPVHCC', key: 'vgs_web-key', format: 'nginx', transport: 'http', portalHost: 'dichvucong.hanoi.gov.vn' },
  { sensorId: 'sen_dc', name: 'Domain controllers Bộ Công an (winlogbeat)', orgId: 'org_b', orgCode: 'VN-BCA', key: 'vgs_dc-key', format: 'windows', transport: 'http' },
];
// Tuesday 09:30 in Hà Nội: office hours, so every profile has traffic.
const clock = new ManualClock(Date.UTC(2025, 6, 1, 2, 30, 0));
const until = async (condition: () => boolean, ms = 10_000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('startSimulator', () => {
  it('POSTs batches with the sensor key, an idempotency key, the right content type, gzip on some', async () => {
    const server = await ingestServer(() => 202);
    cleanups.push(server.close);
    const sim = startSimulator({ ingestUrl: server.url, sensors, eventsPerSecond: 400, seed: 1, clock, intervalMs: 20 });
    await until(() => server.requests.length >= 30 && server.requests.some((r) => r.headers['content-encoding'] === 'gzip'));
    await sim.stop();
    const keys = new Set<string>();
    for (const r of server.requests) {
      const auth = r.headers.authorization;
      expect(['Bearer vgs_web-key', 'Bearer vgs_dc-key']).toContain(auth);
      const key = r.headers['idempotency-key'];
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      keys.add(String(key));
      if (auth === 'Bearer vgs_web-key') {
        expect(r.headers['content-type']).toMatch(/^text\/plain/);
        expect(r.body.split('\n')[0]).toMatch(/^\d+\.\d+\.\d+\.\d+ - - \[/);
      } else {
        expect(r.headers['content-type']).toBe('application/x-ndjson');
        for (const line of r.body.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('winlog.event_id');
      }
    }
    expect(keys.size).toBe(server.requests.length); // every batch has its own key
    const stats = sim.stats();
    const lines = server.requests.reduce((sum, r) => sum + r.body.trim().split('\n').length, 0);
    expect(stats.sent).toBe(lines);
    expect(stats.accepted).toBe(lines - server.requests.length);
    expect(stats.rejected).toBe(server.requests.length);
    expect(stats.failures).toBe(0);
  });

  it('retries a 503 with the same idempotency key and body', async () => {
    const seen = new Set<string>();
    const server = await ingestServer((r) => {
      const key = String(r.headers['idempotency-key']);
      if (seen.has(key)) return 202;
      seen.add(key);
      return 503;
    });
    cleanups.push(server.close);
    const sim = startSimulator({ ingestUrl: server.url, sensors: sensors.slice(0, 1), eventsPerSecond: 100, seed: 2, clock, intervalMs: 20, retryBaseMs: 10 });
    await until(() => server.requests.filter((r) => r.status === 202).length >= 3);
    await sim.stop();
    const byKey = new Map<string, Recorded[]>();
    for (const r of server.requests) byKey.set(String(r.headers['idempotency-key']), [...(byKey.get(String(r.headers['idempotency-key'])) ?? []), r]);
    const retried = [...byKey.values()].filter((list) => list.length === 2);
    expect(retried.length).toBeGreaterThanOrEqual(3);
    for (const [first, second] of retried) {
      expect(first?.status).toBe(503);
      expect(second?.status).toBe(202);
      expect(second?.body).toBe(first?.body);
    }
    expect(sim.stats().failures).toBe(0);
  });

  it('counts a batch as failed after its attempts and never throws when ingest is down', async () => {
    const server = await ingestServer(() => 500);
    cleanups.push(server.close);
    const sim = startSimulator({ ingestUrl: server.url, sensors: sensors.slice(0, 1), eventsPerSecond: 100, seed: 3, clock, intervalMs: 20, retryBaseMs: 5, maxAttempts: 2 });
    await until(() => sim.stats().failures >= 2);
    await sim.stop();
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
    const unreachable = startSimulator({ ingestUrl: 'http://127.0.0.1:1/api/v1/ingest', sensors: sensors.slice(0, 1), eventsPerSecond: 100, seed: 3, clock, intervalMs: 20, retryBaseMs: 5, maxAttempts: 2 });
    await until(() => unreachable.stats().failures >= 1);
    await unreachable.stop();
  });

  it('sends syslog by UDP and by TCP with octet-counting framing', async () => {
    const udpLines: string[] = [];
    const udp = createSocket('udp4');
    udp.on('message', (msg) => udpLines.push(msg.toString('utf8')));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    let tcpData = '';
    const tcp = createTcpServer((socket) => socket.on('data', (d: Buffer) => (tcpData += d.toString('utf8'))));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => udp.close(() => resolve())));
    cleanups.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const relay: DemoSeed['sensors'] = [{ sensorId: 'sen_sys', name: 'Syslog relay Đà Nẵng (FortiGate + Linux)', orgId: 'org_c', orgCode: 'VN-DNG-SKHCN', key: 'vgs_sys', format: null, transport: 'syslog' }];
    const sim = startSimulator({
      ingestUrl: 'http://127.0.0.1:1/unused',
      syslog: { host: '127.0.0.1', udpPort: (udp.address() as AddressInfo).port, tcpPort: (tcp.address() as AddressInfo).port },
      sensors: relay,
      eventsPerSecond: 300,
      seed: 4,
      clock,
      intervalMs: 20,
    });
    await until(() => udpLines.length >= 20 && tcpData.length > 2000);
    await sim.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const line of udpLines) expect(line).toMatch(/^<\d+>Jul {2}1 \d\d:\d\d:\d\d FGT-DNG-01 CEF:0\|Fortinet\|FortiGate\|/);
    // RFC 6587 octet counting: "<len> <msg>" repeated, len in bytes.
    const buffer = Buffer.from(tcpData, 'utf8');
    let offset = 0;
    let frames = 0;
    while (offset < buffer.length) {
      const space = buffer.indexOf(0x20, offset);
      const length = Number(buffer.subarray(offset, space).toString('ascii'));
      expect(Number.isInteger(length) && length > 0).toBe(true);
      const message = buffer.subarray(space + 1, space + 1 + length).toString('utf8');
      expect(message).toMatch(/^<\d+>Jul {2}1 \d\d:\d\d:\d\d \S+ (sshd\[\d+\]|sudo): /);
      offset = space + 1 + length;
      frames++;
    }
    expect(frames).toBeGreaterThan(5);
    // UDP may drop datagrams even on loopback; TCP may not.
    expect(sim.stats().sent).toBeGreaterThanOrEqual(udpLines.length + frames);
    expect(sim.stats().failures).toBe(0);
  });
});

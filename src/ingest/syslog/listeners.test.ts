import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary, Sensor } from '../../core/model.js';
import type { RawRecord } from '../../parse/normaliser.js';
import type { IngestOptions, IngestSink } from '../sink.js';
import type { SyslogListenerOptions, SyslogListeners } from './listeners.js';
import { startSyslogListeners } from './listeners.js';
import { SyslogSensorResolver } from './sensor-resolver.js';

const HOST = '127.0.0.1';

function makeSensor(id: string, overrides: Partial<Sensor> = {}): Sensor {
  return {
    id,
    orgId: `org-${id}`,
    name: `sensor ${id}`,
    format: null,
    jsonMapping: null,
    timezone: null,
    syslogSources: [],
    tlsClientIds: [],
    ratePerSecond: null,
    keyPrefix: 'vk_test',
    enabled: true,
    demo: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

interface RecordedBatch {
  sensorId: string;
  texts: string[];
  options: IngestOptions;
}

class FakeSink implements IngestSink {
  readonly batches: RecordedBatch[] = [];
  failNext = 0;

  acceptBatch(sensor: Sensor, records: RawRecord[], options: IngestOptions): BatchSummary {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('store unavailable');
    }
    this.batches.push({ sensorId: sensor.id, texts: records.map((r) => r.text), options });
    return { batchId: `b${this.batches.length}`, received: records.length, accepted: records.length, rejected: [], firstSeq: null, lastSeq: null };
  }

  get texts(): string[] {
    return this.batches.flatMap((b) => b.texts);
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function octet(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

async function sendUdp(port: number, messages: string[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const message of messages) await new Promise<void>((resolve, reject) => socket.send(message, port, HOST, (error) => (error ? reject(error) : resolve())));
  socket.close();
}

function whenClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

async function tcpClient(port: number): Promise<Socket> {
  const socket = connectTcp({ host: HOST, port });
  socket.setNoDelay(true);
  socket.on('error', () => undefined); // the server may reset a refused connection
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

/** Writes each piece separately, pausing so the server reads them as separate chunks. */
async function writeInPieces(socket: Socket, pieces: string[]): Promise<void> {
  for (const piece of pieces) {
    socket.write(piece);
    await pause(15);
  }
}

let running: SyslogListeners | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(sensors: Sensor[], overrides: Partial<SyslogListenerOptions> = {}): Promise<{ listeners: SyslogListeners; sink: FakeSink; logs: string[]; unknown: [string, string][] }> {
  const sink = new FakeSink();
  const logs: string[] = [];
  const unknown: [string, string][] = [];
  const resolver = new SyslogSensorResolver(sensors);
  running = await startSyslogListeners({
    udp: { host: HOST, port: 0 },
    tcp: { host: HOST, port: 0 },
    maxMessageBytes: 1024,
    flushIntervalMs: 50,
    maxBatch: 100,
    sink,
    resolveSensors: () => resolver,
    onUnknownSource: (peer, transport) => unknown.push([peer, transport]),
    log: (msg) => logs.push(msg),
    ...overrides,
  });
  return { listeners: running, sink, logs, unknown };
}

const local = makeSensor('local', { syslogSources: ['127.0.0.0/8'] });
const elsewhere = makeSensor('elsewhere', { syslogSources: ['10.9.9.9', '192.0.2.0/24'] });

describe('syslog over UDP (RFC 5426)', () => {
  it('binds port 0 to real ports and delivers datagrams from an allowed source as one batch', async () => {
    const { listeners, sink } = await start([elsewhere, local]);
    expect(listeners.udpPort).toBeGreaterThan(0);
    expect(listeners.tcpPort).toBeGreaterThan(0);
    expect(listeners.tlsPort).toBeUndefined();
    await sendUdp(listeners.udpPort ?? 0, ['<13>one\n', '<13>two\0', '<13>three']);
    await waitFor(() => sink.batches.length > 0, 'a batch');
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]).toMatchObject({ sensorId: 'local', texts: ['<13>one', '<13>two', '<13>three'], options: { transport: 'syslog-udp', peer: HOST } });
    expect(listeners.stats().udp).toMatchObject({ received: 3, flushed: 3, dropped: 0, batches: 1 });
  });

  it('flushes as soon as maxBatch messages are buffered', async () => {
    const { listeners, sink } = await start([local], { maxBatch: 2, flushIntervalMs: 60_000 });
    await sendUdp(listeners.udpPort ?? 0, ['<13>a', '<13>b', '<13>c']);
    await waitFor(() => listeners.stats().udp.received === 3, 'three datagrams');
    expect(sink.batches.map((b) => b.texts)).toEqual([['<13>a', '<13>b']]);
    await listeners.close();
    expect(sink.batches.map((b) => b.texts)).toEqual([['<13>a', '<13>b'], ['<13>c']]);
  });

  it('drops and counts datagrams from an unknown source, logging once per peer and minute', async () => {
    const { listeners, sink, logs, unknown } = await start([elsewhere]);
    await sendUdp(listeners.udpPort ?? 0, ['<13>x', '<13>y']);
    await waitFor(() => listeners.stats().udp.unknownSource === 2, 'two refusals');
    await pause(80);
    expect(sink.batches).toEqual([]);
    expect(listeners.stats().udp).toMatchObject({ received: 2, dropped: 2, unknownSource: 2, flushed: 0 });
    expect(unknown).toEqual([[HOST, 'syslog-udp'], [HOST, 'syslog-udp']]);
    expect(logs.filter((l) => l.includes('unknown source'))).toHaveLength(1);
  });

  it('drops oversized datagrams and counts them', async () => {
    const { listeners, sink } = await start([local], { maxMessageBytes: 10 });
    await sendUdp(listeners.udpPort ?? 0, ['x'.repeat(11), '0123456789\n']);
    await waitFor(() => sink.batches.length === 1, 'a batch');
    expect(sink.texts).toEqual(['0123456789']);
    expect(listeners.stats().udp).toMatchObject({ received: 2, dropped: 1, oversize: 1, flushed: 1 });
  });

  it('counts a batch the sink refuses and keeps listening', async () => {
    const { listeners, sink, logs } = await start([local]);
    sink.failNext = 1;
    await sendUdp(listeners.udpPort ?? 0, ['<13>lost']);
    await waitFor(() => listeners.stats().udp.sinkErrors === 1, 'a sink error');
    await sendUdp(listeners.udpPort ?? 0, ['<13>kept']);
    await waitFor(() => sink.batches.length === 1, 'a batch');
    expect(sink.texts).toEqual(['<13>kept']);
    expect(listeners.stats().udp).toMatchObject({ received: 2, flushed: 1, dropped: 1, sinkErrors: 1 });
    expect(logs.some((l) => l.includes('sink refused'))).toBe(true);
  });
});

describe('syslog over TCP (RFC 6587)', () => {
  it('octet counting: messages split across writes and several in one write', async () => {
    const { listeners, sink } = await start([local], { flushIntervalMs: 60_000 }); // the connection's end flushes
    const client = await tcpClient(listeners.tcpPort ?? 0);
    const stream = octet('<13>one') + octet('<13>two\nwith LF') + octet('<13>three');
    await writeInPieces(client, [stream.slice(0, 5), stream.slice(5, 20), stream.slice(20)]);
    client.end();
    await waitFor(() => sink.texts.length === 3, 'three messages');
    expect(sink.texts).toEqual(['<13>one', '<13>two\nwith LF', '<13>three']);
    expect(sink.batches[0]?.sensorId).toBe('local');
    expect(sink.batches[0]?.options).toMatchObject({ transport: 'syslog-tcp', stream: {} });
    expect(sink.batches[0]?.options.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('LF framing: a message split across writes, several in one write, CRLF, and one stream state per connection', async () => {
    const { listeners, sink } = await start([local], { flushIntervalMs: 60_000 }); // each connection's end flushes it
    const first = await tcpClient(listeners.tcpPort ?? 0);
    const second = await tcpClient(listeners.tcpPort ?? 0);
    await writeInPieces(first, ['<13>spl', 'it message\n<13>a\n<13>b\r\n<13>c', '\n']);
    second.write('<13>other connection\n');
    first.end();
    second.end();
    await waitFor(() => sink.texts.length === 5, 'five messages');
    const byPeer = new Map(sink.batches.map((b) => [b.options.peer, b]));
    expect(byPeer.size).toBe(2);
    const texts = sink.batches.map((b) => b.texts).sort((a, b) => b.length - a.length);
    expect(texts).toEqual([['<13>split message', '<13>a', '<13>b', '<13>c'], ['<13>other connection']]);
    expect(sink.batches[0]?.options.stream).not.toBe(sink.batches[1]?.options.stream);
  });

  it('drops an oversized LF-framed message and keeps the connection', async () => {
    const { listeners, sink } = await start([local], { maxMessageBytes: 16 });
    const client = await tcpClient(listeners.tcpPort ?? 0);
    await writeInPieces(client, ['<13>ok\n', 'x'.repeat(40), 'y'.repeat(40), '\n<13>after\n']);
    client.end();
    await waitFor(() => sink.texts.length === 2, 'two messages');
    expect(sink.texts).toEqual(['<13>ok', '<13>after']);
    expect(listeners.stats().tcp).toMatchObject({ received: 3, flushed: 2, dropped: 1, oversize: 1 });
  });

  it('closes a connection from an unknown source and counts it', async () => {
    const { listeners, sink, unknown } = await start([elsewhere]);
    const client = await tcpClient(listeners.tcpPort ?? 0);
    client.write('<13>should not arrive\n');
    await whenClosed(client);
    await pause(80);
    expect(sink.batches).toEqual([]);
    expect(listeners.stats().tcp).toMatchObject({ unknownSource: 1, received: 0, connections: 0 });
    expect(unknown).toEqual([[HOST, 'syslog-tcp']]);
  });

  it('treats a disabled sensor as unknown', async () => {
    const { listeners } = await start([makeSensor('off', { syslogSources: ['127.0.0.1'], enabled: false })]);
    const client = await tcpClient(listeners.tcpPort ?? 0);
    await whenClosed(client);
    expect(listeners.stats().tcp.unknownSource).toBe(1);
  });

  it('drops buffered messages and closes the connection when the sensor is disabled meanwhile', async () => {
    const sink = new FakeSink();
    let resolver = new SyslogSensorResolver([local]);
    running = await startSyslogListeners({ tcp: { host: HOST, port: 0 }, maxMessageBytes: 1024, flushIntervalMs: 50, maxBatch: 100, sink, resolveSensors: () => resolver });
    const client = await tcpClient(running.tcpPort ?? 0);
    client.write('<13>before\n');
    await waitFor(() => running?.stats().tcp.received === 1, 'one message');
    resolver = new SyslogSensorResolver([{ ...local, enabled: false }]);
    await whenClosed(client);
    await waitFor(() => running?.stats().tcp.connections === 0, 'the connection to close');
    expect(sink.batches).toEqual([]);
    expect(running.stats().tcp).toMatchObject({ received: 1, dropped: 1 });
  });

  it('close() flushes buffered messages, including a last line without trailer', async () => {
    const { listeners, sink } = await start([local], { flushIntervalMs: 60_000 });
    const client = await tcpClient(listeners.tcpPort ?? 0);
    client.write('<13>one\n<13>two\n<13>no trailer');
    await waitFor(() => listeners.stats().tcp.received === 2, 'two messages');
    expect(sink.batches).toEqual([]);
    await listeners.close();
    expect(sink.texts).toEqual(['<13>one', '<13>two', '<13>no trailer']);
    await whenClosed(client);
    expect(listeners.stats().tcp).toMatchObject({ received: 3, flushed: 3, connections: 0 });
  });
});

describe('syslog over TLS (RFC 5425)', () => {
  let dir: string;
  const pem: Record<string, string> = {};
  const file = (name: string): string => pem[name] ?? '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-tls-'));
    const openssl = (...args: string[]): void => void execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });
    const newKey = (name: string): void => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', `${name}.key`);
    const ca = (name: string): void => {
      newKey(name);
      openssl('req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`);
    };
    let serial = 1000;
    const issue = (name: string, cn: string, caName: string, extensions: string): void => {
      newKey(name);
      openssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-set_serial', String(serial++), '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
    };
    ca('ca');
    ca('otherca');
    issue('server', 'localhost', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    issue('known', 'sensor-a.agency.test', 'ca', 'extendedKeyUsage=clientAuth\n');
    issue('stranger', 'stranger.agency.test', 'ca', 'extendedKeyUsage=clientAuth\n');
    issue('forged', 'sensor-a.agency.test', 'otherca', 'extendedKeyUsage=clientAuth\n');
    for (const name of ['ca', 'server', 'known', 'stranger', 'forged']) {
      pem[`${name}.crt`] = readFileSync(join(dir, `${name}.crt`), 'utf8');
      pem[`${name}.key`] = readFileSync(join(dir, `${name}.key`), 'utf8');
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tlsSensor = makeSensor('tls-a', { tlsClientIds: ['sensor-a.agency.test'] });

  function startTls(sensors: Sensor[], requireClientCert: boolean): ReturnType<typeof start> {
    return start(sensors, { udp: undefined, tcp: undefined, tls: { host: HOST, port: 0, cert: file('server.crt'), key: file('server.key'), ca: file('ca.crt'), requireClientCert } });
  }

  function tlsClient(port: number, client?: 'known' | 'stranger' | 'forged'): TLSSocket {
    const socket = connectTls({
      host: HOST,
      port,
      ca: file('ca.crt'),
      servername: 'localhost',
      ...(client ? { cert: file(`${client}.crt`), key: file(`${client}.key`) } : {}),
    });
    socket.on('error', () => undefined); // refusals surface as errors or resets on the client
    return socket;
  }

  it('attributes a client presenting a known certificate CN to its sensor', async () => {
    const { listeners, sink } = await startTls([tlsSensor], true);
    expect(listeners.tlsPort).toBeGreaterThan(0);
    const client = tlsClient(listeners.tlsPort ?? 0, 'known');
    client.end(octet('<13>over tls') + octet('<13>second'));
    await waitFor(() => sink.texts.length === 2, 'two messages');
    expect(sink.batches[0]).toMatchObject({ sensorId: 'tls-a', texts: ['<13>over tls', '<13>second'], options: { transport: 'syslog-tls' } });
    expect(listeners.stats().tls).toMatchObject({ received: 2, flushed: 2, unknownSource: 0 });
  });

  it('closes a verified client whose certificate names no sensor', async () => {
    const { listeners, sink, unknown } = await startTls([tlsSensor], true);
    const client = tlsClient(listeners.tlsPort ?? 0, 'stranger');
    client.write(octet('<13>should not arrive'));
    await whenClosed(client);
    await pause(80);
    expect(sink.batches).toEqual([]);
    expect(listeners.stats().tls).toMatchObject({ unknownSource: 1, received: 0 });
    expect(unknown).toEqual([[HOST, 'syslog-tls']]);
  });

  it('rejects at the handshake a certificate from another CA, even with a known CN', async () => {
    const { listeners, sink } = await startTls([tlsSensor], true);
    const client = tlsClient(listeners.tlsPort ?? 0, 'forged');
    client.write(octet('<13>should not arrive'));
    await whenClosed(client);
    await waitFor(() => listeners.stats().tls.handshakeFailures === 1, 'a handshake failure');
    expect(sink.batches).toEqual([]);
    expect(listeners.stats().tls.received).toBe(0);
  });

  it('without required client certificates, accepts a cert-less client from an allowed source address', async () => {
    const { listeners, sink } = await startTls([tlsSensor, makeSensor('by-address', { syslogSources: ['127.0.0.1'] })], false);
    const client = tlsClient(listeners.tlsPort ?? 0);
    client.end(octet('<13>no certificate'));
    await waitFor(() => sink.texts.length === 1, 'one message');
    expect(sink.batches[0]).toMatchObject({ sensorId: 'by-address', texts: ['<13>no certificate'] });
  });

  it('without required client certificates, ignores the CN of an unverified certificate', async () => {
    const { listeners, sink } = await startTls([tlsSensor, makeSensor('by-address', { syslogSources: ['127.0.0.1'] })], false);
    const client = tlsClient(listeners.tlsPort ?? 0, 'forged');
    client.end(octet('<13>forged'));
    await waitFor(() => sink.texts.length === 1, 'one message');
    expect(sink.batches[0]?.sensorId).toBe('by-address');
  });

  it('without required client certificates, still closes a cert-less client from an unknown address', async () => {
    const { listeners } = await startTls([elsewhere], false);
    const client = tlsClient(listeners.tlsPort ?? 0);
    await whenClosed(client);
    expect(listeners.stats().tls.unknownSource).toBe(1);
  });
});

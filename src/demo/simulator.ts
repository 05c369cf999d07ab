/**
 * @module demo/simulator
 * Sends the demo's traffic through the real ingest paths, every second: for each HTTP sensor a
 * batch in its format (NDJSON for JSON formats, text otherwise; some gzip-compressed) POSTed with
 * the sensor's key and an idempotency key that a retry reuses (network errors, 5xx and 429, with
 * backoff), and for the syslog sensor the firewall's records by UDP and the Linux servers' lines by
 * TCP with octet-counting framing (RFC 6587 §3.4.1) over one kept-open connection.
 *
 * Volume is `eventsPerSecond` spread across sensors by weight and time of day; the hostile share
 * (default 3 %) arrives in bursts of tens of seconds per sensor. A tick never throws: failures are counted.
 */
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { isIPv6, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { Random } from './random.js';
import type { DemoSeed } from './seed.js';
import type { SensorBatch, TrafficProfile } from './traffic.js';
import { buildSensorBatch, profileActivity, trafficProfile } from './traffic.js';

export interface SimulatorOptions {
  /** e.g. `http://127.0.0.1:8080/api/v1/ingest` */
  ingestUrl: string;
  syslog?: { host: string; udpPort?: number; tcpPort?: number };
  sensors: DemoSeed['sensors'];
  eventsPerSecond: number;
  hostileShare?: number;
  seed?: number;
  clock?: Clock;
  log?: (msg: string) => void;
  /** Milliseconds between ticks (default 1000; tests shorten it). */
  intervalMs?: number;
  /** Attempts per batch before it counts as a failure (default 4). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled per attempt (default 250). */
  retryBaseMs?: number;
}

export interface SimulatorStats {
  /** Records handed to a transport (HTTP batches' lines and syslog messages). */
  sent: number;
  /** Records ingest acknowledged as stored (HTTP only: syslog has no acknowledgement). */
  accepted: number;
  /** Records ingest rejected, from the 202 body. */
  rejected: number;
  /** Batches given up after retries, or refused (4xx), and syslog messages that could not be sent. */
  failures: number;
}

export interface Simulator {
  stop(): Promise<void>;
  stats(): SimulatorStats;
}

interface SensorState {
  sensor: DemoSeed['sensors'][number];
  profile: TrafficProfile;
  /** Seconds of hostile burst left on this sensor. */
  burstLeft: number;
  inFlight: boolean;
}

/** Fraction of seconds a sensor spends in a burst, and mean burst length: hostile traffic comes in waves. */
const BURST_FRACTION = 0.1;
const BURST_MEAN_SECONDS = 20;

interface IngestReply {
  accepted?: number;
  rejected?: unknown[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function startSimulator(options: SimulatorOptions): Simulator {
  const clock = options.clock ?? systemClock;
  const rng = new Random(options.seed ?? Date.now() & 0x7fffffff);
  const hostileShare = options.hostileShare ?? 0.03;
  const maxAttempts = options.maxAttempts ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const log = options.log ?? ((): void => undefined);
  const counters: SimulatorStats = { sent: 0, accepted: 0, rejected: 0, failures: 0 };
  const pending = new Set<Promise<void>>();
  const states: SensorState[] = options.sensors.map((sensor) => ({ sensor, profile: trafficProfile(sensor), burstLeft: 0, inFlight: false }));
  const totalWeight = states.reduce((sum, s) => sum + s.profile.weight, 0) || 1;
  const refusedSensors = new Set<string>();
  let stopped = false;

  // Syslog transports: one UDP socket, one TCP connection kept open and re-opened when it drops.
  let udp: UdpSocket | null = null;
  let udpOutstanding = 0;
  let udpDrained: (() => void) | null = null;
  let tcp: Socket | null = null;
  let tcpReady = false;
  let tcpRetryAt = 0;
  /** Lines waiting for the TCP connection to open; bounded so that a dead collector costs little memory. */
  let tcpQueue: string[] = [];
  const TCP_QUEUE_LIMIT = 10_000;

  function track(work: Promise<void>): void {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }

  async function postBatch(state: SensorState, batch: Exclude<SensorBatch, { kind: 'syslog' }>): Promise<void> {
    const records = batch.kind === 'text' ? batch.lines.length : batch.objects.length;
    const text = batch.kind === 'text' ? `${batch.lines.join('\n')}\n` : `${batch.objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
    const gzip = rng.chance(0.3);
    const body = gzip ? gzipSync(text) : Buffer.from(text, 'utf8');
    const headers: Record<string, string> = {
      authorization: `Bearer ${state.sensor.key}`,
      'idempotency-key': randomUUID(),
      'content-type': batch.kind === 'text' ? 'text/plain; charset=utf-8' : 'application/x-ndjson',
      'user-agent': 'vigil-demo-simulator/1',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    counters.sent += records;
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs = retryBaseMs * 2 ** (attempt - 1);
      try {
        const response = await request(options.ingestUrl, { method: 'POST', headers, body, headersTimeout: 30_000, bodyTimeout: 30_000 });
        const status = response.statusCode;
        if (status >= 200 && status < 300) {
          const reply = (await response.body.json()) as IngestReply;
          counters.accepted += typeof reply.accepted === 'number' ? reply.accepted : 0;
          counters.rejected += Array.isArray(reply.rejected) ? reply.rejected.length : 0;
          return;
        }
        const detail = await response.body.text().catch(() => '');
        if (status !== 429 && status < 500) {
          // A refusal (bad key, bad request) will not get better by retrying.
          counters.failures++;
          if (!refusedSensors.has(state.sensor.sensorId)) {
            refusedSensors.add(state.sensor.sensorId);
            log(`demo simulator: ingest refused a batch of ${state.sensor.name} with ${status}: ${detail.slice(0, 300)}`);
          }
          return;
        }
        const retryAfter = Number(response.headers['retry-after']);
        if (status === 429 && Number.isFinite(retryAfter)) retryAfterMs = Math.min(retryAfter * 1000, 5000);
        if (attempt >= maxAttempts) throw new Error(`status ${status}`);
      } catch (error) {
        if (attempt >= maxAttempts) {
          counters.failures++;
          log(`demo simulator: batch of ${state.sensor.name} failed after ${attempt} attempts: ${(error as Error).message}`);
          return;
        }
      }
      await sleep(retryAfterMs);
    }
  }

  function ensureTcp(): void {
    const target = options.syslog;
    if (!target?.tcpPort || tcp !== null || clock.now() < tcpRetryAt || stopped) return;
    const socket = new Socket();
    tcp = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      tcpReady = true;
      flushTcp();
    });
    socket.on('error', (error) => {
      log(`demo simulator: syslog TCP ${target.host}:${target.tcpPort}: ${error.message}`);
    });
    socket.on('close', () => {
      tcpReady = false;
      if (tcp === socket) tcp = null;
      tcpRetryAt = clock.now() + 2000;
    });
    socket.connect(target.tcpPort, target.host);
  }

  function flushTcp(): void {
    if (!tcpReady || tcp === null || tcpQueue.length === 0) return;
    const lines = tcpQueue;
    tcpQueue = [];
    counters.sent += lines.length;
    tcp.write(lines.map((line) => `${Buffer.byteLength(line, 'utf8')} ${line}`).join(''));
  }

  function sendSyslog(udpLines: string[], tcpLines: string[]): void {
    const target = options.syslog;
    if (!target) return;
    // With one transport only, everything goes through it.
    const viaUdp = target.udpPort ? [...udpLines, ...(target.tcpPort ? [] : tcpLines)] : [];
    const viaTcp = target.tcpPort ? [...tcpLines, ...(target.udpPort ? [] : udpLines)] : [];
    if (viaUdp.length > 0 && target.udpPort) {
      udp ??= createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
      for (const line of viaUdp) {
        udpOutstanding++;
        udp.send(line, target.udpPort, target.host, (error) => {
          udpOutstanding--;
          if (error) counters.failures++;
          else counters.sent++;
          if (udpOutstanding === 0) udpDrained?.();
        });
      }
    }
    if (viaTcp.length > 0) {
      const room = TCP_QUEUE_LIMIT - tcpQueue.length;
      if (room < viaTcp.length) counters.failures += viaTcp.length - Math.max(room, 0);
      if (room > 0) tcpQueue.push(...viaTcp.slice(0, room));
      ensureTcp();
      flushTcp();
    }
  }

  function tick(): void {
    if (stopped) return;
    try {
      const now = clock.now();
      for (const state of states) {
        // Bursts: start with a probability that keeps about BURST_FRACTION of seconds hostile.
        if (state.burstLeft > 0) state.burstLeft--;
        else if (hostileShare > 0 && rng.chance(BURST_FRACTION / ((1 - BURST_FRACTION) * BURST_MEAN_SECONDS))) {
          state.burstLeft = rng.int(BURST_MEAN_SECONDS / 2, BURST_MEAN_SECONDS * 1.5);
        }
        const rate = (options.eventsPerSecond * state.profile.weight * profileActivity(state.profile, now)) / totalWeight;
        const hostileRate = state.burstLeft > 0 ? rate * Math.min(0.8, hostileShare / BURST_FRACTION) : 0;
        const count = rng.round(Math.max(0, rate - hostileRate));
        const hostile = rng.round(hostileRate);
        if (count + hostile === 0) continue;
        if (state.sensor.transport === 'syslog') {
          const batch = buildSensorBatch(rng, state.profile, now, count, hostile);
          if (batch.kind === 'syslog') sendSyslog(batch.udp, batch.tcp);
          continue;
        }
        if (state.inFlight) continue; // the previous batch is still being retried: skip a second
        const batch = buildSensorBatch(rng, state.profile, now, count, hostile);
        if (batch.kind === 'syslog') continue;
        state.inFlight = true;
        track(
          postBatch(state, batch)
            .catch(() => {
              counters.failures++;
            })
            .finally(() => {
              state.inFlight = false;
            }),
        );
      }
    } catch (error) {
      counters.failures++;
      log(`demo simulator: tick failed: ${(error as Error).message}`);
    }
  }

  ensureTcp();
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref();

  return {
    stats: () => ({ ...counters }),
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([...pending]);
      flushTcp();
      counters.failures += tcpQueue.length; // never connected: these lines were not delivered
      tcpQueue = [];
      const closing: Promise<void>[] = [];
      const socket = tcp;
      if (socket !== null) {
        closing.push(new Promise<void>((resolve) => socket.once('close', () => resolve())));
        socket.end();
      }
      const dgram = udp;
      if (dgram !== null) {
        if (udpOutstanding > 0) await new Promise<void>((resolve) => (udpDrained = resolve));
        closing.push(new Promise<void>((resolve) => dgram.close(() => resolve())));
      }
      await Promise.all(closing);
    },
  };
}

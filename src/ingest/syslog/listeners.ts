/**
 * @module ingest/syslog/listeners
 * Starts the syslog listeners the configuration asks for — UDP (RFC 5426), TCP (RFC 6587) and
 * TLS (RFC 5425) — over one shared batcher that hands each sensor's messages to the ingest sink
 * in batches. Records are `{ text }` with no format: the sensor's `format` decides, or each line
 * is auto-detected. Syslog has no acknowledgement, so what the sink refuses is counted and
 * logged, never retried; the listener itself never crashes on a sender's or the sink's error.
 *
 * `resolveSensors` is called once per datagram, per connection and per flush, so a new sensor
 * list takes effect without a restart; it must be cheap (return a cached resolver).
 */
import type { IngestSink } from '../sink.js';
import { SyslogBatcher } from './batcher.js';
import type { ListenerContext } from './context.js';
import { LogLimiter } from './log-limiter.js';
import type { SyslogSensorResolver } from './sensor-resolver.js';
import type { SyslogStats } from './stats.js';
import { createSyslogStats, snapshotStats } from './stats.js';
import type { StreamListener, TlsListenerOptions } from './stream.js';
import { startTcpListener, startTlsListener } from './stream.js';
import type { UdpListener } from './udp.js';
import { startUdpListener } from './udp.js';

export type { SyslogStats, SyslogTransportStats } from './stats.js';
export type { TlsListenerOptions } from './stream.js';

export interface SyslogListenerOptions {
  udp?: { host: string; port: number };
  tcp?: { host: string; port: number };
  tls?: TlsListenerOptions;
  /** Largest message accepted, in bytes (without framing); larger ones are dropped and counted. */
  maxMessageBytes: number;
  /** A sensor's buffered messages are flushed at the latest this long after the first arrived. */
  flushIntervalMs: number;
  /** A batch is flushed as soon as it holds this many messages. */
  maxBatch: number;
  sink: IngestSink;
  resolveSensors: () => SyslogSensorResolver;
  /** Called for each refused datagram or connection; `peer` is the source address. */
  onUnknownSource?: (peer: string, transport: string) => void;
  log?: (msg: string, fields?: object) => void;
}

export interface SyslogListeners {
  /** The bound ports (the actual ones when 0 was asked for). */
  udpPort?: number;
  tcpPort?: number;
  tlsPort?: number;
  /** A snapshot of the counters. */
  stats(): SyslogStats;
  /** Stops accepting, flushes what is buffered, closes every connection, then resolves. */
  close(): Promise<void>;
}

export async function startSyslogListeners(options: SyslogListenerOptions): Promise<SyslogListeners> {
  for (const [name, value] of [['maxMessageBytes', options.maxMessageBytes], ['maxBatch', options.maxBatch], ['flushIntervalMs', options.flushIntervalMs]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`syslog listeners: ${name} must be a positive integer, got ${value}`);
  }
  const log = options.log ?? (() => undefined);
  const stats = createSyslogStats();
  const limiter = new LogLimiter();
  const batcher = new SyslogBatcher({
    sink: options.sink,
    maxBatch: options.maxBatch,
    flushIntervalMs: options.flushIntervalMs,
    resolveSensors: options.resolveSensors,
    stats,
    limiter,
    log,
  });
  const ctx: ListenerContext = {
    batcher,
    stats,
    limiter,
    maxMessageBytes: options.maxMessageBytes,
    resolveSensors: options.resolveSensors,
    onUnknownSource: options.onUnknownSource,
    log,
  };

  let udp: UdpListener | undefined;
  let tcp: StreamListener | undefined;
  let tls: StreamListener | undefined;
  const closeAll = async (): Promise<void> => {
    // Stop accepting and end connections first (each flushes its own batch), then the rest (UDP).
    await Promise.all([udp?.close(), tcp?.close(), tls?.close()]);
    batcher.flushAll();
    await batcher.settled();
  };
  try {
    if (options.udp) udp = await startUdpListener(ctx, options.udp.host, options.udp.port);
    if (options.tcp) tcp = await startTcpListener(ctx, options.tcp.host, options.tcp.port);
    if (options.tls) tls = await startTlsListener(ctx, options.tls);
  } catch (error) {
    // A port in use must not leave the listeners that did start bound.
    await closeAll();
    throw error;
  }
  for (const [transport, listener] of [['udp', udp], ['tcp', tcp], ['tls', tls]] as const) {
    if (listener) log(`syslog: listening for ${transport} on port ${listener.port}`);
  }

  let closing: Promise<void> | undefined;
  return {
    udpPort: udp?.port,
    tcpPort: tcp?.port,
    tlsPort: tls?.port,
    stats: () => snapshotStats(stats),
    close: () => (closing ??= closeAll()),
  };
}

/**
 * @module ingest/syslog/stats
 * The counters every syslog listener keeps, the same way for each transport (received, flushed,
 * dropped and why), so `/metrics` can show them. Invariant: `received = flushed + dropped +`
 * whatever is still buffered; a connection refused for an unknown source (TCP, TLS) is counted
 * in `unknownSource` only, since none of its messages were read.
 */

export type SyslogTransport = 'syslog-udp' | 'syslog-tcp' | 'syslog-tls';

export interface SyslogTransportStats {
  /** Messages (datagrams, frames) received, including those dropped afterwards. */
  received: number;
  /** Messages handed to the sink in a batch that it accepted. */
  flushed: number;
  /** Messages dropped: unknown source (UDP), oversize, empty, sink failure, sensor disabled. */
  dropped: number;
  /** Datagrams (UDP) or connections (TCP, TLS) refused because no enabled sensor matched. */
  unknownSource: number;
  /** Messages over `maxMessageBytes`. */
  oversize: number;
  /** Malformed octet-count headers and frames cut short by the end of a connection. */
  invalidFrames: number;
  /** Batches handed to the sink successfully. */
  batches: number;
  /** Batches for which the sink threw (their messages are in `dropped`). */
  sinkErrors: number;
  /** Connections open now (TCP, TLS). */
  connections: number;
  /** TLS handshakes that failed (bad or missing client certificate, protocol errors). */
  handshakeFailures: number;
}

export interface SyslogStats {
  udp: SyslogTransportStats;
  tcp: SyslogTransportStats;
  tls: SyslogTransportStats;
}

export function createSyslogStats(): SyslogStats {
  return { udp: emptyTransportStats(), tcp: emptyTransportStats(), tls: emptyTransportStats() };
}

export function statsOf(stats: SyslogStats, transport: SyslogTransport): SyslogTransportStats {
  return transport === 'syslog-udp' ? stats.udp : transport === 'syslog-tcp' ? stats.tcp : stats.tls;
}

/** A deep copy, so callers can diff snapshots. */
export function snapshotStats(stats: SyslogStats): SyslogStats {
  return { udp: { ...stats.udp }, tcp: { ...stats.tcp }, tls: { ...stats.tls } };
}

function emptyTransportStats(): SyslogTransportStats {
  return { received: 0, flushed: 0, dropped: 0, unknownSource: 0, oversize: 0, invalidFrames: 0, batches: 0, sinkErrors: 0, connections: 0, handshakeFailures: 0 };
}

/**
 * @module ingest/syslog/context
 * What the UDP, TCP and TLS listeners share: the batcher, the counters, the rate-limited log, and
 * the one way an unknown sender is refused (counted per transport, reported to
 * `onUnknownSource`, logged at most once a minute per source address).
 */
import type { SyslogBatcher } from './batcher.js';
import type { LogLimiter } from './log-limiter.js';
import type { SyslogSensorResolver } from './sensor-resolver.js';
import type { SyslogStats, SyslogTransport } from './stats.js';
import { statsOf } from './stats.js';

export interface ListenerContext {
  batcher: SyslogBatcher;
  stats: SyslogStats;
  limiter: LogLimiter;
  maxMessageBytes: number;
  resolveSensors: () => SyslogSensorResolver;
  onUnknownSource?: (peer: string, transport: string) => void;
  log: (msg: string, fields?: object) => void;
}

/** Counts and reports a sender no enabled sensor claims. `address` has no port: one key per host. */
export function reportUnknownSource(ctx: ListenerContext, transport: SyslogTransport, address: string, detail?: object): void {
  statsOf(ctx.stats, transport).unknownSource++;
  try {
    ctx.onUnknownSource?.(address, transport);
  } catch (error) {
    ctx.log('syslog: onUnknownSource threw', { error: String(error) });
  }
  logLimited(ctx, `unknown:${transport}:${address}`, 'syslog: message from an unknown source refused', { transport, peer: address, ...detail });
}

/** Logs `msg` unless `key` was logged less than a minute ago. */
export function logLimited(ctx: ListenerContext, key: string, msg: string, fields: object): void {
  const admitted = ctx.limiter.admit(key);
  if (admitted) ctx.log(msg, admitted.suppressed > 0 ? { ...fields, suppressed: admitted.suppressed } : fields);
}

/** `::ffff:10.0.0.1` → `10.0.0.1`: a dual-stack socket reports IPv4 senders mapped. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address) ? address.slice(7) : address;
}

/** `10.0.0.1:514`, `[2001:db8::1]:514`. */
export function formatPeer(address: string, port: number | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

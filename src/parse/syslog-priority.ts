/**
 * @module parse/syslog-priority
 * The syslog PRI part (`<PRIVAL>`), shared by RFC 5424 and RFC 3164: PRIVAL = facility × 8 +
 * severity, 0–191 (RFC 5424 §6.2.1, RFC 3164 §4.1.1), and the names ECS `log.syslog.facility.name`
 * / `log.syslog.severity.name` carry: the keywords syslog daemons use (`auth`, `local7`) and the
 * severity names of RFC 5424 Table 2 in lower case, as Elastic's syslog processor writes them.
 */
import { Malformed } from './normaliser.js';

/** Facility keywords by code (RFC 5424 Table 1; 13–15 have no common keyword, so their role). */
export const FACILITY_NAMES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news',
  'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** Severity names by code (RFC 5424 Table 2). */
export const SEVERITY_NAMES: readonly string[] = [
  'emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug',
];

/** `scanPriority` result when the text has no PRI. */
export const NO_PRIORITY = -1;

/**
 * Reads `<PRIVAL>` at the start of `text`. Returns the PRIVAL, `NO_PRIORITY` when the text does
 * not start with `<` (RFC 3164 lines relayed from files have none), or `Malformed` when a PRI is
 * started but broken. `priorityEnd` gives the index just past it.
 */
export function scanPriority(text: string, label: string): number | Malformed {
  if (text.charCodeAt(0) !== 60 /* < */) return NO_PRIORITY;
  let value = 0;
  let i = 1;
  for (; i < text.length && i <= 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) break;
    const d = c - 48;
    if (d < 0 || d > 9) return new Malformed(`${label}: PRI must be 1–3 digits between < and > (RFC 5424 §6.2.1)`);
    value = value * 10 + d;
  }
  if (i === 1 || i > 4 || text.charCodeAt(i) !== 62) {
    return new Malformed(`${label}: PRI must be 1–3 digits between < and > (RFC 5424 §6.2.1)`);
  }
  if (value > 191) return new Malformed(`${label}: PRI ${value} out of range 0–191`);
  return value;
}

/** Index just past the `>` of a PRI that `scanPriority` accepted. */
export function priorityEnd(text: string): number {
  return text.indexOf('>') + 1;
}

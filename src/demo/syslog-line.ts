/**
 * @module demo/syslog-line
 * Syslog as the demo's relay sends it: RFC 3164 headers (`<PRI>Mmm dd hh:mm:ss host tag[pid]: msg`,
 * local time without a zone, day padded with a space — RFC 3164 §4.1.2) and ArcSight CEF records as
 * a FortiGate writes them in CEF mode (header fields escaped per the CEF specification: `|` and
 * `\` in the header; `=` and `\` in extension values, newlines as `\n`).
 */

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Facility × 8 + severity (RFC 5424 §6.2.1 tables, the same numbers as RFC 3164). */
export const facility = { kern: 0, user: 1, daemon: 3, auth: 4, authpriv: 10, local7: 23 } as const;
export const severity = { alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6 } as const;

export function priority(fac: keyof typeof facility, sev: keyof typeof severity): number {
  return facility[fac] * 8 + severity[sev];
}

/** `Jul  1 09:15:02` in the sender's local time. */
export function bsdTimestamp(time: number, tzOffsetMinutes: number): string {
  const local = new Date(time + tzOffsetMinutes * 60_000);
  const day = String(local.getUTCDate()).padStart(2, ' ');
  return `${months[local.getUTCMonth()] ?? 'Jan'} ${day} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}

export function rfc3164(pri: number, time: number, hostname: string, tag: string, message: string, tzOffsetMinutes = 420): string {
  return `<${pri}>${bsdTimestamp(time, tzOffsetMinutes)} ${hostname} ${tag}: ${message}`;
}

/** A header followed directly by the content, without a tag: how a FortiGate sends CEF over syslog. */
export function rfc3164Untagged(pri: number, time: number, hostname: string, content: string, tzOffsetMinutes = 420): string {
  return `<${pri}>${bsdTimestamp(time, tzOffsetMinutes)} ${hostname} ${content}`;
}

const cefHeaderEscape = (value: string): string => value.replace(/[\\|]/g, (c) => `\\${c}`);
const cefValueEscape = (value: string): string => value.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

export interface CefRecord {
  vendor: string;
  product: string;
  version: string;
  signatureId: string;
  name: string;
  severity: number;
  /** Extension pairs in the order the device writes them. */
  extension: readonly (readonly [string, string | number])[];
}

export function formatCef(record: CefRecord): string {
  const header = [record.vendor, record.product, record.version, record.signatureId, record.name, String(record.severity)].map(cefHeaderEscape).join('|');
  const extension = record.extension.map(([key, value]) => `${key}=${cefValueEscape(String(value))}`).join(' ');
  return `CEF:0|${header}|${extension}`;
}

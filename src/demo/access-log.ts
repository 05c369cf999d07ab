/**
 * @module demo/access-log
 * One HTTP request as a web server logs it, and the three ways the demo's portals write it:
 * nginx `combined`, Apache `combined` (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`)
 * and IIS W3C extended logging with IIS's default field set. The formatters reproduce each
 * server's quirks: nginx escapes `"` as `\x22` and logs 0 bytes as `0`; Apache escapes `"` as `\"`
 * and logs 0 bytes as `-`; IIS logs UTC, replaces spaces in the user agent with `+`, and
 * writes `-` for empty fields.
 */

export interface HttpAccess {
  /** Epoch ms of the request. */
  time: number;
  clientIp: string;
  method: string;
  /** Path as sent, already percent-encoded. */
  path: string;
  /** Query string without `?`, as sent; empty when none. */
  query: string;
  protocol: 'HTTP/1.1' | 'HTTP/2.0';
  status: number;
  /** Response body bytes. */
  bytes: number;
  referer: string | null;
  userAgent: string;
  user: string | null;
  durationMs: number;
}

export type AccessLogFormat = 'nginx' | 'apache' | 'w3c';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `[10/Oct/2025:13:55:36 +0700]` in the server's local offset. */
export function commonLogTime(time: number, tzOffsetMinutes: number): string {
  const local = new Date(time + tzOffsetMinutes * 60_000);
  const sign = tzOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzOffsetMinutes);
  return (
    `${pad(local.getUTCDate())}/${months[local.getUTCMonth()] ?? 'Jan'}/${local.getUTCFullYear()}:` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** nginx `escape=default`: `"`, `\` and bytes outside printable ASCII become `\xHH`. */
function nginxEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte === 0x22 || byte === 0x5c || byte < 0x20 || byte > 0x7e ? `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

/** Apache escapes `"` and `\` with a backslash and control characters as `\xhh`. */
function apacheEscape(text: string): string {
  return text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function requestLine(access: HttpAccess): string {
  return `${access.method} ${access.path}${access.query ? `?${access.query}` : ''} ${access.protocol}`;
}

export function formatCombined(access: HttpAccess, server: 'nginx' | 'apache', tzOffsetMinutes = 420): string {
  const escape = server === 'nginx' ? nginxEscape : apacheEscape;
  const bytes = server === 'apache' && access.bytes === 0 ? '-' : String(access.bytes);
  return (
    `${access.clientIp} - ${access.user ?? '-'} [${commonLogTime(access.time, tzOffsetMinutes)}] ` +
    `"${escape(requestLine(access))}" ${access.status} ${bytes} "${escape(access.referer ?? '-')}" "${escape(access.userAgent)}"`
  );
}

/** IIS 10 default W3C fields. */
export const w3cFields = [
  'date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip',
  'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken',
] as const;

function utcDateTime(time: number): [string, string] {
  const iso = new Date(time).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

/** The directives IIS writes at the top of a log file; a forwarder repeats them on every batch. */
export function w3cDirectives(time: number): string[] {
  const [date, clock] = utcDateTime(time);
  return [
    '#Software: Microsoft Internet Information Services 10.0',
    '#Version: 1.0',
    `#Date: ${date} ${clock}`,
    `#Fields: ${w3cFields.join(' ')}`,
  ];
}

const w3cValue = (value: string | null): string => (value === null || value === '' ? '-' : value.replace(/ /g, '+'));

export function formatW3c(access: HttpAccess, serverIp: string, port = 443): string {
  const [date, clock] = utcDateTime(access.time);
  const win32 = access.status === 499 ? 64 : 0;
  return [
    date, clock, serverIp, access.method, access.path, w3cValue(access.query), String(port), w3cValue(access.user),
    access.clientIp, w3cValue(access.userAgent), w3cValue(access.referer), String(access.status === 499 ? 400 : access.status),
    '0', String(win32), String(Math.max(1, Math.round(access.durationMs))),
  ].join(' ');
}

/** The lines of one batch in the sensor's format (W3C batches start with their directives). */
export function formatAccessLog(accesses: readonly HttpAccess[], format: AccessLogFormat, serverIp: string, batchTime: number): string[] {
  if (format === 'w3c') return [...w3cDirectives(batchTime), ...accesses.map((a) => formatW3c(a, serverIp))];
  return accesses.map((a) => formatCombined(a, format));
}

/**
 * @module parse/auth-log
 * Recognises the Unix auth-log messages the centre watches most closely, the logins and privilege
 * use of officials and administrators, and adds ECS categorisation to the syslog event:
 *
 * - OpenSSH `sshd` (and `sshd-session`, OpenSSH ≥ 9.8): `Failed <method> for [invalid user] X from
 *   IP port N ssh2`, `Accepted <method> for X from IP port N ssh2[: key]`, `Invalid user X from IP
 *   port N` → `event.category: authentication`, `event.outcome`, `user.name`, `source.ip/port`.
 * - `sudo`: `user : [reason ;] TTY=… ; PWD=… ; USER=root ; COMMAND=…` → `event.category: process`,
 *   `user.name` (who ran sudo), `user.effective.name` (as whom), `process.command_line`, and
 *   `event.outcome: failure` with `event.reason` when sudo refused (`user NOT in sudoers`, `3
 *   incorrect password attempts`).
 *
 * Plain string searches on a message already known to come from sshd or sudo: no regular
 * expressions on the hot path, and nothing at all for other programs.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import { isIpAddress } from './ip.js';
import { parsePort } from './network-values.js';

/** Reads `from IP port N` at `at` (the index of ` from `) into `event.source`. */
function readSourceAt(event: EcsEvent, message: string, at: number): void {
  const ipStart = at + 6;
  const portAt = message.indexOf(' port ', ipStart);
  const ipEnd = portAt === -1 ? message.indexOf(' ', ipStart) : portAt;
  const ip = message.slice(ipStart, ipEnd === -1 ? message.length : ipEnd);
  const source: EcsObject = {};
  if (isIpAddress(ip)) source.ip = ip;
  else source.address = ip;
  if (portAt !== -1) {
    const portEnd = message.indexOf(' ', portAt + 6);
    const port = parsePort(message.slice(portAt + 6, portEnd === -1 ? message.length : portEnd));
    if (port >= 0) source.port = port;
  }
  event.source = source;
}

/** sshd: returns true when the message was a login attempt it recognised. */
function annotateSshd(event: EcsEvent, message: string): boolean {
  let success: boolean;
  let userStart: number;
  if (message.startsWith('Accepted ') || message.startsWith('Failed ')) {
    success = message.charCodeAt(0) === 65; /* A */
    const forAt = message.indexOf(' for ', 7);
    if (forAt === -1) return false;
    event.event.action = 'ssh_login';
    const method = message.slice(success ? 9 : 7, forAt);
    if (method.length > 0 && method.length <= 32) event.event.reason = `${method} authentication ${success ? 'accepted' : 'failed'}`;
    userStart = forAt + 5;
    if (message.startsWith('invalid user ', userStart)) userStart += 13;
  } else if (message.startsWith('Invalid user ')) {
    success = false;
    event.event.action = 'ssh_login';
    event.event.reason = 'invalid user';
    userStart = 13;
  } else {
    return false;
  }
  // The user name may itself contain spaces; the address part is the last ` from `.
  const fromAt = message.lastIndexOf(' from ');
  if (fromAt < userStart) return false;
  event.user = { name: message.slice(userStart, fromAt) };
  readSourceAt(event, message, fromAt);
  event.event.category = ['authentication'];
  event.event.type = success ? ['start'] : ['info'];
  event.event.outcome = success ? 'success' : 'failure';
  return true;
}

/** sudo: `  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`. */
function annotateSudo(event: EcsEvent, message: string): boolean {
  const sep = message.indexOf(' : ');
  if (sep === -1) return false;
  const commandAt = message.indexOf('COMMAND=', sep);
  const ttyAt = message.indexOf('TTY=', sep);
  if (commandAt === -1 && ttyAt === -1) return false;
  let start = 0;
  while (message.charCodeAt(start) === 32) start++;
  const user: EcsObject = { name: message.slice(start, sep) };
  const existing = event.process;
  const process: EcsObject = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {};
  let reason: string | undefined;
  let i = sep + 3;
  const n = message.length;
  while (i < n) {
    if (message.startsWith('COMMAND=', i)) {
      // COMMAND is last and may itself contain ` ; `.
      process.command_line = message.slice(i + 8);
      break;
    }
    let end = message.indexOf(' ; ', i);
    if (end === -1) end = n;
    if (message.startsWith('USER=', i)) user.effective = { name: message.slice(i + 5, end) };
    else if (message.startsWith('PWD=', i)) process.working_directory = message.slice(i + 4, end);
    else if (i === sep + 3 && message.lastIndexOf('=', end) < i) reason = message.slice(i, end);
    i = end + 3;
  }
  event.user = user;
  event.process = process;
  event.event.action = 'sudo';
  if (reason === undefined) {
    event.event.category = ['process'];
    event.event.type = ['start'];
    event.event.outcome = 'success';
  } else {
    // A refused sudo is a failed privilege use; wrong passwords also a failed authentication.
    event.event.category = reason.includes('password') ? ['authentication', 'process'] : ['process'];
    event.event.type = ['info'];
    event.event.outcome = 'failure';
    event.event.reason = reason;
  }
  return true;
}

/**
 * Adds ECS authentication/process fields to a syslog `event` when `appname` is sshd or sudo and
 * `message` is one of the shapes above. Returns whether it did.
 */
export function annotateAuthLog(event: EcsEvent, appname: string | undefined, message: string | undefined): boolean {
  if (appname === undefined || message === undefined) return false;
  if (appname.startsWith('sshd')) return annotateSshd(event, message);
  if (appname === 'sudo') return annotateSudo(event, message);
  return false;
}

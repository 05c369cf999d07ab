/**
 * @module analyze/detectors/shared
 * Small helpers shared by the non-SQL/XSS detectors: building findings with truncated evidence,
 * parameter names from input locations, the request path, and the known-command table used by
 * both the shell and web-shell detectors.
 */
import type { AttackClass, Detector, Finding, Input, Transaction } from '../contract.js';
import { lowerName, lowerOf } from './facts.js';
export { headerOf } from '../contract.js';

/** Evidence is truncated to this many characters. */
export const MAX_EVIDENCE = 256;

export function truncate(text: string, max: number = MAX_EVIDENCE): string {
  return text.length <= max ? text : text.slice(0, max);
}

export function finding(cls: AttackClass, score: number, location: string, decoded: string, reason: string): Finding {
  return { class: cls, score: Math.max(0, Math.min(10, score)), location, decoded: truncate(decoded), reason };
}

/**
 * A detector that judges each input's decoded value on its own (SQL, HTML/JS): one finding per
 * input that scores above zero, with the whole decoded value (truncated) as evidence.
 */
export function perValueDetector(name: string, cls: AttackClass, judge: (input: Input) => { score: number; reason: string }): Detector {
  return {
    name,
    inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
      const findings: Finding[] = [];
      for (const input of inputs) {
        const judged = judge(input);
        if (judged.score > 0) findings.push(finding(cls, judged.score, input.location, input.decoded, judged.reason));
      }
      return findings;
    },
  };
}

/** Evidence around `index` in `text` (the decoded value), at most MAX_EVIDENCE characters. */
export function around(text: string, index: number, length = 0): string {
  if (text.length <= MAX_EVIDENCE) return text;
  const start = Math.max(0, Math.min(index - 64, text.length - MAX_EVIDENCE));
  return text.slice(start, start + Math.max(MAX_EVIDENCE, length));
}

/** `args.file` → `file`, `body.user.name` → `name`, `path` → ``. Lower-cased. */
export function paramName(location: string): string {
  const dot = location.indexOf('.');
  if (dot < 0) return '';
  const last = location.lastIndexOf('.');
  const name = location.slice(last + 1);
  return (name.endsWith(']') ? name.replace(/\[\d*\]$/, '') : name).toLowerCase();
}

/** Whether the input is a parameter value (query, form/JSON/multipart field, cookie). */
export function isParameter(location: string): boolean {
  return location.startsWith('args.') || location.startsWith('body.') || location.startsWith('cookies.');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The decoded request path: the `path` input when extracted, else the URI before `?`. */
export function requestPath(transaction: Transaction, inputs: readonly Input[]): string {
  for (const input of inputs) if (input.location === 'path') return input.decoded;
  const uri = transaction.uri;
  const q = uri.search(/[?#]/);
  return safeDecode(q < 0 ? uri : uri.slice(0, q));
}

/** `headerOf(transaction, name)` for a lower-case `name`. */
export function headerLower(transaction: Transaction, name: string): string | undefined {
  for (const key in transaction.headers) if (lowerName(key) === name) return transaction.headers[key];
  return undefined;
}

/** `requestPath(transaction, inputs).toLowerCase()`, sharing the lower-cased `path` input. */
export function requestPathLower(transaction: Transaction, inputs: readonly Input[]): string {
  for (const input of inputs) if (input.location === 'path') return lowerOf(input);
  return requestPath(transaction, inputs).toLowerCase();
}

/** Best (highest-score) finding per location, dropping those below `min`. */
export function keepBest(findings: Finding[], min = 3): Finding[] {
  if (findings.length === 0) return findings;
  if (findings.length === 1) return (findings[0]?.score ?? 0) >= min ? findings : [];
  const best = new Map<string, Finding>();
  for (const f of findings) {
    if (f.score < min) continue;
    const key = `${f.class}\u0000${f.location}`;
    const prev = best.get(key);
    if (!prev || f.score > prev.score) best.set(key, f);
  }
  return [...best.values()];
}

/**
 * Commands an attacker runs first after an injection. `strong` ones are rarely ordinary words;
 * `weak` ones need shell-looking arguments (see shell.ts) before they count.
 */
export const strongCommands: ReadonlySet<string> = new Set([
  'whoami', 'uname', 'wget', 'curl', 'ncat', 'netcat', 'bash', 'zsh', 'ksh', 'dash', 'powershell', 'pwsh',
  'powershell.exe', 'cmd.exe', 'certutil', 'certutil.exe', 'nslookup', 'python', 'python2', 'python3', 'perl',
  'ifconfig', 'ipconfig', 'systeminfo', 'tasklist', 'netstat', 'busybox', 'mkfifo', 'chmod', 'telnet',
  'bitsadmin', 'mshta', 'rundll32', 'regsvr32', 'wmic', 'hostname', 'passwd', 'useradd', 'crontab',
]);
export const weakCommands: ReadonlySet<string> = new Set([
  'id', 'cat', 'ls', 'nc', 'sh', 'cmd', 'ping', 'echo', 'sleep', 'dir', 'type', 'php', 'ruby', 'rm', 'ps',
  'head', 'tail', 'more', 'less', 'net', 'dig', 'find', 'env', 'pwd', 'cp', 'mv', 'touch', 'kill', 'tftp',
  'ftp', 'timeout', 'node', 'expr', 'printenv', 'set', 'ver', 'whoami.exe', 'base64', 'xxd', 'awk', 'sed',
]);

const QUOTING = /['"\\$]/;

/**
 * A shell word with quoting games undone (`w'h'o"am"i`, `wh\oami`, `who$@ami`), basename only.
 * `quoted`: false when the caller knows the word has none of `' " \ $`.
 */
export function cleanWord(word: string, quoted = true): string {
  let w = word;
  if (quoted) {
    if (word.charCodeAt(1) === 58 && /^[a-z]:\\/i.test(word)) w = word.replace(/\\/g, '/');
    if (QUOTING.test(w)) w = w.replace(/['"\\]|\$@|\$\*|\$\{\}/g, '');
  }
  const slash = w.lastIndexOf('/');
  if (slash >= 0) w = w.slice(slash + 1);
  return w;
}

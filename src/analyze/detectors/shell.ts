/**
 * @module analyze/detectors/shell
 * OS command injection, read the way a shell would: a command separator (`;`, `|`, `||`, `&&`,
 * `&`, newline, backticks, `$(`) followed by a command word — with quoting games (`w'h'o'am'i`,
 * `wh\oami`, `${IFS}`) undone — that names a known command with shell-looking arguments. Plus
 * reverse-shell shapes, `sh -c`, and Shellshock in any header. Prose with `&`/`;`, phone lists and
 * `a|b` search terms stay quiet because the word after the separator is not a command.
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { C, L, charsOf, isQuiet, kindOf, lowerName, lowerOf, wordsPattern } from './facts.js';
import { around, cleanWord, finding, keepBest, strongCommands, weakCommands } from './shared.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

const shellshock = /\(\s*\)\s*\{\s*[^}]*;\s*\}\s*;/;

const shapes: readonly (readonly [RegExp, number, string])[] = [
  [/\/dev\/(?:tcp|udp)\/[\w.-]+\/\d+/, 10, 'rce:reverse-shell-dev-tcp'],
  [/\b(?:bash|sh)\s+-i\s*[>&]/, 10, 'rce:reverse-shell-interactive'],
  [/\b(?:nc|ncat|netcat)(?:\.exe)?\s+(?:-[a-z]*\s+)*-[a-z]*[ec]\s*\S*(?:sh|cmd)/, 10, 'rce:reverse-shell-nc'],
  [/\bmkfifo\s+\/tmp\//, 9, 'rce:mkfifo'],
  [/\/bin\/(?:ba|z|k|da)?sh\s+-c\b/, 9, 'rce:sh-c'],
  [/\bcmd(?:\.exe)?\s*\/[ck]\s+\S/, 8, 'rce:cmd-c'],
  [/\bpowershell(?:\.exe)?\s+(?:-\w+\s+)*-(?:e|enc|encodedcommand|c|command|nop|w)\b/, 9, 'rce:powershell'],
  [/\bcertutil(?:\.exe)?\s+-urlcache/, 9, 'rce:certutil-download'],
  [/\b(?:wget|curl)\s+(?:-\S+\s+)*(?:https?:\/\/|\d+\.\d+\.\d+\.\d+)\S*\s*(?:\||-o|-O|;|&&|>)/i, 9, 'rce:download-exec'],
];

/**
 * Cheap gate, `[;|&`\n\r$]|\/bin\/|cmd|powershell|\/dev\//i`: its characters checked in the
 * value's character classes, the rest with `gateWords`.
 */
const gateChars = C.semicolon | C.pipe | C.amp | C.backtick | C.newline | C.cr | C.dollar;
const gateWords = wordsPattern(['\\/bin\\/', 'cmd', 'powershell', '\\/dev\\/']);
/** `gateWords` for a value without `/`. */
const gateCommands = wordsPattern(['cmd', 'powershell']);
const shapeGate = wordsPattern(['\\/dev\\/', 'sh\\b', '\\bnc', 'netcat', 'mkfifo', '\\/bin\\/', 'cmd', 'powershell', 'certutil', 'wget', 'curl']);

/** Separator, then optional spaces, then the command word. */
const separator = /(\|\|?|&&?|;|\n|\r|`|\$\()/g;

const ifs = /\$\{ifs\}|\$ifs\$\d|\$ifs\b|\{(?=[a-z/]+,)/g;

/** Weak commands that are attacks even with no arguments (`;id`, `|ls`). */
const noArgs: ReadonlySet<string> = new Set(['id', 'ls', 'pwd', 'ps', 'printenv']);

function argsLookShell(rest: string): boolean {
  // The text after the command word: options, paths, variables, redirection, hosts; on Windows a
  // drive path (`C:\Windows\win.ini`, `c:/`) or a UNC path (`\\host\share`).
  return /^\s*(?:[|`)<>]|-{1,2}[a-z]|\/|\$|~|\.{1,2}\/|\d+\s*(?:$|[;|&`)])|[\w-]+\.[\w.-]+|\*|%[a-z]+%|[a-z]:[\\/]|\\\\\w)/.test(rest);
}

/**
 * `net` with the subcommand an intruder runs first (`net user`, `net localgroup administrators`,
 * `net view \\host`), then at most two more words, and then the end of the command or a switch
 * (`net user x P@ss /add`) — not a sentence going on (`net user guide for beginners`).
 */
const netCommand = /^\s+(?:user|users|localgroup|group|view|share|use|accounts|session|start|stop|config|time)\b(?:\s+[^\s;|&`)/]+){0,2}\s*(?:$|[;|&`)\n\r]|\/[a-z?])/;

/** The characters that end a shell word: ` \t\n\r\f\v;|&`)<>,}`. */
function isWordEnd(c: number): boolean {
  switch (c) {
    case 32: case 9: case 10: case 13: case 12: case 11: case 59: case 124: case 38: case 96: case 41: case 60: case 62: case 44: case 125:
      return true;
    default:
      return false;
  }
}

/** The command word at `start` (quoting games undone when `quoted`), and where it ends. */
function commandAt(text: string, start: number, quoted: boolean): { word: string; end: number } | undefined {
  let i = start;
  for (let c = charCodeAt.call(text, i); c === 32 || c === 9 || c === 43 || c === 123 || c === 40; c = charCodeAt.call(text, ++i));
  let j = i;
  while (j < text.length && !isWordEnd(charCodeAt.call(text, j))) j++;
  if (j === i || j - i > 60) return undefined;
  return { word: cleanWord(text.slice(i, j), quoted), end: j };
}

function inspectValue(input: Input, chars: number): Finding | undefined {
  const value = input.decoded;
  if (value.length < 2) return undefined;
  // Read in the lower-cased value: the same as case-insensitive matching for these words (no
  // non-ASCII character lower-cases to one of their letters).
  if ((chars & gateChars) === 0 && !((chars & C.slash) !== 0 ? gateWords : gateCommands).test(lowerOf(input))) return undefined;
  let lower = lowerOf(input);
  if (lower.includes('ifs') || lower.includes('{')) lower = lower.replace(ifs, ' ').replace(/,(?=[^{}]*\})/g, ' ');
  let best: Finding | undefined;
  if (shapeGate.test(lower)) for (const [re, score, reason] of shapes) {
    const m = re.exec(lower);
    if (m && (!best || score > best.score)) best = finding('rce', score, input.location, around(value, m.index), reason);
  }
  if (best && best.score >= 9) return best;
  // Without quotes, backslashes or `$` there is no quoting game to undo in a word.
  const quoted = (chars & (C.squote | C.dquote | C.backslash | C.dollar)) !== 0;
  separator.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = separator.exec(lower)) !== null) {
    const sep = m[1] ?? '';
    const cmd = commandAt(lower, m.index + sep.length, quoted);
    if (!cmd) continue;
    const word = cmd.word;
    const w = word.endsWith('.exe') && !strongCommands.has(word) ? word.slice(0, -4) : word;
    if (!strongCommands.has(w) && !weakCommands.has(w)) continue;
    const rest = lower.slice(cmd.end, cmd.end + 80);
    const substitution = sep === '`' || sep === '$(';
    let score = 0;
    if (strongCommands.has(w)) score = /^[a-z]/.test(rest.trim()) && !argsLookShell(rest) && sep === '&' ? 0 : 8;
    else if (weakCommands.has(w)) {
      if (w === 'ping') score = /^\s+-[cnlwt]\b|^\s+\d+\.\d+\.\d+\.\d+|^\s+[\w-]+\.[a-z]{2,}/.test(rest) ? 8 : 0;
      else if (w === 'echo') score = /[>|]|\$\(|`/.test(rest) ? 8 : 0;
      else if (w === 'sleep' || w === 'timeout') score = /^\s+\d+/.test(rest) ? 7 : 0;
      else if (w === 'net' && netCommand.test(rest)) score = 8;
      else if (argsLookShell(rest) || (noArgs.has(w) && /^\s*(?:$|[;|&`)])/.test(rest))) score = substitution ? 8 : sep === '&' && /^\s/.test(lower.slice(m.index + 1)) && !/[/$\\-]/.test(rest) ? 0 : 8;
    }
    if (score === 0) continue;
    if (substitution) score = Math.max(score, 9);
    if (!best || score > best.score) best = finding('rce', score, input.location, around(value, m.index), `rce:${substitution ? 'substitution' : 'separator'}-${w}`);
    if (best.score >= 9) break;
  }
  return best;
}

export const rceDetector: Detector = {
  name: 'rce',
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      if ((kindOf(input) & L.filesDot) !== 0 || isQuiet(input)) continue;
      const chars = charsOf(input);
      if ((chars & C.lbrace) !== 0 && shellshock.test(input.decoded)) {
        out.push(finding('rce', 10, input.location, input.decoded, 'rce:shellshock'));
        continue;
      }
      const f = inspectValue(input, chars);
      if (f) out.push(f);
    }
    for (const key in transaction.headers) {
      const value = transaction.headers[key] ?? '';
      if (!value.includes('{') || !shellshock.test(value)) continue;
      const location = `headers.${lowerName(key)}`;
      if (!inputs.some((i) => i.location === location)) out.push(finding('rce', 10, location, value, 'rce:shellshock'));
    }
    return keepBest(out, 5);
  },
};

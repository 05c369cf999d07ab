/**
 * @module analyze/detectors/shell
 * OS command injection, read the way a shell would: a command separator (`;`, `|`, `||`, `&&`,
 * `&`, newline, backticks, `$(`) followed by a command word — with quoting games (`w'h'o'am'i`,
 * `wh\oami`, `${IFS}`) undone — that names a known command with shell-looking arguments. Plus
 * reverse-shell shapes, `sh -c`, and Shellshock in any header. Prose with `&`/`;`, phone lists and
 * `a|b` search terms stay quiet because the word after the separator is not a command.
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { around, cleanWord, finding, keepBest, strongCommands, weakCommands } from './shared.js';

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

const gate = /[;|&`\n\r$]|\/bin\/|cmd|powershell|\/dev\//i;
const shapeGate = /\/dev\/|sh\b|\bnc|netcat|mkfifo|\/bin\/|cmd|powershell|certutil|wget|curl/;

/** Separator, then optional spaces, then the command word. */
const separator = /(\|\|?|&&?|;|\n|\r|`|\$\()/g;

const ifs = /\$\{ifs\}|\$ifs\$\d|\$ifs\b|\{(?=[a-z/]+,)/g;

/** Weak commands that are attacks even with no arguments (`;id`, `|ls`). */
const noArgs: ReadonlySet<string> = new Set(['id', 'ls', 'pwd', 'ps', 'printenv']);

function argsLookShell(rest: string): boolean {
  // The text after the command word: options, paths, variables, redirection, hosts.
  return /^\s*(?:[|`)<>]|-{1,2}[a-z]|\/|\$|~|\.{1,2}\/|\d+\s*(?:$|[;|&`)])|[\w-]+\.[\w.-]+|\*|%[a-z]+%)/.test(rest);
}

const wordEnd: ReadonlySet<number> = new Set([...' \t\n\r\f\v;|&`)<>,}'].map((c) => c.charCodeAt(0)));

function commandAt(text: string, start: number): { word: string; rest: string } | undefined {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '+' || text[i] === '{' || text[i] === '(')) i++;
  let j = i;
  while (j < text.length && !wordEnd.has(text.charCodeAt(j))) j++;
  if (j === i || j - i > 60) return undefined;
  return { word: cleanWord(text.slice(i, j)), rest: text.slice(j, j + 80) };
}

function inspectValue(input: Input): Finding | undefined {
  const value = input.decoded;
  if (value.length < 2) return undefined;
  if (!gate.test(value)) return undefined;
  let lower = value.toLowerCase();
  if (lower.includes('ifs') || lower.includes('{')) lower = lower.replace(ifs, ' ').replace(/,(?=[^{}]*\})/g, ' ');
  let best: Finding | undefined;
  if (shapeGate.test(lower)) for (const [re, score, reason] of shapes) {
    const m = re.exec(lower);
    if (m && (!best || score > best.score)) best = finding('rce', score, input.location, around(value, m.index), reason);
  }
  if (best && best.score >= 9) return best;
  separator.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = separator.exec(lower)) !== null) {
    const sep = m[1] ?? '';
    const cmd = commandAt(lower, m.index + sep.length);
    if (!cmd) continue;
    const { word, rest } = cmd;
    const w = word.endsWith('.exe') && !strongCommands.has(word) ? word.slice(0, -4) : word;
    const substitution = sep === '`' || sep === '$(';
    let score = 0;
    if (strongCommands.has(w)) score = /^[a-z]/.test(rest.trim()) && !argsLookShell(rest) && sep === '&' ? 0 : 8;
    else if (weakCommands.has(w)) {
      if (w === 'ping') score = /^\s+-[cnlwt]\b|^\s+\d+\.\d+\.\d+\.\d+|^\s+[\w-]+\.[a-z]{2,}/.test(rest) ? 8 : 0;
      else if (w === 'echo') score = /[>|]|\$\(|`/.test(rest) ? 8 : 0;
      else if (w === 'sleep' || w === 'timeout') score = /^\s+\d+/.test(rest) ? 7 : 0;
      else if (argsLookShell(rest) || (noArgs.has(w) && /^\s*(?:$|[;|&`)])/.test(rest))) score = substitution ? 8 : sep === '&' && /^\s/.test(lower.slice(m.index + 1)) && !/[/$-]/.test(rest) ? 0 : 8;
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
      if (input.location.startsWith('files.')) continue;
      if (input.decoded.includes('{') && shellshock.test(input.decoded)) {
        out.push(finding('rce', 10, input.location, input.decoded, 'rce:shellshock'));
        continue;
      }
      const f = inspectValue(input);
      if (f) out.push(f);
    }
    for (const key in transaction.headers) {
      const value = transaction.headers[key] ?? '';
      if (!value.includes('{') || !shellshock.test(value)) continue;
      const location = `headers.${key.toLowerCase()}`;
      if (!inputs.some((i) => i.location === location)) out.push(finding('rce', 10, location, value, 'rce:shellshock'));
    }
    return keepBest(out, 5);
  },
};

/**
 * @module analyze/corpus/evasions
 * What attackers do to hide a payload from signatures. A `text` evasion rewrites the payload and
 * lets the placement encode it as usual; a `uri` evasion produces the already-encoded form for a
 * query, form or path; a `json` evasion produces the inside of a JSON string literal.
 */
import type { AttackClass } from '../contract.js';
import type { Rng } from './prng.js';

export type EvasionKind = 'text' | 'uri' | 'json';

export interface Evasion {
  name: string;
  kind: EvasionKind;
  classes: readonly AttackClass[];
  apply(payload: string, rng: Rng): string;
}

const percent = (c: string): string =>
  Array.from(new TextEncoder().encode(c))
    .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
const special = /[^A-Za-z0-9_.~-]/;

/** Words whose case the target ignores (SQL, HTML, PHP functions, URL schemes and hosts). */
const caseInsensitive = /\b(union|select|from|where|and|or|order|by|sleep|benchmark|insert|into|values|drop|table|waitfor|delay|extractvalue|updatexml|concat|cast|substring|like|limit|null|script|img|svg|iframe|object|details|body|input|marquee|select|math|style|src|href|data|on[a-z]+|javascript|alert|prompt|confirm|document|cookie|domain|eval|assert|system|passthru|shell_exec|phpinfo|echo|md5|print|php|http|https|ftp|gopher|dict|ldap|localhost|metadata|internal|admin|sqlmap|nikto|nmap|masscan|gobuster|wpscan|nuclei|wfuzz|feroxbuster|dirbuster|acunetix|netsparker|nessus|zgrab|jorgee|fuzz)\b/gi;

function mixedCase(payload: string, rng: Rng): string {
  const flip = (word: string): string => {
    let out = '';
    for (const c of word) out += rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase();
    return out === word ? word.toUpperCase() : out;
  };
  return payload.replace(caseInsensitive, flip);
}

const sqlKeywords = /\b(union|select|from|where|and|or|order|sleep|benchmark|insert|drop|information_schema)\b/gi;

export const evasions: readonly Evasion[] = [
  {
    name: 'double-url-encoding',
    kind: 'uri',
    classes: ['sqli', 'xss', 'lfi', 'rfi', 'rce', 'code', 'ssrf', 'xxe'],
    apply: (p) => Array.from(p, (c) => (special.test(c) ? percent(c).replace(/%/g, '%25') : c)).join(''),
  },
  {
    name: 'percent-u-encoding',
    kind: 'uri',
    classes: ['sqli', 'xss', 'lfi', 'rce', 'code'],
    apply: (p) => Array.from(p, (c) => (special.test(c) && c.charCodeAt(0) < 0x10000 ? `%u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join(''),
  },
  {
    name: 'overlong-utf8',
    kind: 'uri',
    classes: ['lfi'],
    apply: (p, rng) => Array.from(p, (c) => (c === '.' ? rng.pick(['%c0%ae', '%e0%80%ae', '%C0%AE']) : c === '/' ? rng.pick(['%c0%af', '%e0%80%af']) : special.test(c) ? percent(c) : c)).join(''),
  },
  {
    name: 'html-entities',
    kind: 'text',
    classes: ['xss', 'sqli'],
    apply: (p, rng) =>
      p.replace(/javascript:/gi, (m) => Array.from(m, (c) => `&#${c.charCodeAt(0)};`).join('')) === p
        ? Array.from(p, (c) => (/[<>"'()=\s]/.test(c) ? rng.pick([`&#${c.charCodeAt(0)};`, `&#x${c.charCodeAt(0).toString(16)};`]) : c)).join('')
        : p.replace(/javascript:/gi, (m) => Array.from(m, (c) => rng.pick([`&#${c.charCodeAt(0)};`, `&#x${c.charCodeAt(0).toString(16).padStart(4, '0')};`, c])).join('')),
  },
  { name: 'mixed-case', kind: 'text', classes: ['sqli', 'xss', 'code', 'rfi', 'ssrf', 'scanner'], apply: mixedCase },
  {
    name: 'sql-comments',
    kind: 'text',
    classes: ['sqli'],
    apply: (p, rng) => p.replace(sqlKeywords, (k) => (k.length > 3 && rng.chance(0.5) ? `${k.slice(0, 2)}/**/${k.slice(2)}` : k)).replace(/ /g, () => rng.pick(['/**/', '/*x*/', `/*${rng.int(1, 99)}*/`])),
  },
  { name: 'mysql-versioned-comments', kind: 'text', classes: ['sqli'], apply: (p, rng) => p.replace(sqlKeywords, (k) => `/*!${rng.pick(['', '50000', '40100', '12345'])}${k}*/`) },
  {
    name: 'whitespace-alternatives',
    kind: 'text',
    classes: ['sqli', 'xss', 'rce'],
    apply: (p, rng) =>
      /<\w/.test(p)
        ? p.replace(/ /g, () => rng.pick(['/', '\t', '\n', '\r\n', '\f']))
        : /\b(union|select|or|and|sleep)\b/i.test(p)
          ? p.replace(/ /g, () => rng.pick(['\t', '\n', '\r', '\u000b', '  ', '\u00a0']))
          : p.replace(/ /g, () => rng.pick(['${IFS}', '$IFS$9', '\t', '${IFS}'])),
  },
  {
    name: 'fullwidth-characters',
    kind: 'text',
    classes: ['xss', 'sqli', 'lfi', 'code'],
    apply: (p) => Array.from(p, (c) => (/[<>'"()./=]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join(''),
  },
  {
    name: 'null-byte',
    kind: 'text',
    classes: ['lfi', 'rfi', 'xss', 'sqli'],
    apply: (p, rng) => (/[./\\]/.test(p) && !/[<']/.test(p) ? `${p}\u0000${rng.pick(['.pdf', '.jpg', '.html', ''])}` : p.replace(/<(\w)/, '<\u0000$1').replace(/'/, "\u0000'")),
  },
  {
    name: 'concatenation',
    kind: 'text',
    classes: ['rce', 'xss', 'code', 'sqli'],
    apply: (p, rng) => {
      let out = p
        .replace(/\b(cat|id|whoami|uname|wget|curl|nc|bash|ls|ping)\b(?=[\s;|&$)`'"]|$)/g, (w) => rng.pick([`${w[0]}'${w.slice(1)}'`, `${w[0]}"${w.slice(1)}"`, `${w[0]}\\${w.slice(1)}`, `${w}$@`]))
        .replace(/\/etc\/passwd/g, () => rng.pick(['/e??/pas?wd', '/etc/pa*wd', "/et'c'/passwd"]))
        .replace(/\b(alert|eval|prompt|confirm)\(/g, (_, f: string) => rng.pick([`window['${f.slice(0, 2)}'+'${f.slice(2)}'](`, `self[\`${f}\`](`, `top['${f.slice(0, 3)}'+'${f.slice(3)}'](`]))
        .replace(/\$\{jndi:/g, () => rng.pick(['${${lower:j}ndi:', '${${::-j}${::-n}${::-d}${::-i}:', '${j${env:X:-n}di:', '${${upper:j}${lower:N}di:']))
        .replace(/'(admin|root|users|1)'/g, (_, s: string) => rng.pick([`'${s.slice(0, 1)}'||'${s.slice(1)}'`, `CONCAT('${s.slice(0, 1)}','${s.slice(1)}')`, `0x${Array.from(s, (c) => c.charCodeAt(0).toString(16)).join('')}`]));
      if (out === p) out = p.replace(/system\(|exec\(/g, (m) => `"${m.slice(0, 2)}"."${m.slice(2, -1)}"(`);
      return out;
    },
  },
  {
    name: 'ip-obfuscation',
    kind: 'text',
    classes: ['ssrf'],
    apply: (p, rng) =>
      p
        .replace(/127\.0\.0\.1/g, () => rng.pick(['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '127.000.000.001']))
        .replace(/169\.254\.169\.254/g, () => rng.pick(['2852039166', '0xa9fea9fe', '[::ffff:a9fe:a9fe]', '169.254.43518']))
        .replace(/localhost/g, () => rng.pick(['localtest.me', 'LOCALHOST', '0', '127.0.0.1.nip.io'])),
  },
  {
    name: 'json-unicode-escapes',
    kind: 'json',
    classes: ['sqli', 'xss', 'lfi', 'rfi', 'rce', 'code', 'ssrf', 'xxe', 'deser'],
    apply: (p, rng) => Array.from(p, (c) => (/[A-Za-z0-9 ]/.test(c) && rng.chance(0.6) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join(''),
  },
];

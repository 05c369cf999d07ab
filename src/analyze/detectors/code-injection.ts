/**
 * @module analyze/detectors/code-injection
 * Injection of code for an interpreter other than the shell or SQL: PHP, Java OGNL/SpEL, server-side
 * templates (Jinja2/Twig, FreeMarker, Velocity, ERB, EL), Node.js, and JNDI lookups (Log4Shell)
 * with their nested-lookup obfuscation undone. Also XML external entities (XXE) and serialised
 * objects (Java, PHP, Python pickle, YAML tags, .NET, node-serialize).
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { C, L, charClasses, charsOf, isQuiet, kindOf, lowerOf, skipsQuietInputs } from './facts.js';
import { around, finding, keepBest } from './shared.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

type Rule = readonly [RegExp, number, string];

const codeRules: readonly Rule[] = [
  [/<\?php\b|<\?=\s*[$@a-z_]/, 9, 'code:php-open-tag'],
  [/\b(?:system|exec|shell_exec|passthru|popen|proc_open|eval|assert|base64_decode|include|require(?:_once)?|file_put_contents|fwrite|create_function|call_user_func(?:_array)?|preg_replace|file_get_contents|fopen)\s*\(\s*[^)]*\$_(?:get|post|request|cookie|server|files)\b/, 9, 'code:php-superglobal'],
  [/@?\b(?:eval|assert)\s*\(\s*(?:base64_decode|gzinflate|str_rot13|gzuncompress|\$_|\$\w+\s*\(|["'`]|chr\s*\()/, 9, 'code:php-eval'],
  [/\b(?:system|passthru|shell_exec|proc_open|popen|pcntl_exec)\s*\(\s*(?:["'`][^"'`]*["'`]|\$\w+)[^)]*\)/, 8, 'code:php-exec'],
  [/\bphpinfo\s*\(\s*\)/, 8, 'code:phpinfo'],
  [/\bbase64_decode\s*\(\s*["'$]/, 7, 'code:php-base64-decode'],
  [/%\{\s*\(?#|\(#_memberaccess|#_memberaccess|@java\.lang\.runtime@|#context\[|ognlcontext|\(#(?:cmd|dm|ct|ou|os|iswin)=/, 9, 'code:ognl'],
  [/[$#]\{\s*t\s*\(\s*java\.|new\s+java\.lang\.processbuilder|java\.lang\.runtime\s*\)?\s*\.\s*getruntime|getruntime\s*\(\s*\)\s*\.\s*exec\s*\(/, 9, 'code:java-runtime'],
  [/\{\{[^}]*(?:__class__|__mro__|__subclasses__|__globals__|__builtins__|__init__|__import__|\|attr\s*\(|config\.|config\s*\}\}|self\._|request\.application|lipsum|cycler|joiner|namespace\.__)/, 9, 'code:ssti-jinja-objects'],
  [/\{\{\s*\d+\s*[*+/-]\s*['"]?\d+['"]?\s*\}\}/, 8, 'code:ssti-arithmetic'],
  [/[$#@]\{\s*\d+\s*[*+/-]\s*\d+\s*\}/, 8, 'code:ssti-expression'],
  [/<%=?\s*[^%]*(?:\d+\s*\*\s*\d+|system|exec|runtime|`|file\.|io\.|popen)[^%]*%>/, 8, 'code:ssti-erb'],
  [/#set\s*\(\s*\$\w+\s*=|#foreach\s*\(|\$class\.inspect|\.getclass\(\)\.forname/, 8, 'code:ssti-velocity'],
  [/<#assign\b|freemarker\.template\.utility\.execute|\?new\s*\(\s*\)/, 9, 'code:ssti-freemarker'],
  [/\brequire\s*\(\s*['"`]child_process['"`]\s*\)|process\.mainmodule|child_process['"`]?\s*\)?\s*\.\s*(?:exec|spawn)|global\.process\.|this\.constructor\.constructor\s*\(/, 9, 'code:node'],
  [/\b__import__\s*\(\s*['"]os['"]\s*\)|\bos\.(?:system|popen)\s*\(/, 8, 'code:python'],
];

/**
 * PHP's complex interpolation in a double-quoted or eval'd string (PHP manual, "Strings", variable
 * parsing): `{${expr}}` and `${expr}` evaluate `expr` to name a variable, so a call in there runs —
 * `{${phpinfo()}}`, `${@print(md5(1))}` (`@` silences PHP's warning about the variable that does
 * not exist). A template placeholder (`${name}`) has no call; one with a call of plain arguments
 * (`${format(x)}`) stays below the bar unless it nests a call or a variable. Only for values with
 * `${`.
 */
const interpolationRules: readonly Rule[] = [
  [/\{\s*\$\{\s*@?\s*[a-z_]\w*\s*\(/, 9, 'code:php-complex-interpolation'],
  [/\$\{\s*@\s*[a-z_]\w*\s*\([^{}]*\)\s*\}/, 9, 'code:php-interpolation-call'],
  [/\$\{\s*[a-z_]\w*\s*\(\s*(?:\$|[a-z_]\w*\s*\()[^{}]*\)\s*\}/, 8, 'code:php-interpolation-call'],
];

/** Undo Log4j nested lookups: `${lower:j}`, `${::-j}`, `${env:X:-j}`, `${date:'j'}`. */
export function unnestLookups(text: string): string {
  let t = text;
  for (let i = 0; i < 12; i++) {
    const next = t
      .replace(/\$\{[^${}]*?:-([^${}]*)\}/g, '$1')
      .replace(/\$\{(?:lower|upper|base64|main|sys|env|k8s|docker|web|spring|bundle|jvmrunnerargs|ctx|map|sd|marker|java|log4j|event|jndi-?lookup):([^${}:]*)\}/g, '$1')
      .replace(/\$\{date:'([^']*)'\}/g, '$1');
    if (next === t) break;
    t = next;
  }
  return t;
}

const codeGate =
  /<\?|\$_|eval|assert|system|exec|passthru|popen|phpinfo|base64_decode|%\{|#_?member|@java|#context|ognl|#\w+=|[$#@]\{|\{\{|<%|#set|#foreach|\$class|getclass|<#assign|freemarker|\?new|require|child_process|mainmodule|global\.process|constructor|__import__|os\.(?:system|popen)|runtime|processbuilder/i;

/**
 * Cheap pre-gate: every rule needs one of `< $ % # {`, or a `(` right after an identifier
 * (`eval(`, `require (`); User-Agents' `5.0 (Windows` and prose `(mã hồ sơ)` fail it.
 */
function mayHoldCode(v: string, chars: number): boolean {
  if ((chars & (C.lt | C.dollar | C.percent | C.hash | C.lbrace)) !== 0) return true;
  if ((chars & C.lparen) === 0) return false;
  let i = v.indexOf('(');
  while (i >= 0) {
    let j = i - 1;
    while (j >= 0 && charCodeAt.call(v, j) === 32) j--;
    const c = j >= 0 ? charCodeAt.call(v, j) : 0;
    if (c === 95 || ((c | 32) >= 97 && (c | 32) <= 122)) return true;
    i = v.indexOf('(', i + 1);
  }
  return false;
}

function inspectCode(input: Input): Finding | undefined {
  const value = input.decoded;
  if (!mayHoldCode(value, charsOf(input)) || !codeGate.test(value)) return undefined;
  const lower = lowerOf(input);
  let best: Finding | undefined;
  if (lower.includes('${')) {
    const flat = unnestLookups(lower);
    const j = /\$\{\s*jndi\s*:\s*(ldaps?|rmi|dns|iiop|corba|nds|nis|http|https)?/.exec(flat);
    if (j) {
      return finding('code', 9, input.location, around(value, 0), `code:jndi${j[1] ? '-' + j[1] : ''}${flat === lower ? '' : '-nested'}`);
    }
    for (const [re, score, reason] of interpolationRules) {
      if (best && best.score >= score) continue;
      const m = re.exec(lower);
      if (m) best = finding('code', score, input.location, around(value, m.index), reason);
    }
  }
  for (const [re, score, reason] of codeRules) {
    if (best && best.score >= score) continue;
    const m = re.exec(lower);
    if (m) best = finding('code', score, input.location, around(value, m.index), reason);
  }
  return best;
}

export const codeDetector: Detector = {
  name: 'code',
  inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      if ((kindOf(input) & L.filesDot) !== 0 || isQuiet(input)) continue;
      const f = inspectCode(input);
      if (f) out.push(f);
    }
    return keepBest(out, 5);
  },
};

const externalEntity = /<!entity\s+(%\s*)?[\w.:-]+\s+(?:system|public\s+["'][^"']*["'])\s*["']\s*([a-z][a-z0-9+.-]*:)?/;

function inspectXml(input: Input): Finding | undefined {
  const value = input.decoded;
  const chars = charsOf(input);
  if (!((chars & C.lt) !== 0 && value.includes('<!')) && !((chars & C.colon) !== 0 && value.includes('xi:include')) && !((chars & C.upper) !== 0 && value.includes('XInclude'))) return undefined;
  const lower = lowerOf(input);
  const e = externalEntity.exec(lower);
  if (e) {
    const kind = e[1] ? 'parameter-entity' : 'external-entity';
    const scheme = (e[2] ?? '').replace(/:$/, '');
    return finding('xxe', 9, input.location, around(value, e.index), `xxe:${kind}${scheme ? '-' + scheme : ''}`);
  }
  const p = /<!entity\s+%\s*[\w.:-]+\s/.exec(lower);
  if (p) return finding('xxe', 9, input.location, around(value, p.index), 'xxe:parameter-entity');
  const d = /<!doctype\s+[\w:.-]+\s+(?:system|public\s+["'][^"']*["'])\s*["'](?:https?|ftp|file|jar|netdoc|gopher):/.exec(lower);
  if (d) return finding('xxe', 8, input.location, around(value, d.index), 'xxe:external-dtd');
  const x = /<xi:include[^>]+href\s*=\s*["'](?:file:|\/|https?:)/.exec(lower);
  if (x) return finding('xxe', 8, input.location, around(value, x.index), 'xxe:xinclude');
  const entities = lower.match(/<!entity\s/g);
  if (entities && entities.length >= 3 && /<!entity\s+\w+\s+["'](?:&\w+;){2,}/.test(lower))
    return finding('xxe', 8, input.location, around(value, lower.indexOf('<!entity')), 'xxe:entity-expansion');
  return undefined;
}

export const xxeDetector: Detector = {
  name: 'xxe',
  inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      if (isQuiet(input)) continue;
      const f = inspectXml(input);
      if (f) out.push(f);
    }
    return keepBest(out, 5);
  },
};

/** Case-sensitive markers (base64 and hex prefixes must keep their case). */
const deserExact: readonly Rule[] = [
  [/rO0AB[A-Za-z0-9+/]/, 9, 'deser:java-base64'],
  [/\u00ac\u00ed\u0000?\u0005/, 9, 'deser:java-raw'],
  [/H4sIAAAAAAAA[A-Za-z0-9+/]{20}/, 5, 'deser:gzip-base64'],
  [/AAEAAAD\/\/\/\/\//, 9, 'deser:dotnet-binaryformatter'],
  [/(?:^|[;{}"'])O:\d+:"[A-Za-z_\\][\w\\]*":\d+:\{/, 9, 'deser:php-object'],
  [/(?:^|[;{}"'=])C:\d+:"[A-Za-z_\\][\w\\]*":\d+:\{/, 8, 'deser:php-custom-object'],
  [/(?:^|[;{}"'=])a:\d+:\{(?:[si]:\d+[:;]|\})/, 8, 'deser:php-array'],
  [/^\s*gASV[A-Za-z0-9+/]{8}/, 7, 'deser:pickle-base64'],
];
const deserLower: readonly Rule[] = [
  [/aced0005[0-9a-f]{4}/, 9, 'deser:java-hex'],
  [/c(?:os|posix|nt|subprocess|__builtin__|builtins|commands)\s*\n\s*(?:system|popen|eval|exec|check_output|getoutput|call)\b/, 9, 'deser:pickle-exec'],
  [/!!python\/(?:object|name|module)|!ruby\/(?:object|hash)|!!javax\.script|!!java\.net\.url|!!com\.sun\./, 9, 'deser:yaml-tag'],
  [/["']?(?:@type|\$type|@class)["']?\s*:\s*["'](?:com\.sun\.|org\.apache\.|java\.|javax\.|com\.alibaba|system\.windows|system\.management|system\.diagnostics|org\.springframework|ch\.qos)/, 9, 'deser:polymorphic-type'],
  [/_\$\$nd_func\$\$_/, 9, 'deser:node-serialize'],
  // An H2 JDBC URL that runs SQL on connect (`INIT=RUNSCRIPT FROM 'http://…'`, `CREATE ALIAS`): the
  // payload of the logback/c3p0/Hikari connection-source gadgets.
  [/jdbc:h2:[^\s"']*;\s*init\s*=\s*(?:runscript|create\s+(?:alias|trigger))/, 9, 'deser:jdbc-h2-init'],
  [/org\.apache\.commons\.collections|ysoserial|templatesimpl|java\.util\.priorityqueue|invokertransformer|com\.sun\.rowset\.jdbcrowsetimpl|logback\.core\.db\.(?:drivermanager|jndi)connectionsource/, 8, 'deser:java-gadget'],
];

/** Class names a polymorphic JSON (`@type` / `$type` / `@class`) value must not name. */
const polymorphicClass = /^\s*(?:com\.sun\.|org\.apache\.|java\.|javax\.|com\.alibaba|system\.windows|system\.management|system\.diagnostics|org\.springframework|ch\.qos|com\.mchange|org\.hibernate|bsh\.|groovy\.)/;

/**
 * Cheap gates: `deserExactGate` (`rO0AB|\u00ac\u00ed|H4sIAAAAAAAA|AAEAAAD|[OCa]:\d+:|gASV`) needs an
 * upper-case letter, a non-ASCII character or `:`; `deserLowerGate` (`[\n!]|\$\$|…aced0005|…type["']|@class|
 * \.[a-zA-Z]+\.[a-zA-Z]+\.|jdbc:h2:|…ysoserial|…templatesimpl`) is checked part by part, each part only when
 * the value has the characters it needs.
 */
function deserExactGate(value: string, chars: number): boolean {
  if ((chars & (C.upper | C.nonAscii | C.colon)) === 0) return false;
  if ((chars & C.colon) !== 0 && /[OCa]:\d+:/.test(value)) return true;
  return value.includes('rO0AB') || value.includes('\u00ac\u00ed') || value.includes('AAEAAAD') || value.includes('H4sIAAAAAAAA') || value.includes('gASV');
}

/** `lower` is `value.toLowerCase()`. */
function deserLowerGate(value: string, lower: string, chars: number): boolean {
  if ((chars & (C.newline | C.bang)) !== 0) return true;
  if ((chars & C.dollar) !== 0 && value.includes('$$')) return true;
  // Letters matched in either case are the lower-cased value's (no other character lower-cases to them).
  if ((chars & C.digit) !== 0 && lower.includes('aced0005')) return true;
  if ((chars & (C.squote | C.dquote)) !== 0 && (lower.includes('type"') || lower.includes("type'") || ((chars & C.at) !== 0 && lower.includes('@class')))) return true;
  if ((chars & C.dot) !== 0 && /\.[a-zA-Z]+\.[a-zA-Z]+\./.test(value)) return true;
  if ((chars & (C.colon | C.semicolon | C.equals)) === (C.colon | C.semicolon | C.equals) && lower.includes('jdbc:h2:')) return true;
  // `ysoser` in any case, or `emplates` (only its `t` and `i` may be upper-case)
  return (lower.includes('ysoser') || value.includes('emplates')) && /[yY][sS][oO][sS][eE][rR]|[tT]emplates[iI]mpl/.test(value);
}

/** What each `deserLower` rule needs in the value (all of these character classes), in the same order. */
const deserLowerNeeds: readonly number[] = [C.digit, C.newline, C.bang, C.colon, C.dollar, C.colon | C.semicolon | C.equals, 0];

function inspectDeser(input: Input, decoded: string, chars: number): Finding | undefined {
  const value = decoded;
  if (value.length < 6) return undefined;
  let best: Finding | undefined;
  if (deserExactGate(value, chars)) for (const [re, score, reason] of deserExact) {
    if (best && best.score >= score) continue;
    const m = re.exec(value);
    if (m) best = finding('deser', score, input.location, around(value, m.index), reason);
  }
  if (best && best.score >= 9) return best;
  const lower = value === input.decoded ? lowerOf(input) : value.toLowerCase();
  if ((kindOf(input) & L.typeKey) !== 0 && polymorphicClass.test(lower))
    return finding('deser', 9, input.location, value, 'deser:polymorphic-type');
  if (!deserLowerGate(value, lower, chars)) return best;
  for (let i = 0; i < deserLower.length; i++) {
    const [re, score, reason] = deserLower[i] as Rule;
    if (best && best.score >= score) continue;
    const needs = deserLowerNeeds[i] as number;
    if ((chars & needs) !== needs) continue;
    const m = re.exec(lower);
    if (m) best = finding('deser', score, input.location, around(value, m.index), reason);
  }
  return best;
}

/**
 * A PHP serialised object or array sent base64-encoded (the usual form in cookies such as
 * `remember_me`): `O:` `a:` `C:` encode as `Tz` `YT` `Qz`. Only such a value is decoded, and it is
 * judged by the PHP rules of `deserExact` on what it decodes to.
 */
/** Character classes no base64 text (standard or URL-safe alphabet, `=` padding) has. */
const NOT_BASE64 =
  C.squote | C.dquote | C.backtick | C.semicolon | C.lparen | C.rparen | C.hash | C.lt | C.gt | C.pipe | C.amp | C.star | C.at |
  C.backslash | C.colon | C.dollar | C.percent | C.lbrace | C.lbracket | C.dot | C.newline | C.cr | C.bang | C.nul | C.nonAscii;

function inspectBase64Php(input: Input): Finding | undefined {
  const value = input.decoded;
  if (value.length < 16) return undefined;
  const a = charCodeAt.call(value, 0);
  const b = charCodeAt.call(value, 1);
  // `Tz`, `YT`, `Qz`
  if (!((a === 84 && b === 122) || (a === 89 && b === 84) || (a === 81 && b === 122))) return undefined;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value.slice(0, 4096), 'base64').toString('latin1');
  for (const [re, score, reason] of deserExact) {
    if (!reason.startsWith('deser:php-')) continue;
    if (re.test(text)) return finding('deser', score, input.location, text, `${reason}-base64`);
  }
  return undefined;
}

export const deserDetector: Detector = {
  name: 'deser',
  inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      const kind = kindOf(input);
      if ((kind & L.filesDot) !== 0) continue;
      const chars = charsOf(input);
      // A quiet value has none of the markers; a polymorphic `@type` is judged by its location.
      let f = isQuiet(input) && (kind & L.typeKey) === 0 ? undefined : inspectDeser(input, input.decoded, chars);
      // Java objects are often sent raw-base64 in cookies/params; check the raw form too.
      if (!f && input.raw !== input.decoded && input.raw.includes('rO0')) f = inspectDeser(input, input.raw, charClasses(input.raw));
      // `Tz`, `YT`, `Qz` have an upper-case letter.
      if (!f && (chars & (NOT_BASE64 | C.upper)) === C.upper) f = inspectBase64Php(input);
      if (f) out.push(f);
    }
    return keepBest(out, 5);
  },
};

skipsQuietInputs.add(codeDetector);
skipsQuietInputs.add(xxeDetector);

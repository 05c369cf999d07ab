/**
 * @module analyze/detectors/facts
 * Facts about an input's decoded value that every detector asks for, computed once per input and
 * shared: the lower-cased value and a bit set of the punctuation (and other character classes)
 * it contains. Detectors use the bit set as a gate — a value without any character a pattern
 * needs cannot match it — so the common benign value (letters, digits, Vietnamese text, spaces,
 * `-_.,`) costs one pass over its characters instead of one regular expression per detector.
 *
 * `extractInputs` returns `ExtractedInput`s, which cache the facts; inputs built elsewhere (tests,
 * other callers of `Detector.inspect`) are plain `Input`s and get them computed on each call —
 * same answers, only slower.
 */
import type { Input } from '../contract.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

/** Character-class bits of `charsOf` (one per character or class). */
export const C = {
  squote: 1 << 0,
  dquote: 1 << 1,
  backtick: 1 << 2,
  semicolon: 1 << 3,
  lparen: 1 << 4,
  rparen: 1 << 5,
  hash: 1 << 6,
  equals: 1 << 7,
  lt: 1 << 8,
  gt: 1 << 9,
  pipe: 1 << 10,
  amp: 1 << 11,
  star: 1 << 12,
  at: 1 << 13,
  dash: 1 << 14,
  slash: 1 << 15,
  backslash: 1 << 16,
  colon: 1 << 17,
  dollar: 1 << 18,
  percent: 1 << 19,
  lbrace: 1 << 20,
  plus: 1 << 21,
  lbracket: 1 << 22,
  dot: 1 << 23,
  newline: 1 << 24,
  cr: 1 << 25,
  bang: 1 << 26,
  /** A–Z. */
  upper: 1 << 27,
  /** 0–9. */
  digit: 1 << 28,
  /** U+0000. */
  nul: 1 << 29,
  /** Anything above U+007F. */
  nonAscii: 1 << 30,
} as const;

const table = new Int32Array(128);
for (const [ch, bit] of [
  ["'", C.squote], ['"', C.dquote], ['`', C.backtick], [';', C.semicolon], ['(', C.lparen], [')', C.rparen], ['#', C.hash],
  ['=', C.equals], ['<', C.lt], ['>', C.gt], ['|', C.pipe], ['&', C.amp], ['*', C.star], ['@', C.at], ['-', C.dash],
  ['/', C.slash], ['\\', C.backslash], [':', C.colon], ['$', C.dollar], ['%', C.percent], ['{', C.lbrace], ['+', C.plus],
  ['[', C.lbracket], ['.', C.dot], ['\n', C.newline], ['\r', C.cr], ['!', C.bang], ['\u0000', C.nul],
] as const) table[charCodeAt.call(ch, 0)] = bit;
for (let c = 65; c <= 90; c++) table[c] = C.upper;
for (let c = 48; c <= 57; c++) table[c] = C.digit;

const encoder = new TextEncoder();
let bytes = new Uint8Array(4096);

/**
 * The character-class bits (`C`) of `s`. Read through its UTF-8 bytes: `encodeInto` reads every
 * string representation natively, and a byte loop is several times faster than `charCodeAt` on
 * the sliced and concatenated strings decoding produces. ASCII characters are their own byte;
 * every byte of any other character (a lone surrogate too, as U+FFFD) is 0x80 or above.
 */
export function charClasses(s: string): number {
  if (s.length * 3 > bytes.length) bytes = new Uint8Array(s.length * 3);
  const buffer = bytes;
  const { written } = encoder.encodeInto(s, buffer);
  let bits = 0;
  for (let i = 0; i < written; i++) {
    const c = buffer[i] as number;
    bits |= c < 128 ? (table[c] as number) : C.nonAscii;
  }
  return bits;
}

/** Where an input comes from, as bits (`locationKind`). */
export const L = {
  /** `args.*`, `body.*`, `cookies.*`: a parameter value (`isParameter`). */
  param: 1 << 0,
  /** `files.*`. */
  filesDot: 1 << 1,
  /** `body`: the raw body. */
  body: 1 << 2,
  /** `args.*` or `body.*`. */
  argsOrBodyDot: 1 << 3,
  /** `path`. */
  path: 1 << 4,
  /** Ends with `@type`, `$type` (Fastjson, Json.NET) or `@class` (Jackson): polymorphic JSON. */
  typeKey: 1 << 5,
} as const;

/** The `L` bits of a location. */
export function locationKind(location: string): number {
  let kind = 0;
  switch (charCodeAt.call(location, 0)) {
    case 97: // a
      if (location.startsWith('args.')) kind |= L.param | L.argsOrBodyDot;
      break;
    case 98: // b
      if (location.startsWith('body.')) kind |= L.param | L.argsOrBodyDot;
      else if (location === 'body') kind |= L.body;
      break;
    case 99: // c
      if (location.startsWith('cookies.')) kind |= L.param;
      break;
    case 102: // f
      if (location.startsWith('files.')) kind |= L.filesDot;
      break;
    case 112: // p
      if (location === 'path') kind |= L.path;
      break;
    default:
      break;
  }
  // `@type`, `$type`, `@class`
  const last = charCodeAt.call(location, location.length - 1);
  if (last === 101 && charCodeAt.call(location, location.length - 4) === 116 && (location.endsWith('@type') || location.endsWith('$type'))) kind |= L.typeKey;
  else if (last === 115 && location.endsWith('@class')) kind |= L.typeKey;
  return kind;
}

/**
 * Characters any of the per-value detectors (SQL, XSS, LFI, RFI, shell, code, SSRF, XXE,
 * deserialisation) needs in a value before it can find anything there; see `isQuiet`.
 */
const LOUD_CHARS =
  C.squote | C.dquote | C.backtick | C.semicolon | C.lparen | C.rparen | C.hash | C.equals | C.lt | C.gt | C.pipe | C.amp | C.star |
  C.at | C.slash | C.backslash | C.colon | C.dollar | C.percent | C.lbrace | C.newline | C.cr | C.bang;
/**
 * Every word one of those detectors looks for in a value without `LOUD_CHARS` (lower-case): the SQL
 * gate's words (`order+by` too: the SQL detector reads `+` in the path as a space), `script` (XSS),
 * `cmd`/`powershell` (shell), `XInclude` (XXE), and the
 * deserialisation markers (`rO0AB`, `¬í`, `AAEAAAD`, `H4sIAAAAAAAA`, `gASV`, `aced0005`, `ysoser`,
 * `emplates`).
 */
const LOUD_WORDS = wordsPattern([
  'union', 'select', 'order[\\s+]+by', 'having', 'sleep', 'benchmark', 'waitfor', 'schema', 'outfile', 'load_file', 'xp_', 'sysobjects', 'sqlite_master',
  'pg_catalog', 'script', 'cmd', 'powershell', 'xinclude', 'ro0ab', '\u00ac\u00ed', 'aaeaaad', 'h4siaaaaaaaa', 'gasv', 'aced0005', 'ysoser', 'emplates',
]);
/** The deserialisation detector's dotted-name gate. */
const DOTTED = /\.[a-zA-Z]+\.[a-zA-Z]+\./;

/**
 * Whether no per-value detector can find anything in the value: none of `LOUD_CHARS`, no `--`
 * (SQL comment), no `..` (path climb), no dotted name (Java class), none of `LOUD_WORDS`. Each of
 * those detectors needs one of them before it scores; that is why they skip quiet values (most
 * cookies, parameter names and plain-text parameters). `lower` is computed when needed.
 */
function quiet(decoded: string, chars: number, lower: () => string): boolean {
  if ((chars & LOUD_CHARS) !== 0) return false;
  if ((chars & C.dash) !== 0 && decoded.includes('--')) return false;
  if ((chars & C.dot) !== 0 && (decoded.includes('..') || DOTTED.test(decoded))) return false;
  return !LOUD_WORDS.test(lower());
}

/**
 * `new RegExp(alternatives.join('|'))` with the alternatives grouped by their first character
 * (`u(?:nion)|s(?:elect|leep|…)|…`), which the regular-expression engine scans faster: the same
 * language, so the same answer to `test`. Alternatives that do not start with a literal character
 * (a letter, digit, `_`, a non-ASCII character, or an escaped punctuation character such as
 * `\\/`) are kept whole; with none of those, `exec` finds the same match too (at any position only
 * one group can match, and the alternatives keep their order inside it).
 */
export function wordsPattern(alternatives: readonly string[], flags = ''): RegExp {
  const groups = new Map<string, { head: string | null; rests: string[] }>();
  for (const alternative of alternatives) {
    let head: string | null = null;
    let rest = alternative;
    if (/^[A-Za-z0-9_\u0080-\uffff]/.test(alternative)) [head, rest] = [alternative.charAt(0), alternative.slice(1)];
    else if (/^\\[/$.{}[\]()*+?|^-]/.test(alternative)) [head, rest] = [alternative.slice(0, 2), alternative.slice(2)];
    const key = head ?? `\u0000${alternative}`;
    const group = groups.get(key);
    if (group) group.rests.push(rest);
    else groups.set(key, { head, rests: [rest] });
  }
  const parts: string[] = [];
  for (const { head, rests } of groups.values()) {
    if (head === null) parts.push(rests[0] as string);
    else parts.push(rests.length === 1 ? head + (rests[0] as string) : `${head}(?:${rests.join('|')})`);
  }
  return new RegExp(parts.join('|'), flags);
}

/** An input as `extractInputs` builds it: the contract's fields, and its facts cached on first use. */
export class ExtractedInput implements Input {
  #lower: string | undefined = undefined;
  #chars = -1;
  #kind = -1;
  /** 0 unknown, 1 quiet, 2 not. */
  #quiet = 0;

  constructor(
    readonly location: string,
    readonly raw: string,
    readonly decoded: string,
    /** `charClasses(decoded)` when the caller has it. */
    chars = -1,
  ) {
    this.#chars = chars;
  }

  get lower(): string {
    if (this.#lower === undefined) {
      // Without A–Z or non-ASCII characters, lower-casing changes nothing.
      this.#lower = (this.chars & (C.upper | C.nonAscii)) === 0 ? this.decoded : this.decoded.toLowerCase();
    }
    return this.#lower;
  }

  get chars(): number {
    if (this.#chars < 0) this.#chars = charClasses(this.decoded);
    return this.#chars;
  }

  get kind(): number {
    if (this.#kind < 0) this.#kind = locationKind(this.location);
    return this.#kind;
  }

  get quiet(): boolean {
    if (this.#quiet === 0) this.#quiet = quiet(this.decoded, this.chars, () => this.lower) ? 1 : 2;
    return this.#quiet === 1;
  }
}

const lowerNames = new Map<string, string>();

/**
 * `name.toLowerCase()` for header and cookie names, remembered: the same few names come with
 * every request. Bounded, so a flood of made-up names cannot grow it.
 */
export function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size >= 1024) lowerNames.clear();
    lowerNames.set(name, lower);
  }
  return lower;
}

/**
 * Detectors that find nothing in quiet inputs (`isQuiet`) whatever else the transaction holds:
 * the analyser may give them only the other inputs.
 */
export const skipsQuietInputs: WeakSet<object> = new WeakSet();

/** `input.decoded.toLowerCase()`, computed once per extracted input. */
export function lowerOf(input: Input): string {
  return input instanceof ExtractedInput ? input.lower : input.decoded.toLowerCase();
}

/** `charClasses(input.decoded)`, computed once per extracted input. */
export function charsOf(input: Input): number {
  return input instanceof ExtractedInput ? input.chars : charClasses(input.decoded);
}

/** `locationKind(input.location)`, computed once per extracted input. */
export function kindOf(input: Input): number {
  return input instanceof ExtractedInput ? input.kind : locationKind(input.location);
}

/** Whether no per-value detector can find anything in the input's decoded value (`quiet`). */
export function isQuiet(input: Input): boolean {
  if (input instanceof ExtractedInput) return input.quiet;
  return quiet(input.decoded, charClasses(input.decoded), () => input.decoded.toLowerCase());
}

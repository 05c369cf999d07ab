/**
 * @module detect/sigma/modifiers
 * Value modifiers (Sigma modifiers appendix v2.1): the chain `field|m1|m2` is applied to each value
 * in order, as pySigma does (`sigma/modifiers.py`). Transformations (contains, startswith,
 * endswith, base64, base64offset, wide/utf16le/utf16be/utf16, windash, expand) rewrite values;
 * type modifiers (re with i/m/s, cased, cidr, gt/gte/lt/lte, exists, fieldref, minute…year) turn
 * them into something matched differently; `all` and `neq` change how the item's values combine.
 * Expansions (windash, base64offset, placeholders) stay OR-ed even under `all`, as in pySigma's
 * `SigmaExpansion`. Placeholders (`%name%` after `expand`, rules spec "Placeholders") are filled
 * from the compile option; a tool that cannot fill one must reject the rule.
 */
import { RE2JS } from 're2js';
import { hasPlaceholders, hasWildcards, literal, parseSigmaString, plainText } from './values.js';
import type { SigmaStr, StrPart } from './values.js';
import type { ScalarValue } from './yaml-node.js';
import { parseCidr } from './cidr.js';

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte';

/** A value after its modifiers: what the matcher compares the field against. */
export type LeafValue =
  | { t: 'str'; s: SigmaStr; cased: boolean }
  | { t: 'num'; n: number }
  | { t: 'bool'; b: boolean }
  | { t: 'null' }
  | { t: 're'; pattern: string; flags: string; expand?: boolean }
  | { t: 'cidr'; cidr: string }
  | { t: 'cmp'; op: CompareOp; n: number }
  | { t: 'exists'; b: boolean }
  | { t: 'fieldref'; field: string; startsWith: boolean; endsWith: boolean }
  | { t: 'timepart'; part: TimePart; n: number };

/** A detection item after modifiers: values[i] are the alternatives (OR) one rule value became. */
export interface ItemSpec {
  field: string | null;
  linkAll: boolean;
  negated: boolean;
  values: LeafValue[][];
}

export const knownModifiers = new Set([
  'contains', 'startswith', 'endswith', 'all', 'base64', 'base64offset', 'wide', 'utf16le', 'utf16be', 'utf16',
  'windash', 're', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall', 'cidr', 'exists', 'fieldref', 'gt', 'gte',
  'lt', 'lte', 'expand', 'cased', 'neq', 'minute', 'hour', 'day', 'week', 'month', 'year',
]);

/** A modifier could not be applied; the loader adds file and line. */
export class ModifierError extends Error {}

/** Intermediate values: strings remember whether they are raw bytes (after wide/utf16). */
type Val = LeafValue | { t: 'bstr'; s: SigmaStr; binary: boolean } | { t: 'exp'; values: Val[] };

export interface ModifierOptions {
  /** Placeholder values; undefined = leave placeholders unresolved (validation at load time). */
  placeholders?: Record<string, string[]> | undefined;
}

const WINDASH = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** Applies `modifiers` to the raw values of one detection item. */
export function applyModifiers(field: string | null, modifiers: string[], raw: ScalarValue[], options: ModifierOptions): ItemSpec {
  for (const m of modifiers) if (!knownModifiers.has(m)) throw new ModifierError(`unknown modifier '${m}'`);
  const linkAll = modifiers.includes('all');
  const negated = modifiers.includes('neq');
  if (linkAll && raw.length < 2) throw new ModifierError("modifier 'all' needs a list of at least two values");
  const chain = modifiers.filter((m) => m !== 'all' && m !== 'neq');
  if (chain.includes('exists') && field === null) throw new ModifierError("modifier 'exists' must be applied to a field");
  const values = raw.map((r) => {
    let v: Val = initial(r);
    chain.forEach((m, i) => {
      v = applyOne(m, v, i, r);
    });
    return flatten(resolvePlaceholders(v, options));
  });
  return { field, linkAll, negated, values };
}

function initial(r: ScalarValue): Val {
  if (r === null) return { t: 'null' };
  if (typeof r === 'number') return { t: 'num', n: r };
  if (typeof r === 'boolean') return { t: 'bool', b: r };
  return { t: 'bstr', s: parseSigmaString(r), binary: false };
}

function applyOne(m: string, v: Val, index: number, raw: ScalarValue): Val {
  if (v.t === 'exp') return { t: 'exp', values: v.values.map((x) => applyOne(m, x, index, raw)) };
  switch (m) {
    case 'contains':
    case 'startswith':
    case 'endswith':
      return wildcardAround(m, v);
    case 'base64':
    case 'base64offset': {
      const s = asString(m, v);
      if (hasWildcards(s.s) || hasPlaceholders(s.s)) throw new ModifierError('base64 encoding of strings with wildcards is not allowed');
      const bytes = s.binary ? Buffer.from(plainText(s.s), 'latin1') : Buffer.from(plainText(s.s), 'utf8');
      if (m === 'base64') return { t: 'bstr', s: literal(bytes.toString('base64')), binary: false };
      return { t: 'exp', values: base64Offsets(bytes).map((b) => ({ t: 'bstr', s: literal(b), binary: false })) };
    }
    case 'wide':
    case 'utf16le':
    case 'utf16be':
    case 'utf16': {
      const s = asString(m, v);
      const be = m === 'utf16be';
      const parts: SigmaStr = s.s.map((p) => (p.kind === 'lit' ? { kind: 'lit', text: utf16Bytes(p.text, be) } : p));
      if (m === 'utf16') parts.unshift({ kind: 'lit', text: '\xff\xfe' });
      return { t: 'bstr', s: parts, binary: true };
    }
    case 'windash':
      return { t: 'exp', values: windash(asString(m, v).s).map((s) => ({ t: 'bstr', s, binary: false })) };
    case 're': {
      if (index > 0) throw new ModifierError("modifier 're' only applies to unmodified values");
      if (typeof raw !== 'string') throw new ModifierError(`modifier 're' needs a string, not ${raw === null ? 'null' : typeof raw}`);
      checkRegex(raw, '');
      return { t: 're', pattern: raw, flags: '' };
    }
    case 'i':
    case 'ignorecase':
    case 'm':
    case 'multiline':
    case 's':
    case 'dotall': {
      if (v.t !== 're') throw new ModifierError(`modifier '${m}' only applies after 're'`);
      const flag = m[0] ?? '';
      return { ...v, flags: v.flags.includes(flag) ? v.flags : v.flags + flag };
    }
    case 'cased':
      return { t: 'str', s: asString(m, v).s, cased: true };
    case 'cidr': {
      if (index > 0) throw new ModifierError("modifier 'cidr' only applies to unmodified values");
      const text = plainText(asString(m, v).s);
      if (parseCidr(text) === null) throw new ModifierError(`invalid CIDR expression '${text}'`);
      return { t: 'cidr', cidr: text };
    }
    case 'exists':
      if (index > 0) throw new ModifierError("modifier 'exists' only applies to unmodified boolean values");
      if (v.t !== 'bool') throw new ModifierError("modifier 'exists' needs true or false");
      return { t: 'exists', b: v.b };
    case 'fieldref': {
      const s = asString(m, v);
      if (hasWildcards(s.s)) throw new ModifierError('field references must not contain wildcards');
      return { t: 'fieldref', field: plainText(s.s), startsWith: false, endsWith: false };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { t: 'cmp', op: m, n: asNumber(m, v) };
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year':
      return { t: 'timepart', part: m, n: asNumber(m, v) };
    case 'expand': {
      if (v.t === 're') return { ...v, expand: true }; // placeholders in a regex are filled at compile time
      const s = asString(m, v);
      return { ...s, s: insertPlaceholders(s.s) };
    }
    default:
      throw new ModifierError(`unknown modifier '${m}'`);
  }
}

function wildcardAround(m: 'contains' | 'startswith' | 'endswith', v: Val): Val {
  if (v.t === 'fieldref') {
    return { ...v, startsWith: v.startsWith || m !== 'endswith', endsWith: v.endsWith || m !== 'startswith' };
  }
  if (v.t === 're') {
    // pySigma: group a top-level alternation, then add `.*` where the regex is open-ended; with an
    // unanchored search that is the same regex, so only the grouping matters.
    return v;
  }
  const s = asString(m, v);
  const parts: StrPart[] = [...s.s];
  if (m !== 'startswith' && parts[0]?.kind !== 'star') parts.unshift({ kind: 'star' });
  if (m !== 'endswith' && parts[parts.length - 1]?.kind !== 'star') parts.push({ kind: 'star' });
  return { ...s, s: parts };
}

function asString(m: string, v: Val): { t: 'bstr'; s: SigmaStr; binary: boolean } | { t: 'str'; s: SigmaStr; cased: boolean; binary?: boolean } {
  if (v.t === 'bstr') return v;
  if (v.t === 'str') return v;
  // Lenient like most backends: a YAML number or boolean used with a string modifier is its text.
  if (v.t === 'num') return { t: 'bstr', s: literal(String(v.n)), binary: false };
  if (v.t === 'bool') return { t: 'bstr', s: literal(String(v.b)), binary: false };
  throw new ModifierError(`modifier '${m}' cannot apply to ${describeVal(v)}`);
}

function asNumber(m: string, v: Val): number {
  if (v.t === 'num') return v.n;
  if ((v.t === 'bstr' || v.t === 'str') && !hasWildcards(v.s)) {
    const text = plainText(v.s).trim();
    const n = Number(text);
    if (text !== '' && !Number.isNaN(n)) return n;
  }
  throw new ModifierError(`modifier '${m}' needs a number, not ${describeVal(v)}`);
}

function describeVal(v: Val): string {
  switch (v.t) {
    case 'bstr':
    case 'str':
      return `the string '${plainText(v.s)}'`;
    case 'num':
      return `the number ${v.n}`;
    case 'null':
      return 'null';
    case 'bool':
      return `the boolean ${v.b}`;
    default:
      return `a ${v.t} value`;
  }
}

/** pySigma base64offset: the value shifted by 0, 1 and 2 bytes, cut to the stable middle part. */
function base64Offsets(data: Buffer): string[] {
  const start = [0, 2, 3];
  const end = [undefined, -3, -2];
  return [0, 1, 2].map((i) => {
    const b64 = Buffer.concat([Buffer.alloc(i, 0x20), data]).toString('base64');
    return b64.slice(start[i] ?? 0, end[(data.length + i) % 3]);
  });
}

/** Each UTF-16 code unit as two byte-characters (latin1), little- or big-endian. */
function utf16Bytes(text: string, bigEndian: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    const lo = String.fromCharCode(u & 0xff);
    const hi = String.fromCharCode(u >> 8);
    out += bigEndian ? hi + lo : lo + hi;
  }
  return out;
}

/** pySigma windash: a dash or slash at `\B[-/]\b` becomes each of the five windash characters. */
function windash(s: SigmaStr): SigmaStr[] {
  let results: SigmaStr[] = [[]];
  for (const p of s) {
    if (p.kind !== 'lit') {
      results = results.map((r) => [...r, p]);
      continue;
    }
    const pieces = p.text.split(/\B[-/\u2013\u2014\u2015](?=\w)/u);
    let texts = [pieces[0] ?? ''];
    for (const piece of pieces.slice(1)) {
      texts = texts.flatMap((t) => WINDASH.map((d) => t + d + piece));
      if (texts.length > 4096) throw new ModifierError('windash expands to too many values');
    }
    results = results.flatMap((r) => texts.map((t): SigmaStr => [...r, { kind: 'lit', text: t }]));
  }
  return results;
}

/** `expand`: `%name%` becomes a placeholder; `\%` is a plain percent sign (rules spec "Placeholders"). */
function insertPlaceholders(s: SigmaStr): SigmaStr {
  const out: SigmaStr = [];
  for (const p of s) {
    if (p.kind !== 'lit') {
      out.push(p);
      continue;
    }
    const re = /\\%|%([\w.-]+)%/gu;
    let last = 0;
    for (const m of p.text.matchAll(re)) {
      const at = m.index;
      out.push({ kind: 'lit', text: p.text.slice(last, at) });
      out.push(m[1] === undefined ? { kind: 'lit', text: '%' } : { kind: 'ph', name: m[1] });
      last = at + m[0].length;
    }
    out.push({ kind: 'lit', text: p.text.slice(last) });
  }
  return out.filter((p) => p.kind !== 'lit' || p.text !== '');
}

function resolvePlaceholders(v: Val, options: ModifierOptions): Val {
  if (options.placeholders === undefined) return v;
  const table = options.placeholders;
  const lookup = (name: string): string[] => {
    const values = table[name];
    if (values === undefined || values.length === 0) throw new ModifierError(`placeholder %${name}% is not configured`);
    return values;
  };
  if (v.t === 'exp') return { t: 'exp', values: v.values.map((x) => resolvePlaceholders(x, options)) };
  if (v.t === 're') {
    if (v.expand !== true || !/%[\w.-]+%/u.test(v.pattern)) return v;
    const variants = expandText(v.pattern, lookup);
    return { t: 'exp', values: variants.map((pattern) => ({ ...v, pattern })) };
  }
  if ((v.t === 'bstr' || v.t === 'str') && hasPlaceholders(v.s)) {
    let results: SigmaStr[] = [[]];
    for (const p of v.s) {
      if (p.kind !== 'ph') results = results.map((r) => [...r, p]);
      else results = results.flatMap((r) => lookup(p.name).map((value) => [...r, ...parseSigmaString(value)]));
    }
    return { t: 'exp', values: results.map((s) => ({ ...v, s })) };
  }
  return v;
}

function expandText(pattern: string, lookup: (name: string) => string[]): string[] {
  let results = [''];
  let last = 0;
  for (const m of pattern.matchAll(/%([\w.-]+)%/gu)) {
    const before = pattern.slice(last, m.index);
    const values = lookup(m[1] ?? '');
    results = results.flatMap((r) => values.map((value) => r + before + RE2JS.quote(value)));
    last = m.index + m[0].length;
  }
  const tail = pattern.slice(last);
  return results.map((r) => r + tail);
}

function flatten(v: Val): LeafValue[] {
  if (v.t === 'exp') return v.values.flatMap(flatten);
  if (v.t === 'bstr') return [{ t: 'str', s: v.s, cased: false }];
  return [v];
}

/** Checks that RE2 (re2js) accepts a Sigma regex with the given flags. */
export function checkRegex(pattern: string, flags: string): void {
  try {
    compileRegex(pattern, flags);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ModifierError(`regular expression '${pattern}' cannot be compiled by RE2: ${reason}`);
  }
}

export function compileRegex(pattern: string, flags: string): RE2JS {
  let f = 0;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  return RE2JS.compile(pattern, f);
}

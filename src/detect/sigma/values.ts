/**
 * @module detect/sigma/values
 * Sigma string values: parsing wildcards and escapes, and compiling a string pattern into a fast
 * test. Specification (Sigma rules, "String Wildcard" and "Escape Character"): `*` is any run of
 * characters, `?` exactly one; `\` escapes `*`, `?` and `\` itself, and a backslash before any
 * other character (or at the end) is a plain backslash — the same as pySigma's `SigmaString`.
 * Matching is case-insensitive unless `cased` ("General": all values are case-insensitive
 * strings): patterns are lower-cased once here, event values once per field read (Unicode
 * lower-casing, so `ĐĂNG NHẬP` matches `đăng nhập`). Shapes `x`, `x*`, `*x`, `*x*` and any
 * `*`-only pattern run on `startsWith`/`endsWith`/`indexOf`; only patterns with `?` use an anchored
 * RE2 (linear time).
 */
import { RE2JS } from 're2js';

export type StrPart =
  | { kind: 'lit'; text: string }
  | { kind: 'star' }
  | { kind: 'one' }
  | { kind: 'ph'; name: string };

/** A Sigma string: literal text, wildcards and (after `expand`) placeholders. */
export type SigmaStr = StrPart[];

/** Parses a rule string per the specification's escaping rules. */
export function parseSigmaString(raw: string): SigmaStr {
  const parts: SigmaStr = [];
  let acc = '';
  let escaped = false;
  const flush = (): void => {
    if (acc !== '') parts.push({ kind: 'lit', text: acc });
    acc = '';
  };
  for (const c of raw) {
    if (escaped) {
      acc += c === '*' || c === '?' || c === '\\' ? c : `\\${c}`;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '*' || c === '?') {
      flush();
      parts.push(c === '*' ? { kind: 'star' } : { kind: 'one' });
    } else {
      acc += c;
    }
  }
  if (escaped) acc += '\\';
  flush();
  return parts;
}

/** A plain literal (no wildcards), e.g. the output of base64 or a placeholder value. */
export function literal(text: string): SigmaStr {
  return text === '' ? [] : [{ kind: 'lit', text }];
}

/** Joins adjacent literals and collapses runs of `*` (so shapes are recognised). */
export function normalise(s: SigmaStr): SigmaStr {
  const out: SigmaStr = [];
  for (const p of s) {
    const last = out[out.length - 1];
    if (p.kind === 'lit' && p.text === '') continue;
    if (p.kind === 'lit' && last?.kind === 'lit') out[out.length - 1] = { kind: 'lit', text: last.text + p.text };
    else if (p.kind === 'star' && last?.kind === 'star') continue;
    else out.push(p);
  }
  return out;
}

export function hasWildcards(s: SigmaStr): boolean {
  return s.some((p) => p.kind === 'star' || p.kind === 'one');
}

export function hasPlaceholders(s: SigmaStr): boolean {
  return s.some((p) => p.kind === 'ph');
}

export function startsWithStar(s: SigmaStr): boolean {
  return s[0]?.kind === 'star';
}

export function endsWithStar(s: SigmaStr): boolean {
  return s[s.length - 1]?.kind === 'star';
}

/** The literal text of a wildcard-free string (placeholders rendered as `%name%`). */
export function plainText(s: SigmaStr): string {
  return s.map((p) => (p.kind === 'lit' ? p.text : p.kind === 'ph' ? `%${p.name}%` : p.kind === 'star' ? '*' : '?')).join('');
}

/** The literal segments between wildcards (used for prefilter atoms). */
export function literalSegments(s: SigmaStr): string[] {
  return s.flatMap((p) => (p.kind === 'lit' ? [p.text] : []));
}

/**
 * Tests a string. `raw` is the event's string form, `folded` its lower-cased form; a case-
 * insensitive test reads `folded`, a cased one `raw`.
 */
export type StringTest = (raw: string, folded: string) => boolean;

/** Compiles a Sigma string (without placeholders) into a test. */
export function compileStringTest(value: SigmaStr, cased: boolean): StringTest {
  const s = normalise(value).map((p): StrPart => (p.kind === 'lit' && !cased ? { kind: 'lit', text: p.text.toLowerCase() } : p));
  const pick = (raw: string, folded: string): string => (cased ? raw : folded);
  if (s.some((p) => p.kind === 'one' || p.kind === 'ph')) return regexTest(s, cased);
  const first = s[0];
  const lits = s.flatMap((p) => (p.kind === 'lit' ? [p.text] : []));
  if (first === undefined) return (raw, folded) => pick(raw, folded) === '';
  if (s.length === 1 && first.kind === 'star') return () => true;
  if (s.length === 1 && first.kind === 'lit') {
    const t = first.text;
    return cased ? (raw) => raw === t : (_raw, folded) => folded === t;
  }
  const anchoredStart = first.kind === 'lit';
  const anchoredEnd = s[s.length - 1]?.kind === 'lit';
  if (lits.length === 1) {
    const t = lits[0] ?? '';
    if (anchoredStart) return cased ? (raw) => raw.startsWith(t) : (_r, f) => f.startsWith(t);
    if (anchoredEnd) return cased ? (raw) => raw.endsWith(t) : (_r, f) => f.endsWith(t);
    return cased ? (raw) => raw.includes(t) : (_r, f) => f.includes(t);
  }
  return (raw, folded) => starOnlyMatch(pick(raw, folded), lits, anchoredStart, anchoredEnd);
}

/** Greedy match of `*`-only patterns: prefix, in-order middle pieces, then suffix. */
function starOnlyMatch(v: string, lits: string[], anchoredStart: boolean, anchoredEnd: boolean): boolean {
  let from = 0;
  let firstIdx = 0;
  let lastIdx = lits.length;
  let end = v.length;
  if (anchoredStart) {
    const head = lits[0] ?? '';
    if (!v.startsWith(head)) return false;
    from = head.length;
    firstIdx = 1;
  }
  if (anchoredEnd) {
    const tail = lits[lits.length - 1] ?? '';
    if (v.length - tail.length < from || !v.endsWith(tail)) return false;
    end = v.length - tail.length;
    lastIdx = lits.length - 1;
  }
  for (let i = firstIdx; i < lastIdx; i++) {
    const piece = lits[i] ?? '';
    const at = v.indexOf(piece, from);
    if (at < 0 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}

function regexTest(s: SigmaStr, cased: boolean): StringTest {
  const source = s
    .map((p) => (p.kind === 'lit' ? RE2JS.quote(p.text) : p.kind === 'star' ? '.*' : p.kind === 'one' ? '.' : RE2JS.quote(`%${p.name}%`)))
    .join('');
  const re = RE2JS.compile(source, RE2JS.DOTALL);
  return cased ? (raw) => re.testExact(raw) : (_raw, folded) => re.testExact(folded);
}

export type StringShape = { shape: 'eq' | 'prefix' | 'suffix' | 'contains'; text: string };

/** The simple shape of a wildcard pattern (`x`, `x*`, `*x`, `*x*`), or null for anything else. */
export function simpleShape(value: SigmaStr): StringShape | null {
  const s = normalise(value);
  const [a, b, c] = s;
  if (s.length === 1 && a?.kind === 'lit') return { shape: 'eq', text: a.text };
  if (s.length === 2 && a?.kind === 'lit' && b?.kind === 'star') return { shape: 'prefix', text: a.text };
  if (s.length === 2 && a?.kind === 'star' && b?.kind === 'lit') return { shape: 'suffix', text: b.text };
  if (s.length === 3 && a?.kind === 'star' && b?.kind === 'lit' && c?.kind === 'star') return { shape: 'contains', text: b.text };
  return null;
}

/** The string form of a scalar event value, or null for objects/absent values. */
export function stringForm(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** A number read from an event value: numbers as they are, numeric strings parsed. */
export function numericForm(v: unknown): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/**
 * @module analyze/detectors/html-scan
 * A forgiving HTML tag scanner for the XSS detector: finds tags the way a browser's tokenizer
 * would (`<name`, attributes split by whitespace or `/`, quoted or bare values, a missing `>` at
 * the end tolerated), and undoes the character games attackers play inside URL schemes
 * (entities, tabs, newlines, NULs). Input is expected lower-cased.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

export interface HtmlAttribute {
  name: string;
  value: string;
  /** Whether the attribute had `=` (so a value, possibly empty). */
  assigned: boolean;
}

export interface HtmlTag {
  name: string;
  closing: boolean;
  attributes: HtmlAttribute[];
  /** Index of `<` in the scanned text. */
  start: number;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 0 || c === 11;
}

function isNameStart(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
}

/** Every start or end tag in `s` (lower-case), at most `limit` of them. */
export function scanTags(s: string, limit = 256): HtmlTag[] {
  const tags: HtmlTag[] = [];
  const n = s.length;
  let i = s.indexOf('<');
  while (i >= 0 && i < n && tags.length < limit) {
    let j = i + 1;
    let closing = false;
    if (charCodeAt.call(s, j) === 47) {
      closing = true;
      j++;
    }
    if (!isNameStart(charCodeAt.call(s, j))) {
      i = s.indexOf('<', i + 1);
      continue;
    }
    const nameStart = j;
    while (j < n && isNameChar(charCodeAt.call(s, j))) j++;
    const name = s.slice(nameStart, j);
    const attributes: HtmlAttribute[] = [];
    while (j < n) {
      let c = charCodeAt.call(s, j);
      while (j < n && (isSpace(c) || c === 47)) c = charCodeAt.call(s, ++j);
      if (j >= n || c === 62) break;
      if (c === 60) break; // a new tag begins: the browser would too for our purposes
      const attrStart = j;
      j++;
      while (j < n) {
        c = charCodeAt.call(s, j);
        if (isSpace(c) || c === 47 || c === 62 || c === 61) break;
        j++;
      }
      const attrName = s.slice(attrStart, j);
      let k = j;
      while (k < n && isSpace(charCodeAt.call(s, k))) k++;
      if (charCodeAt.call(s, k) !== 61) {
        attributes.push({ name: attrName, value: '', assigned: false });
        continue;
      }
      k++;
      while (k < n && isSpace(charCodeAt.call(s, k))) k++;
      const q = charCodeAt.call(s, k);
      let value: string;
      if (q === 34 || q === 39 || q === 96) {
        const end = s.indexOf(String.fromCharCode(q), k + 1);
        const stop = end < 0 ? n : end;
        value = s.slice(k + 1, stop);
        j = stop + 1;
      } else {
        let e = k;
        while (e < n && !isSpace(charCodeAt.call(s, e)) && charCodeAt.call(s, e) !== 62) e++;
        value = s.slice(k, e);
        j = e;
      }
      attributes.push({ name: attrName, value, assigned: true });
    }
    tags.push({ name, closing, attributes, start: i });
    i = s.indexOf('<', Math.max(j, i + 1));
  }
  return tags;
}

const NAMED: Record<string, string> = {
  tab: '\t', newline: '\n', colon: ':', lpar: '(', rpar: ')', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&',
  sol: '/', bsol: '\\', semi: ';', equals: '=', grave: '`', nbsp: ' ', period: '.', comma: ',',
};

/** Undoes HTML character references (numeric and the few named ones that matter). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));?/g, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
      if (!Number.isFinite(code) || code > 0x10ffff) return whole;
      return String.fromCodePoint(code);
    }
    const named = name !== undefined ? NAMED[name] : undefined;
    return named ?? whole;
  });
}

/** The scheme-relevant form of a URL-ish value: control characters and whitespace removed. */
export function compactScheme(value: string): string {
  return value.replace(/[\x00-\x20\u00a0\u200b-\u200d\ufeff]+/g, '');
}

/** The characters `compactScheme` removes. */
export function isCompactable(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || (c >= 0x200b && c <= 0x200d) || c === 0xfeff;
}

/** Whether `compactScheme(value).includes(needle)`, without building the compacted string. */
export function compactIncludes(value: string, needle: string): boolean {
  for (let i = value.indexOf(needle.charAt(0)); i >= 0; i = value.indexOf(needle.charAt(0), i + 1)) {
    let j = i + 1;
    let k = 1;
    while (k < needle.length && j < value.length) {
      const c = charCodeAt.call(value, j);
      if (c === charCodeAt.call(needle, k)) k++;
      else if (!isCompactable(c)) break;
      j++;
    }
    if (k === needle.length) return true;
  }
  return false;
}

/** The longest prefix `scriptScheme` reads: `data:application/x-javascript`. */
const SCHEME_PREFIX = 40;

const SCHEMES = ['javascript:', 'vbscript:', 'livescript:', 'mocha:', 'data:'];

/**
 * The first `SCHEME_PREFIX` characters of `compactScheme(value)` when it starts with one of
 * `SCHEMES`, else '' (read character by character, so most values are rejected after one or two).
 */
function compactPrefix(value: string): string {
  let i = 0;
  while (i < value.length && isCompactable(charCodeAt.call(value, i))) i++;
  const start = i;
  // Which schemes the compacted value can still start with, as a bit set over SCHEMES.
  let possible = (1 << SCHEMES.length) - 1;
  for (let k = 0; possible !== 0; i++) {
    if (i >= value.length) return '';
    const c = charCodeAt.call(value, i);
    if (isCompactable(c)) continue;
    for (let s = 0; s < SCHEMES.length; s++) {
      if ((possible & (1 << s)) === 0) continue;
      const scheme = SCHEMES[s] as string;
      if (charCodeAt.call(scheme, k) !== c) possible &= ~(1 << s);
      else if (k === scheme.length - 1) return compactScheme(value.slice(start)).slice(0, SCHEME_PREFIX);
    }
    k++;
  }
  return '';
}

/** `javascript:`, `vbscript:`, `livescript:`, or an HTML/SVG `data:` URI at the start of `value`. */
export function scriptScheme(value: string): 'javascript' | 'data' | null {
  // Without `&` there is no entity to decode; the anchored patterns read at most SCHEME_PREFIX characters.
  const c = value.includes('&') ? compactScheme(decodeEntities(value)) : compactPrefix(value);
  if (/^(?:javascript|vbscript|livescript|mocha):/.test(c)) return 'javascript';
  if (/^data:(?:text\/html|text\/xml|application\/xhtml|image\/svg\+xml|application\/x-javascript|text\/javascript)/.test(c)) return 'data';
  return null;
}

/**
 * @module analyze/decode
 * Undo what attackers use to hide a payload from signature matching, so detectors see what the
 * target application will eventually see: percent-encoding (RFC 3986 §2.1, applied repeatedly for
 * double encoding), IIS-style `%uXXXX`, JavaScript `\uXXXX`/`\u{…}`/`\xHH` escapes, HTML character
 * references (WHATWG HTML §13.2.5.72–80, including the legacy forms without a semicolon), overlong
 * UTF-8 sequences (forbidden by RFC 3629 §3 but accepted by old decoders), NUL bytes, and
 * full-width ASCII forms (U+FF01–FF5E). Everything runs until stable, at most four rounds, and
 * never throws: malformed sequences are kept as they are. Valid UTF-8, such as Vietnamese text,
 * decodes to itself.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

const maxRounds = 4;

/** Something in the value that one of the rounds could change. */
const mayNeedDecoding = /[%\\&\u0000\u3000\uff01-\uff5e]/;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** The byte of `%HH` at `index`, or -1. */
function percentByte(value: string, index: number): number {
  if (index + 2 >= value.length || charCodeAt.call(value, index) !== 0x25) return -1;
  const high = hexValue(charCodeAt.call(value, index + 1));
  const low = hexValue(charCodeAt.call(value, index + 2));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
}

/**
 * Decodes one UTF-8 sequence of `%HH` escapes starting at `index`, accepting overlong forms
 * (`%c0%ae` and `%e0%80%ae` are `.`): old IIS and Tomcat decoders did, and path traversal
 * through them is the reason to look. Returns the code point times 16 plus the escapes consumed
 * (2–4), or -1.
 */
function decodeUtf8At(value: string, index: number, lead: number): number {
  let count: number;
  let codePoint: number;
  if (lead >= 0xc0 && lead <= 0xdf) {
    count = 1;
    codePoint = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2;
    codePoint = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf7) {
    count = 3;
    codePoint = lead & 0x07;
  } else return -1;
  for (let i = 1; i <= count; i++) {
    const byte = percentByte(value, index + i * 3);
    if (byte < 0x80 || byte > 0xbf) return -1;
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  if (codePoint > 0x10ffff) return -1;
  return codePoint * 16 + count + 1;
}

/** The value of the four hex digits at `index`, or -1. */
function hex4(value: string, index: number): number {
  if (index + 4 > value.length) return -1;
  let n = 0;
  for (let k = 0; k < 4; k++) {
    const h = hexValue(charCodeAt.call(value, index + k));
    if (h < 0) return -1;
    n = (n << 4) | h;
  }
  return n;
}

/** Output buffer of `percentDecode` (UTF-16 code units); the output is never longer than the input. */
let units = new Uint16Array(1024);

/** Percent-decoding that keeps whatever is not a well-formed escape (`50%`, `%zz`, a lone `%ff`). */
function percentDecode(value: string): string {
  const first = value.indexOf('%');
  if (first < 0) return value;
  if (units.length < value.length) units = new Uint16Array(value.length);
  const out = units;
  let n = 0;
  for (let i = 0; i < first; i++) out[n++] = charCodeAt.call(value, i);
  for (let i = first; i < value.length; ) {
    const c = charCodeAt.call(value, i);
    if (c !== 0x25) {
      out[n++] = c;
      i++;
      continue;
    }
    const byte = percentByte(value, i);
    if (byte >= 0 && byte < 0x80) {
      out[n++] = byte;
      i += 3;
    } else if (byte >= 0x80) {
      const decoded = decodeUtf8At(value, i, byte);
      if (decoded >= 0) {
        const codePoint = Math.floor(decoded / 16);
        if (codePoint > 0xffff) {
          out[n++] = 0xd800 + ((codePoint - 0x10000) >> 10);
          out[n++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
        } else out[n++] = codePoint;
        i += (decoded % 16) * 3;
      } else {
        out[n++] = 0x25;
        out[n++] = charCodeAt.call(value, i + 1);
        out[n++] = charCodeAt.call(value, i + 2);
        i += 3;
      }
    } else if ((charCodeAt.call(value, i + 1) | 0x20) === 0x75 && hex4(value, i + 2) >= 0) {
      // %uXXXX: the non-standard escape IIS decodes.
      out[n++] = hex4(value, i + 2);
      i += 6;
    } else {
      out[n++] = 0x25;
      i += 1;
    }
  }
  let text = '';
  for (let k = 0; k < n; k += 4096) text += String.fromCharCode.apply(null, out.subarray(k, Math.min(n, k + 4096)) as unknown as number[]);
  return text;
}

const jsEscape = /\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g;

function jsUnescape(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(jsEscape, (whole, braced: string | undefined, four: string | undefined, two: string | undefined) => {
    const codePoint = Number.parseInt(braced ?? four ?? two ?? '', 16);
    return Number.isNaN(codePoint) || codePoint > 0x10ffff ? whole : String.fromCodePoint(codePoint);
  });
}

/** The named references that matter for payloads, and the Latin letters of Vietnamese forms. */
const namedEntities: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0', Tab: '\t', NewLine: '\n',
  colon: ':', semi: ';', comma: ',', period: '.', excl: '!', quest: '?', num: '#', dollar: '$',
  percnt: '%', equals: '=', plus: '+', ast: '*', sol: '/', bsol: '\\', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}',
  grave: '`', Hat: '^', verbar: '|', vert: '|', lowbar: '_', commat: '@', hyphen: '\u2010', dash: '\u2010',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', egrave: 'è', eacute: 'é', ecirc: 'ê',
  igrave: 'ì', iacute: 'í', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ugrave: 'ù',
  uacute: 'ú', yacute: 'ý',
};

/** Legacy references that browsers decode without a semicolon (WHATWG HTML, named references). */
const legacyWithoutSemicolon = new Set(['lt', 'gt', 'amp', 'quot', 'nbsp', 'LT', 'GT', 'AMP', 'QUOT']);
const upperAliases: Readonly<Record<string, string>> = { LT: '<', GT: '>', AMP: '&', QUOT: '"' };

const htmlReference = /&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}))(;?)/g;

function htmlUnescape(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(htmlReference, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined, semicolon: string) => {
    if (name !== undefined) {
      const text = namedEntities[name] ?? upperAliases[name];
      if (text !== undefined && (semicolon === ';' || legacyWithoutSemicolon.has(name))) return text;
      // `&ltscript` — a legacy name followed by letters, as browsers parse it.
      for (const legacy of legacyWithoutSemicolon) {
        if (name.startsWith(legacy)) return (namedEntities[legacy] ?? upperAliases[legacy] ?? '') + whole.slice(1 + legacy.length);
      }
      return whole;
    }
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    if (Number.isNaN(codePoint) || codePoint > 0x10ffff) return whole;
    return codePoint === 0 ? '' : String.fromCodePoint(codePoint);
  });
}

/** Full-width ASCII (U+FF01–FF5E) to ASCII, and the ideographic space to a space. */
function foldFullWidth(value: string): string {
  if (!/[\u3000\uff01-\uff5e]/.test(value)) return value;
  return value.replace(/[\u3000\uff01-\uff5e]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(charCodeAt.call(c, 0) - 0xfee0)));
}

function decodeOnce(value: string): string {
  let out = percentDecode(value);
  out = jsUnescape(out);
  out = htmlUnescape(out);
  if (out.includes('\u0000')) out = out.replaceAll('\u0000', '');
  return foldFullWidth(out);
}

/** The value with every layer of hiding undone (at most four rounds); never throws. */
export function deobfuscate(value: string): string {
  if (!mayNeedDecoding.test(value)) return value;
  let current = value;
  for (let round = 0; round < maxRounds; round++) {
    let next: string;
    try {
      next = decodeOnce(current);
    } catch {
      return current;
    }
    if (next === current) break;
    current = next;
    // Most values are done after one round: skip the round that would only confirm it.
    if (!mayNeedDecoding.test(current)) break;
  }
  return current;
}

/**
 * A component of `application/x-www-form-urlencoded` data (a query or form parameter name or
 * value): `+` is a space there (WHATWG URL, §5.1 application/x-www-form-urlencoded parsing),
 * and nowhere else, so only the caller knows when to ask for it.
 */
export function decodeFormComponent(value: string): string {
  return deobfuscate(value.includes('+') ? value.replaceAll('+', ' ') : value);
}

/**
 * @module intel/stix/pattern-lexer
 * Tokens of a STIX 2.1 pattern, after the lexer rules of the grammar (`STIXPattern.g4`) and the
 * constant definitions of §9.2: whitespace is any WSpace=Y code point (§9.4) and block and line
 * comments (as in C) are skipped as the grammar does; keywords are upper case and matched whole
 * (`ANDx` is a name); `true`/`false` are booleans; names may contain hyphens (object types) but
 * property names may not (the parser checks that). Strings know only the `\'` and `\\` escapes
 * (§9.2 "Only the apostrophe or the backslash may follow"). Binary constants may contain line
 * feeds, which are ignored (§9.2). Integers must fit the 54-bit range of §2.10.
 */
import { isStixTimestamp } from './timestamp.js';

export type TokenKind =
  | 'lbrack' | 'rbrack' | 'lparen' | 'rparen' | 'colon' | 'dot' | 'comma' | 'star'
  | 'op' | 'keyword' | 'name' | 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'hex' | 'binary' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for messages). */
  text: string;
  /** Decoded value: the string's characters, the number, the keyword or operator, the literal's content. */
  value: string;
  num: number;
  offset: number;
}

/** A lexing or parsing problem at an offset of the pattern text. */
export class PatternSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'PatternSyntaxError';
  }
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN', 'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES']);

/** The grammar's WS rule: the Unicode White_Space code points (§9.4 "WSpace=Y"). */
const WHITESPACE = /[ \t\r\n\u000B\u000C\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;

const PUNCTUATION: Readonly<Record<string, TokenKind>> = { '[': 'lbrack', ']': 'rbrack', '(': 'lparen', ')': 'rparen', ':': 'colon', ',': 'comma', '*': 'star' };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, value: string, num = 0): void => {
    tokens.push({ kind, text: text.slice(start, i), value, num, offset: start });
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    const start = i;
    if (WHITESPACE.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new PatternSyntaxError('unterminated comment', start);
      i = end + 2;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (PUNCTUATION[c]) {
      i++;
      push(PUNCTUATION[c], start, c);
    } else if (c === "'") {
      const { value, end } = readString(text, i);
      i = end;
      push('string', start, value);
    } else if (/[0-9+-]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i = readNumber(text, i, tokens);
    } else if (c === '.') {
      i++;
      push('dot', start, '.');
    } else if ('=!<>'.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = two === '==' ? '=' : two === '<>' ? '!=' : two === '!=' || two === '<=' || two === '>=' ? two : c;
      if (op === '!') throw new PatternSyntaxError("unexpected character '!'", start);
      i += two === '==' || two === '<>' || two === '!=' || two === '<=' || two === '>=' ? 2 : 1;
      push('op', start, op);
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i] ?? '')) i++;
      const word = text.slice(start, i);
      if ((word === 't' || word === 'h' || word === 'b') && text[i] === "'") {
        i = readPrefixed(text, start, word, tokens);
      } else if (KEYWORDS.has(word)) {
        push('keyword', start, word);
      } else if (word === 'true' || word === 'false') {
        push('boolean', start, word);
      } else {
        push('name', start, word);
      }
    } else {
      throw new PatternSyntaxError(`unexpected character '${c}'`, start);
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', num: 0, offset: text.length });
  return tokens;
}

/** Reads `'…'` at `start`: the decoded characters and the offset after the closing apostrophe. */
function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new PatternSyntaxError('unterminated string', start);
    const c = text[i];
    if (c === "'") break;
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== "'" && next !== '\\') {
        throw new PatternSyntaxError(`invalid escape '\\${next ?? ''}' in string: only \\' and \\\\ are allowed`, i);
      }
      value += next;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: i + 1 };
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  const m = /^([+-]?)(\d*)(?:\.(\d+))?/.exec(text.slice(start));
  const whole = m?.[0] ?? '';
  const [sign, digits, fraction] = [m?.[1] ?? '', m?.[2] ?? '', m?.[3]];
  const end = start + whole.length;
  if (fraction === undefined && digits === '') throw new PatternSyntaxError(`unexpected character '${text[start] ?? ''}'`, start);
  if (text[end] === '.') throw new PatternSyntaxError(`invalid number '${text.slice(start, end + 1)}'`, start);
  if (fraction !== undefined) {
    tokens.push({ kind: 'float', text: whole, value: whole, num: Number(whole), offset: start });
    return end;
  }
  if (digits.length > 1 && digits.startsWith('0')) throw new PatternSyntaxError(`invalid integer '${whole}': leading zeros are not allowed`, start);
  const num = Number(sign + digits);
  if (!Number.isSafeInteger(num)) throw new PatternSyntaxError(`integer '${whole}' is outside the 54-bit range of STIX integers`, start);
  tokens.push({ kind: 'integer', text: whole, value: whole, num, offset: start });
  return end;
}

/** `t'…'`, `h'…'` and `b'…'` constants (§9.2). */
function readPrefixed(text: string, start: number, prefix: string, tokens: Token[]): number {
  const close = text.indexOf("'", start + 2);
  if (close < 0) throw new PatternSyntaxError('unterminated constant', start);
  const body = text.slice(start + 2, close);
  const end = close + 1;
  const src = text.slice(start, end);
  if (prefix === 't') {
    if (!isStixTimestamp(body)) throw new PatternSyntaxError(`invalid timestamp ${src}: expected YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date`, start);
    tokens.push({ kind: 'timestamp', text: src, value: body, num: 0, offset: start });
  } else if (prefix === 'h') {
    if (!/^(?:[0-9A-Fa-f]{2})*$/.test(body)) throw new PatternSyntaxError(`invalid hex constant ${src}: expected an even number of hex digits`, start);
    tokens.push({ kind: 'hex', text: src, value: body.toLowerCase(), num: 0, offset: start });
  } else {
    const b64 = body.replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/.test(b64)) {
      throw new PatternSyntaxError(`invalid binary constant ${src}: expected base64`, start);
    }
    tokens.push({ kind: 'binary', text: src, value: b64, num: 0, offset: start });
  }
  return end;
}

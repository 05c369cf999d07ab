/**
 * @module analyze/detectors/sql-tokens
 * A small SQL lexer in the spirit of libinjection (own code): turns a lower-cased value into a
 * sequence of typed tokens — strings, numbers, keywords, identifiers, functions, operators,
 * logic words, parentheses, commas, semicolons, variables and line comments — so the SQL
 * injection detector judges shapes of code instead of searching for words.
 *
 * MySQL versioned comments (`/*!50000 union*\/`) are read as code; ordinary block comments act as
 * separators; `--` and `#` end the statement with a comment token.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * Token kinds: s string, n number, k keyword, b bareword/identifier, f function name (followed by
 * `(`), v variable (`@x`, `@@version`), o operator, & logic (and/or/xor/&&/||), c line comment,
 * and the punctuation `(` `)` `,` `;` `.`.
 */
export type SqlKind = 's' | 'n' | 'k' | 'b' | 'f' | 'v' | 'o' | '&' | 'c' | '(' | ')' | ',' | ';' | '.';

export interface SqlToken {
  kind: SqlKind;
  text: string;
}

/** SQL keywords the judge cares about (lower-case). */
const KEYWORDS = new Set([
  'select', 'union', 'all', 'distinct', 'from', 'where', 'limit', 'offset', 'order', 'group', 'by', 'having',
  'insert', 'into', 'values', 'update', 'set', 'delete', 'drop', 'create', 'alter', 'truncate', 'table',
  'database', 'schema', 'procedure', 'function', 'view', 'user', 'index', 'trigger', 'login', 'exec', 'execute',
  'declare', 'waitfor', 'delay', 'time', 'shutdown', 'case', 'when', 'then', 'else', 'end', 'as', 'null',
  'true', 'false', 'outfile', 'dumpfile', 'information_schema', 'sysobjects', 'syscolumns', 'sysdatabases',
  'msysobjects', 'sqlite_master', 'pg_catalog', 'pg_tables', 'all_tables', 'user_tables', 'xp_cmdshell',
  'sp_executesql', 'sp_oacreate', 'sp_configure', 'join', 'on', 'top', 'procedure', 'load_file', 'not',
]);

const LOGIC = new Set(['and', 'or', 'xor']);
const WORD_OPERATORS = new Set(['like', 'in', 'is', 'between', 'regexp', 'rlike', 'div', 'mod', 'sounds', 'escape']);
/** Words that stay keywords/logic even when a `(` follows. */
const NOT_FUNCTIONS = new Set(['union', 'select', 'and', 'or', 'xor', 'in', 'not', 'values', 'from', 'where', 'as', 'into', 'all', 'distinct', 'when', 'then', 'else', 'on', 'having', 'like', 'is', 'between', 'exec', 'execute']);

/**
 * Every word the lexer knows, with its token when no `(` follows and when one does (one lookup
 * per word instead of four; the tokens are shared, never mutated). Other words are barewords, or
 * functions before `(`.
 */
const KNOWN_WORDS = new Map<string, readonly [SqlToken, SqlToken]>();
for (const word of new Set([...LOGIC, ...WORD_OPERATORS, ...KEYWORDS])) {
  let plain: SqlToken;
  if (LOGIC.has(word)) plain = { kind: '&', text: word };
  else if (WORD_OPERATORS.has(word)) plain = { kind: 'o', text: word };
  else plain = { kind: 'k', text: word };
  const paren: SqlToken = plain.kind === 'k' && !NOT_FUNCTIONS.has(word) ? { kind: 'f', text: word } : plain;
  KNOWN_WORDS.set(word, [plain, paren]);
}

const LPAREN: SqlToken = { kind: '(', text: '(' };
const RPAREN: SqlToken = { kind: ')', text: ')' };
const COMMA: SqlToken = { kind: ',', text: ',' };
const SEMICOLON: SqlToken = { kind: ';', text: ';' };
const DOT: SqlToken = { kind: '.', text: '.' };
const LOGIC_OR: SqlToken = { kind: '&', text: 'or' };
const LOGIC_AND: SqlToken = { kind: '&', text: 'and' };

export function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 36 || (c >= 65 && c <= 90) || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/** The characters that start an operator: `< > = ! + - * / % ^ ~ | & :`. */
function isOperatorChar(c: number): boolean {
  switch (c) {
    case 60: case 62: case 61: case 33: case 43: case 45: case 42: case 47: case 37: case 94: case 126: case 124: case 38: case 58:
      return true;
    default:
      return false;
  }
}

/** `<>=!` continue an operator. */
function isComparisonChar(c: number): boolean {
  return c === 60 || c === 62 || c === 61 || c === 33;
}

/** Anything but whitespace (as `String.prototype.trim` sees it) from `lastIndex` on. */
const NON_WHITESPACE = /\S/g;

/** End index (exclusive) of a quoted string that starts after `start`, honouring `\` and doubled quotes. */
export function stringEnd(s: string, start: number, quote: number): { end: number; closed: boolean } {
  let j = start;
  const n = s.length;
  while (j < n) {
    const c = charCodeAt.call(s, j);
    if (c === 92) j += 2;
    else if (c === quote) {
      if (charCodeAt.call(s, j + 1) === quote) j += 2;
      else return { end: j, closed: true };
    } else j++;
  }
  return { end: n, closed: false };
}

/**
 * Tokenises `s` (already lower-cased) from `start`, up to `maxTokens` tokens. A line comment
 * (`--`, `#`, unterminated `/*`) ends the sequence as a `c` token.
 */
export function tokenize(s: string, start = 0, maxTokens = 4096): SqlToken[] {
  const out: SqlToken[] = [];
  const n = s.length;
  let i = start;
  while (i < n && out.length < maxTokens) {
    const c = charCodeAt.call(s, i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const next = charCodeAt.call(s, i + 1);
    if (c === 47 && next === 42) {
      // "/*": versioned comments are code, others are separators
      if (charCodeAt.call(s, i + 2) === 33) {
        i += 3;
        while (i < n && isDigit(charCodeAt.call(s, i))) i++;
        continue;
      }
      const end = s.indexOf('*/', i + 2);
      if (end < 0) {
        out.push({ kind: 'c', text: s.slice(i) });
        break;
      }
      i = end + 2;
      continue;
    }
    if (c === 42 && next === 47) {
      i += 2; // stray end of a versioned comment
      continue;
    }
    if ((c === 45 && next === 45) || c === 35) {
      // a line comment: what follows a newline is code again
      const eol = s.indexOf('\n', i);
      if (eol >= 0 && eol + 1 < n && ((NON_WHITESPACE.lastIndex = eol + 1), NON_WHITESPACE.test(s))) {
        i = eol + 1;
        continue;
      }
      out.push({ kind: 'c', text: s.slice(i) });
      break;
    }
    if (c === 39 || c === 34) {
      const { end } = stringEnd(s, i + 1, c);
      out.push({ kind: 's', text: s.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === 96) {
      const end = s.indexOf('`', i + 1);
      const stop = end < 0 ? n : end;
      out.push({ kind: 'b', text: s.slice(i + 1, stop) });
      i = stop + 1;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let j = i;
      if (c === 48 && (next === 120 || next === 98)) {
        j += 2;
        while (j < n && isHexDigit(charCodeAt.call(s, j))) j++;
      } else {
        while (j < n && isDigit(charCodeAt.call(s, j))) j++;
        if (charCodeAt.call(s, j) === 46) {
          j++;
          while (j < n && isDigit(charCodeAt.call(s, j))) j++;
        }
        if (charCodeAt.call(s, j) === 101) {
          let k = j + 1;
          const sign = charCodeAt.call(s, k);
          if (sign === 43 || sign === 45) k++;
          if (isDigit(charCodeAt.call(s, k))) {
            while (k < n && isDigit(charCodeAt.call(s, k))) k++;
            j = k;
          }
        }
      }
      out.push({ kind: 'n', text: s.slice(i, j) });
      i = j;
      continue;
    }
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(charCodeAt.call(s, j))) j++;
      const word = s.slice(i, j);
      let k = j;
      while (k < n && isSpace(charCodeAt.call(s, k))) k++;
      const paren = charCodeAt.call(s, k) === 40;
      const known = KNOWN_WORDS.get(word);
      if (known !== undefined) out.push(paren ? known[1] : known[0]);
      else out.push({ kind: paren ? 'f' : 'b', text: word });
      i = j;
      continue;
    }
    if (c === 64) {
      let j = i + 1;
      if (charCodeAt.call(s, j) === 64) j++;
      while (j < n && isWordChar(charCodeAt.call(s, j))) j++;
      out.push({ kind: 'v', text: s.slice(i, j) });
      i = j;
      continue;
    }
    switch (c) {
      case 40:
        out.push(LPAREN);
        i++;
        continue;
      case 41:
        out.push(RPAREN);
        i++;
        continue;
      case 44:
        out.push(COMMA);
        i++;
        continue;
      case 59:
        out.push(SEMICOLON);
        i++;
        continue;
      case 46:
        out.push(DOT);
        i++;
        continue;
      default:
        break;
    }
    if ((c === 124 && next === 124) || (c === 38 && next === 38)) {
      out.push(c === 124 ? LOGIC_OR : LOGIC_AND);
      i += 2;
      continue;
    }
    if (isOperatorChar(c)) {
      let j = i + 1;
      while (j < n && j < i + 3 && isComparisonChar(charCodeAt.call(s, j))) j++;
      out.push({ kind: 'o', text: s.slice(i, j) });
      i = j;
      continue;
    }
    i++; // other punctuation: ignored
  }
  return out;
}

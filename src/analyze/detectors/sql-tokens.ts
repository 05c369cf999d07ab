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

function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 36 || (c >= 65 && c <= 90) || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const OPERATOR_CHARS = '<>=!+-*/%^~|&:';

/** End index (exclusive) of a quoted string that starts after `start`, honouring `\` and doubled quotes. */
export function stringEnd(s: string, start: number, quote: number): { end: number; closed: boolean } {
  let j = start;
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c === quote) {
      if (s.charCodeAt(j + 1) === quote) j += 2;
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
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const next = s.charCodeAt(i + 1);
    if (c === 47 && next === 42) {
      // "/*": versioned comments are code, others are separators
      if (s.charCodeAt(i + 2) === 33) {
        i += 3;
        while (i < n && isDigit(s.charCodeAt(i))) i++;
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
      if (eol >= 0 && eol + 1 < n && s.slice(eol + 1).trim() !== '') {
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
        while (j < n && /[0-9a-f]/.test(s.charAt(j))) j++;
      } else {
        while (j < n && isDigit(s.charCodeAt(j))) j++;
        if (s.charCodeAt(j) === 46) {
          j++;
          while (j < n && isDigit(s.charCodeAt(j))) j++;
        }
        if (s.charCodeAt(j) === 101) {
          let k = j + 1;
          const sign = s.charCodeAt(k);
          if (sign === 43 || sign === 45) k++;
          if (isDigit(s.charCodeAt(k))) {
            while (k < n && isDigit(s.charCodeAt(k))) k++;
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
      while (j < n && isWordChar(s.charCodeAt(j))) j++;
      const word = s.slice(i, j);
      let k = j;
      while (k < n && isSpace(s.charCodeAt(k))) k++;
      const paren = s.charCodeAt(k) === 40;
      if (LOGIC.has(word)) out.push({ kind: '&', text: word });
      else if (WORD_OPERATORS.has(word)) out.push({ kind: 'o', text: word });
      else if (paren && !NOT_FUNCTIONS.has(word)) out.push({ kind: 'f', text: word });
      else if (KEYWORDS.has(word)) out.push({ kind: 'k', text: word });
      else out.push({ kind: 'b', text: word });
      i = j;
      continue;
    }
    if (c === 64) {
      let j = i + 1;
      if (s.charCodeAt(j) === 64) j++;
      while (j < n && isWordChar(s.charCodeAt(j))) j++;
      out.push({ kind: 'v', text: s.slice(i, j) });
      i = j;
      continue;
    }
    switch (c) {
      case 40:
        out.push({ kind: '(', text: '(' });
        i++;
        continue;
      case 41:
        out.push({ kind: ')', text: ')' });
        i++;
        continue;
      case 44:
        out.push({ kind: ',', text: ',' });
        i++;
        continue;
      case 59:
        out.push({ kind: ';', text: ';' });
        i++;
        continue;
      case 46:
        out.push({ kind: '.', text: '.' });
        i++;
        continue;
      default:
        break;
    }
    if ((c === 124 && next === 124) || (c === 38 && next === 38)) {
      out.push({ kind: '&', text: c === 124 ? 'or' : 'and' });
      i += 2;
      continue;
    }
    if (OPERATOR_CHARS.includes(s.charAt(i))) {
      let j = i + 1;
      while (j < n && j < i + 3 && '<>=!'.includes(s.charAt(j))) j++;
      out.push({ kind: 'o', text: s.slice(i, j) });
      i = j;
      continue;
    }
    i++; // other punctuation: ignored
  }
  return out;
}

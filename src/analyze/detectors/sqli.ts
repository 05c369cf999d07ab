/**
 * @module analyze/detectors/sqli
 * SQL injection detector: tokenises each decoded, lower-cased input with the SQL lexer
 * (`sql-tokens.ts`) in three contexts — as it stands (numeric or bare), and as if it were
 * injected after a closing `'` or `"` — and judges the token sequences: UNION SELECT, stacked
 * queries, tautologies after breaking out of a string, time- and error-based probes, comment
 * truncation, schema access, file read/write. Words alone never decide.
 */
import type { Detector, Input } from '../contract.js';
import { C, L, charClasses, charsOf, isQuiet, kindOf, lowerOf, skipsQuietInputs, wordsPattern } from './facts.js';
import { perValueDetector } from './shared.js';
import { isSpace, isWordChar, stringEnd, tokenize } from './sql-tokens.js';
import type { SqlToken } from './sql-tokens.js';

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(s, i)` in loops over input text: input
 * strings come in many representations (sliced, concatenated, one- or two-byte), which makes
 * `s.charCodeAt` a megamorphic property load the compiler cannot inline; the cached function can.
 */
const charCodeAt = String.prototype.charCodeAt;

const MAX_INPUT = 64 * 1024;

interface Judgement {
  score: number;
  reason: string;
}

const NONE: Judgement = { score: 0, reason: '' };

/**
 * Cheap gate: values with none of these cannot carry SQL injection worth judging —
 * `['"`;()#=<>|&*@]|--|\/\*|union|select|order\s+by|having|sleep|…`, its characters checked
 * in the value's character classes and its words with `GATE_WORDS`.
 */
const GATE_CHARS = C.squote | C.dquote | C.backtick | C.semicolon | C.lparen | C.rparen | C.hash | C.equals | C.lt | C.gt | C.pipe | C.amp | C.star | C.at;
const GATE_WORDS = wordsPattern(['union', 'select', 'order\\s+by', 'having', 'sleep', 'benchmark', 'waitfor', 'schema', 'outfile', 'load_file', 'xp_', 'sysobjects', 'sqlite_master', 'pg_catalog']);

const COMPARISON = new Set(['=', '<', '>', '<>', '!=', '<=', '>=', '<=>', 'like', 'is', 'in', 'between', 'regexp', 'rlike', '==']);
const DROP_TARGETS = new Set(['table', 'database', 'schema', 'procedure', 'function', 'view', 'user', 'index', 'trigger', 'login']);
const SCHEMA_OBJECTS = new Set(['information_schema', 'sysobjects', 'syscolumns', 'sysdatabases', 'msysobjects', 'sqlite_master', 'pg_catalog', 'pg_tables', 'all_tables', 'user_tables']);
const TIME_FUNCTIONS = new Set(['sleep', 'pg_sleep']);
const ERROR_FUNCTIONS = new Set(['extractvalue', 'updatexml', 'xmltype', 'ctxsys', 'exp']);
const CONVERT_TYPES = new Set(['int', 'integer', 'varchar', 'nvarchar', 'char', 'nchar', 'bigint', 'signed', 'unsigned']);
const BLIND_OUTER = new Set(['ascii', 'ord', 'unicode', 'length', 'len']);
const BLIND_INNER = new Set(['substring', 'substr', 'mid', 'left', 'right', 'char', 'database', 'user', 'version']);

function better(a: Judgement, score: number, reason: string): Judgement {
  return score > a.score ? { score, reason } : a;
}

function at(tokens: readonly SqlToken[], i: number): SqlToken | undefined {
  return tokens[i];
}

function is(t: SqlToken | undefined, kind: SqlToken['kind'], text?: string): boolean {
  return t !== undefined && t.kind === kind && (text === undefined || t.text === text);
}

function isOperand(t: SqlToken | undefined): boolean {
  if (t === undefined) return false;
  return t.kind === 's' || t.kind === 'n' || t.kind === 'b' || t.kind === 'v' || (t.kind === 'k' && (t.text === 'true' || t.text === 'false' || t.text === 'null'));
}

/** Patterns that are SQL code wherever they appear. */
function judgeAnywhere(tokens: readonly SqlToken[]): Judgement {
  let best = NONE;
  const n = tokens.length;
  let hasSelectOrFrom = false;
  for (const t of tokens) if (t.kind === 'k' && (t.text === 'select' || t.text === 'from')) hasSelectOrFrom = true;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    if (t === undefined) break;
    const a = at(tokens, i + 1);
    const b = at(tokens, i + 2);
    if (t.kind === 'k') {
      switch (t.text) {
        case 'union': {
          let j = i + 1;
          while (is(at(tokens, j), 'k', 'all') || is(at(tokens, j), 'k', 'distinct') || is(at(tokens, j), '(')) j++;
          if (is(at(tokens, j), 'k', 'select')) best = better(best, 10, 'sqli:union-select');
          break;
        }
        case 'select': {
          // select <sql-ish column> ... from
          if (a !== undefined && (a.kind === 'n' || a.kind === 'f' || (a.kind === 'v' && a.text.startsWith('@@')) || is(a, 'o', '*') || is(a, 'k', 'null'))) {
            if (a.kind === 'v' || a.kind === 'f') best = better(best, 7, 'sqli:select-expression');
            for (let j = i + 2; j < Math.min(n, i + 40); j++) {
              if (is(at(tokens, j), 'k', 'from')) {
                best = better(best, 8, 'sqli:select-from');
                break;
              }
            }
          }
          const sqlish = a !== undefined && (a.kind === '(' || is(a, 'k', 'case') || a.kind === 'n' || a.kind === 'f' || a.kind === 'v' || a.kind === 's' || is(a, 'o', '*') || is(a, 'k', 'null') || (a.kind !== ')' && hasFromAfter(tokens, i)));
          if (sqlish && is(at(tokens, i - 1), '(') && (is(at(tokens, i - 2), '&') || is(at(tokens, i - 2), 'o') || is(at(tokens, i - 2), ',') || is(at(tokens, i - 2), 'f'))) {
            best = better(best, 8, 'sqli:subquery');
          }
          break;
        }
        case 'waitfor':
          if ((is(a, 'k', 'delay') || is(a, 'k', 'time')) && is(b, 's')) best = better(best, 10, 'sqli:time-based');
          break;
        case 'into':
          if (is(a, 'k', 'outfile') || is(a, 'k', 'dumpfile')) best = better(best, 10, 'sqli:into-outfile');
          break;
        case 'xp_cmdshell':
        case 'sp_oacreate':
        case 'sp_executesql':
          if (is(a, '(') || is(a, 's') || is(at(tokens, i - 1), 'k', 'exec') || is(at(tokens, i - 1), 'k', 'execute') || is(at(tokens, i - 1), '.')) best = better(best, 10, 'sqli:exec-procedure');
          else best = better(best, 6, 'sqli:procedure-name');
          break;
        default:
          if (SCHEMA_OBJECTS.has(t.text)) best = better(best, hasSelectOrFrom || is(a, '.') ? 9 : 6, 'sqli:schema-access');
          break;
      }
      continue;
    }
    if (t.kind === 'f') {
      if (TIME_FUNCTIONS.has(t.text) && is(a, '(') && ((is(b, 'n') && (is(at(tokens, i + 3), ')') || is(at(tokens, i + 3), 'o'))) || is(b, '('))) best = better(best, 10, 'sqli:time-based');
      else if (t.text === 'benchmark' && is(a, '(') && is(b, 'n') && is(at(tokens, i + 3), ',')) best = better(best, 10, 'sqli:time-based');
      else if ((t.text === 'receive_message' || t.text === 'sleep') && is(at(tokens, i - 1), '.')) best = better(best, 10, 'sqli:time-based');
      else if (ERROR_FUNCTIONS.has(t.text) && t.text !== 'exp' && is(a, '(')) best = better(best, 9, 'sqli:error-based');
      else if (t.text === 'exp' && is(a, '(') && is(b, 'o', '~')) best = better(best, 9, 'sqli:error-based');
      else if (t.text === 'convert' && is(a, '(') && b !== undefined && CONVERT_TYPES.has(b.text) && is(at(tokens, i + 3), ',')) best = better(best, 9, 'sqli:error-based');
      // CAST((SELECT …) AS INT): a query's text cast to a number fails and the error shows it.
      else if (t.text === 'cast' && is(a, '(') && is(b, '(') && is(at(tokens, i + 3), 'k', 'select')) best = better(best, 9, 'sqli:error-based');
      else if (t.text === 'load_file' && is(a, '(')) best = better(best, 10, 'sqli:load-file');
      else if ((t.text === 'floor' && is(a, '(') && is(b, 'f', 'rand')) || t.text === 'name_const' || t.text === 'geometrycollection') best = better(best, 8, 'sqli:error-based');
      else if (BLIND_OUTER.has(t.text) && is(a, '(') && b !== undefined && b.kind === 'f' && BLIND_INNER.has(b.text)) best = better(best, 8, 'sqli:blind-extraction');
      else if ((t.text === 'char' || t.text === 'chr' || t.text === 'concat' || t.text === 'concat_ws') && is(a, '(') && b !== undefined && b.kind === 'n' && (is(at(tokens, i + 3), ',') || /^0x/.test(b.text))) {
        best = better(best, 5, 'sqli:char-encoding');
      }
      continue;
    }
    if (t.kind === '&' && a !== undefined && (a.kind === 'n' || a.kind === 's') && b !== undefined && b.kind === 'o' && (b.text === '=' || b.text === '<>' || b.text === '!=')) {
      const c = at(tokens, i + 3);
      if (c !== undefined && c.kind === a.kind && (b.text === '=' ? c.text === a.text : c.text !== a.text)) best = better(best, 7, 'sqli:tautology');
    }
    if (t.kind === ';' && a !== undefined) {
      const stacked = stackedStatement(tokens, i + 1);
      if (stacked) best = better(best, 9, 'sqli:stacked-query');
      continue;
    }
    if (t.kind === 'v' && /^@@(version|datadir|hostname|basedir|servername)$/.test(t.text)) best = better(best, 7, 'sqli:system-variable');
  }
  return best;
}

function hasFromAfter(tokens: readonly SqlToken[], i: number): boolean {
  for (let j = i + 1; j < Math.min(tokens.length, i + 24); j++) if (is(tokens[j], 'k', 'from')) return true;
  return false;
}

function stackedStatement(tokens: readonly SqlToken[], i: number): boolean {
  const t = tokens[i];
  const a = tokens[i + 1];
  const b = tokens[i + 2];
  if (t === undefined || (t.kind !== 'k' && t.kind !== 'f' && t.kind !== 'b')) return false;
  switch (t.text) {
    case 'drop':
    case 'create':
    case 'alter':
      return a !== undefined && DROP_TARGETS.has(a.text);
    case 'truncate':
      return is(a, 'k', 'table') || is(a, 'b');
    case 'exec':
    case 'execute':
      return a !== undefined && (a.kind === 'b' || a.kind === 'f' || a.kind === 'v' || a.kind === 'k' || a.kind === '(');
    case 'insert':
      return is(a, 'k', 'into');
    case 'update':
      return (is(a, 'b') || is(a, 'k')) && is(b, 'k', 'set');
    case 'delete':
      return is(a, 'k', 'from');
    case 'declare':
      return is(a, 'v');
    case 'shutdown':
      return a === undefined || a.kind === 'c';
    case 'waitfor':
      return is(a, 'k', 'delay') || is(a, 'k', 'time');
    case 'select':
      return a !== undefined && (a.kind === 'n' || a.kind === 'f' || a.kind === 'v' || is(a, 'o', '*') || a.kind === 's');
    case 'set':
      return is(a, 'v');
    default:
      return false;
  }
}

/** Whether a comment or a `;` follows token `from`. */
function endsStatement(tokens: readonly SqlToken[], from: number): boolean {
  for (let j = from + 1; j < tokens.length; j++) {
    const kind = tokens[j]?.kind;
    if (kind === 'c' || kind === ';') return true;
  }
  return false;
}

/** Patterns after the value has closed a string (tokens[0] is the string it closed). */
function judgeAfterBreakout(tokens: readonly SqlToken[], from: number, numeric: boolean): Judgement {
  let best = NONE;
  let i = from;
  while (is(at(tokens, i), ')')) i++;
  const t = at(tokens, i);
  if (t === undefined) return best;
  const a = at(tokens, i + 1);
  if (t.kind === 'c') {
    if (numeric) return better(best, 3, 'sqli:numeric-comment');
    // "admin'--", "admin'#", "x' -- -": nothing but the comment; free text after "--" is prose
    const body = t.text.replace(/^(?:--|#|\/\*)/, '');
    return /^[\s\-+#;*/]*$/.test(body) || body.trim().length <= 2 ? better(best, 8, 'sqli:comment-truncation') : better(best, 4, 'sqli:quote-comment');
  }
  if (t.kind === '&') {
    let j = i + 1;
    while (is(at(tokens, j), '(')) j++;
    if (is(at(tokens, j), 'k', 'not')) j++;
    const left = at(tokens, j);
    const op = at(tokens, j + 1);
    const right = at(tokens, j + 2);
    if (isOperand(left) && op !== undefined && op.kind === 'o' && COMPARISON.has(op.text) && (isOperand(right) || is(right, '('))) {
      const literal = left !== undefined && left.kind !== 'b';
      const tautology = t.text === 'or' || t.text === 'xor';
      best = better(best, tautology ? (literal ? 9 : 8) : literal ? 8 : 6, tautology ? 'sqli:tautology' : 'sqli:boolean-blind');
    } else if (isOperand(left) && left !== undefined && left.kind !== 'b' && left.kind !== 's' && (op === undefined || op.kind === 'c' || op.kind === ')')) {
      best = better(best, t.text === 'or' ? 8 : 6, t.text === 'or' ? 'sqli:tautology' : 'sqli:boolean-blind');
    } else if (left !== undefined && left.kind === 'f' && tokens.length > j + 2) {
      best = better(best, 6, 'sqli:boolean-function');
    }
    return best;
  }
  if (t.kind === 'k') {
    // `x' DROP TABLE t--`: SQL Server runs a second statement without a `;` between. A value that
    // only quotes the statement (`"delete from" là gì`) must also end it with a comment or `;`.
    if (t.text !== 'select' && t.text !== 'set' && t.text !== 'waitfor' && STACKED.has(t.text) && stackedStatement(tokens, i) && (tokens[0]?.text !== '' || endsStatement(tokens, i)))
      return better(best, 8, 'sqli:stacked-query');
    if (t.text === 'order' && is(a, 'k', 'by') && is(at(tokens, i + 2), 'n')) best = better(best, 8, 'sqli:order-by-probe');
    else if (t.text === 'group' && is(a, 'k', 'by')) best = better(best, 7, 'sqli:group-by-probe');
    else if (t.text === 'having' && isOperand(a)) best = better(best, 8, 'sqli:having-probe');
    else if (t.text === 'limit' && is(a, 'n')) best = better(best, 5, 'sqli:limit');
    return best;
  }
  if (t.kind === ';' && (a === undefined || a.kind === 'c')) return better(best, 5, 'sqli:statement-end');
  if (t.kind === 'o' && is(a, '(') && is(at(tokens, i + 2), 'k', 'select')) return better(best, 8, 'sqli:subquery');
  if (t.kind === 'o' && is(a, 's') && tokens.length === i + 2) return better(best, 4, 'sqli:string-operator-probe');
  if (t.kind === 'o' && (t.text === '+' || t.text === '-' || t.text === '*' || t.text === '||') && a !== undefined && (a.kind === 'f' || a.kind === '(')) {
    best = better(best, 6, 'sqli:string-concatenation');
  }
  return best;
}

function judgeValue(value: string): Judgement {
  const all = tokenize(value);
  let best = judgeAnywhere(all);
  if (best.score >= 10) return best;
  // The first 64 tokens: the lexer reads left to right, so they are those of `tokenize(value, 0, 64)`.
  const plain = all.length > 64 ? all.slice(0, 64) : all;
  // numeric context: "1 or 1=1", "-1 union ..."
  let start = 0;
  while (is(at(plain, start), 'o', '-') || is(at(plain, start), 'o', '+')) start++;
  if (is(at(plain, start), 'n')) {
    const numeric = judgeAfterBreakout(plain, start + 1, true);
    const next = at(plain, start + 1);
    if (next === undefined || next.kind === 'b' || next.kind === 'n' || next.kind === ',' || next.kind === '.' || next.kind === 'o') {
      // ordinary numbers and codes: nothing more to see
    } else best = better(best, numeric.score, numeric.reason);
  }
  // string contexts: the value injected after an opening ' or "
  for (const quote of [39, 34]) {
    const close = value.indexOf(String.fromCharCode(quote));
    if (close < 0) continue;
    const { end, closed } = stringEnd(value, 0, quote);
    if (!closed) continue;
    const rest = tokenize(value, end + 1);
    const tokens: SqlToken[] = [{ kind: 's', text: value.slice(0, end) }, ...rest];
    const broke = judgeAfterBreakout(tokens, 1, false);
    best = better(best, broke.score, broke.reason);
    if (best.score < 10) {
      const general = judgeAnywhere(tokens);
      best = better(best, general.score, general.reason);
    }
  }
  if (best.score === 0 && /['"]/.test(value)) {
    for (const t of plain) if (t.kind === 'c' && t.text.length < 40) best = better(best, 3, 'sqli:quote-comment');
  }
  return best;
}

/*
 * What a value needs before `judgeValue` can score it above 0 — checked before lexing, so the
 * common value that passes the gate only for a `(`, `;`, `=` or quote (a User-Agent, a
 * Content-Type, an e-mail address, prose, an XML document) is not lexed at all. Each finding
 * needs, in any of the lexings (`judgeValue` lexes the value whole and after each closing quote):
 *  - UNION/SELECT shapes `select`; INTO OUTFILE `outfile`/`dumpfile`; WAITFOR `waitfor`;
 *    procedures and schema objects their names (`SURE_WORDS`);
 *  - a function finding one of `FUNCTIONS` as the word right before a `(` (`functionCall`);
 *  - a tautology a logic word (`and`/`or`/`xor`/`&&`/`||`) followed by a number or a string, and
 *    `=` or `<` (`logicBeforeOperand`);
 *  - a stacked query `;` followed by one of `STACKED` (`stackedAfterSemicolon`);
 *  - a system variable `@@`;
 *  - the numeric context a number as the first token (`numericStart`);
 *  - a string context a quote closed, then after `)`s a comment, a logic word, ORDER/GROUP BY,
 *    HAVING, LIMIT, `;` or an operator (`breakoutAfter`); the quote-comment probe a quote and a
 *    comment (`--`, `#`, `/*`).
 * Comments `/* *\/` can hide words (`SEL/**\/ECT`) and are judged again without: always lexed.
 * Where a comment could stand between two tokens the checks give up and say yes.
 */
const SURE_WORDS = wordsPattern(['select', 'outfile', 'dumpfile', 'waitfor', 'xp_cmdshell', 'sp_oacreate', 'sp_executesql', 'information_schema', 'sysobjects', 'syscolumns', 'sysdatabases', 'sqlite_master', 'pg_catalog', 'pg_tables', 'all_tables', 'user_tables']);
const STACKED: ReadonlySet<string> = new Set(['drop', 'create', 'alter', 'truncate', 'exec', 'execute', 'insert', 'update', 'delete', 'declare', 'shutdown', 'waitfor', 'select', 'set']);
const BREAKOUT_WORDS: ReadonlySet<string> = new Set(['or', 'and', 'xor', 'order', 'group', 'having', 'limit', ...[...STACKED].filter((w) => w !== 'select' && w !== 'set' && w !== 'waitfor')]);
const LOGIC_WORDS = /or|and|\|\||&&/g;
const FUNCTIONS = [
  'sleep', 'pg_sleep', 'benchmark', 'receive_message', 'extractvalue', 'updatexml', 'xmltype', 'ctxsys', 'exp', 'convert', 'load_file',
  'floor', 'name_const', 'geometrycollection', 'ascii', 'ord', 'unicode', 'length', 'len', 'char', 'chr', 'concat', 'concat_ws',
];

/** FUNCTIONS by the code of their last character. */
const FUNCTIONS_BY_LAST = new Map<number, string[]>();
for (const name of FUNCTIONS) {
  const last = charCodeAt.call(name, name.length - 1);
  FUNCTIONS_BY_LAST.set(last, [...(FUNCTIONS_BY_LAST.get(last) ?? []), name]);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Characters the lexer skips between tokens: spaces and `? [ \ ] { }` and DEL. */
function isSkipped(c: number): boolean {
  return isSpace(c) || c === 63 || c === 91 || c === 92 || c === 93 || c === 123 || c === 125 || c === 127;
}

/** `/`, `-`, `#`: a comment may start here, so the next token is unknown. */
function mayStartComment(c: number): boolean {
  return c === 47 || c === 45 || c === 35;
}

/** The index of the first character at or after `i` that the lexer does not skip. */
function skipFrom(value: string, i: number): number {
  while (i < value.length && isSkipped(charCodeAt.call(value, i))) i++;
  return i;
}

/** The run of word characters starting at `i` (a word token when it starts with a non-digit). */
function wordAt(value: string, i: number): string {
  let j = i;
  while (j < value.length && isWordChar(charCodeAt.call(value, j))) j++;
  return value.slice(i, j);
}

/** Whether a word the judge knows as a function stands right before a `(` (the lexer's `f` token). */
function functionCall(value: string): boolean {
  for (let p = value.indexOf('('); p >= 0; p = value.indexOf('(', p + 1)) {
    let end = p;
    while (end > 0 && isSpace(charCodeAt.call(value, end - 1))) end--;
    let begin = end;
    while (begin > 0 && isWordChar(charCodeAt.call(value, begin - 1))) begin--;
    if (begin === end) continue;
    // The function's token ends where the run of word characters ends; it may start inside it
    // (after a number: `1sleep(`), so any run that ends with a known name counts.
    const names = FUNCTIONS_BY_LAST.get(charCodeAt.call(value, end - 1));
    if (names === undefined) continue;
    const run = value.slice(begin, end);
    for (const name of names) if (run.endsWith(name)) return true;
  }
  return false;
}

/** Whether the lexer's first token (after leading `+`/`-` operators) may be a number. */
function numericStart(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = charCodeAt.call(value, i);
    if (isSkipped(c) || c === 43 || c === 45) continue;
    if (c === 47 || c === 42) return true; // a comment may come first: let the lexer decide
    return isDigitCode(c) || (c === 46 && isDigitCode(charCodeAt.call(value, i + 1)));
  }
  return false;
}

/** Whether a `;` may be followed by a statement keyword (a stacked query). */
function stackedAfterSemicolon(value: string): boolean {
  for (let p = value.indexOf(';'); p >= 0; p = value.indexOf(';', p + 1)) {
    const i = skipFrom(value, p + 1);
    const c = charCodeAt.call(value, i);
    if (mayStartComment(c)) return true;
    if (isWordChar(c) && !isDigitCode(c) && STACKED.has(wordAt(value, i))) return true;
  }
  return false;
}

/** Whether a logic word (`or`, `and`, `xor`, `||`, `&&`) may be followed by a number, or a string when `quoted`. */
function logicBeforeOperand(value: string, quoted: boolean): boolean {
  LOGIC_WORDS.lastIndex = 0;
  for (let m = LOGIC_WORDS.exec(value); m !== null; m = LOGIC_WORDS.exec(value)) {
    const after = m.index + m[0].length;
    // A word token runs to the end of its word characters: `order`, `orange` are not logic.
    if (m[0].charCodeAt(0) !== 124 && m[0].charCodeAt(0) !== 38 && isWordChar(charCodeAt.call(value, after))) continue;
    const i = skipFrom(value, after);
    const c = charCodeAt.call(value, i);
    if (isDigitCode(c) || (c === 46 && isDigitCode(charCodeAt.call(value, i + 1))) || mayStartComment(c)) return true;
    if (quoted && (c === 39 || c === 34)) return true;
  }
  return false;
}

/** Whether, after the value closes a `quote` string, the next token (past `)`s) may open an injection. */
function breakoutAfter(value: string, quote: number): boolean {
  const { end, closed } = stringEnd(value, 0, quote);
  if (!closed) return false;
  let i = end + 1;
  for (;;) {
    i = skipFrom(value, i);
    if (charCodeAt.call(value, i) !== 41) break;
    i++;
  }
  if (i >= value.length) return false;
  const c = charCodeAt.call(value, i);
  // a string, a backtick name, a number, a variable, `(`, `,`, `.`: nothing to judge
  if (c === 39 || c === 34 || c === 96 || c === 64 || c === 40 || c === 44 || c === 46 || isDigitCode(c)) return false;
  if (isWordChar(c)) return BREAKOUT_WORDS.has(wordAt(value, i));
  return true; // `;`, a comment, an operator, `||`, `&&`
}

function mayScore(value: string, chars: number): boolean {
  if ((chars & C.star) !== 0 && value.includes('/*')) return true;
  if ((chars & C.at) !== 0 && value.includes('@@')) return true;
  if ((chars & C.semicolon) !== 0 && stackedAfterSemicolon(value)) return true;
  const quoted = (chars & (C.squote | C.dquote)) !== 0;
  if ((chars & (C.equals | C.lt)) !== 0 && logicBeforeOperand(value, quoted)) return true;
  if ((chars & C.lparen) !== 0 && functionCall(value)) return true;
  if (SURE_WORDS.test(value) || numericStart(value)) return true;
  if (!quoted) return false;
  if ((chars & C.hash) !== 0 || value.includes('--')) return true;
  return ((chars & C.squote) !== 0 && breakoutAfter(value, 39)) || ((chars & C.dquote) !== 0 && breakoutAfter(value, 34));
}

/** The cheap gate: whether `value` has any of `GATE_CHARS`, `--` or `GATE_WORDS`. */
function passesGate(value: string, chars: number): boolean {
  return (chars & GATE_CHARS) !== 0 || ((chars & C.dash) !== 0 && value.includes('--')) || GATE_WORDS.test(value);
}

/** `value` is the lower-cased input, `chars` the character classes of the input (or a superset). */
function scoreLower(value: string, chars: number): Judgement {
  if (!passesGate(value, chars)) return NONE;
  return scoreGated(value, chars);
}

/** `scoreLower` for a value that passed the gate. */
function scoreGated(value: string, chars: number): Judgement {
  if (!mayScore(value, chars)) return NONE;
  let best = judgeValue(value);
  if (best.score < 10 && (chars & C.star) !== 0 && value.includes('/*')) {
    // comments hiding inside keywords: UN/**/ION
    const joined = value.replace(/\/\*(?!!)[\s\S]*?\*\//g, '');
    if (joined !== value) {
      const again = judgeValue(joined);
      best = better(best, again.score, again.reason);
    }
  }
  return best;
}

/** Judges one value; exported for tests and benchmarks. */
export function scoreSql(decoded: string): Judgement {
  const value = (decoded.length > MAX_INPUT ? decoded.slice(0, MAX_INPUT) : decoded).toLowerCase();
  return scoreLower(value, charClasses(value));
}

/** Path segments judged on their own, at most (a path of more is not a rewritten query). */
const MAX_PATH_SEGMENTS = 16;
/** Characters of a segment (and what follows it) judged on its own: the whole path was judged already. */
const MAX_SEGMENT_LENGTH = 1024;

/**
 * The request path. Rewritten URLs (`/tin-tuc/1' OR '1'='1`, `/ho-so/-1+UNION+SELECT…`) hand a
 * segment to a query as a parameter would be, so the path is judged with `+` read as a space (as
 * the query string reads it, and as rewrite rules pass it on to one), and again from the start of
 * each segment that starts like a number: the numeric context (`5 AND 1=2`) depends on where the
 * value starts. Any finding in a segment is a finding in the whole path, so a path that fails the
 * gate has none in its segments either.
 */
function scorePath(lower: string, chars: number): Judgement {
  const value = (chars & C.plus) !== 0 ? lower.replace(/\+/g, ' ') : lower;
  if (!passesGate(value, chars)) return NONE;
  let best = scoreGated(value, chars);
  let segments = 0;
  for (let p = value.indexOf('/'); p >= 0 && best.score < 10 && segments < MAX_PATH_SEGMENTS; p = value.indexOf('/', p + 1)) {
    segments++;
    const c = charCodeAt.call(value, p + 1);
    // A number, signed or not: `/1 AND 1=2`, `/-1 UNION …`, `/.5 OR 1=1`.
    if (!isDigitCode(c) && c !== 45 && c !== 46 && c !== 32) continue;
    const segment = scoreGated(value.slice(p + 1, p + 1 + MAX_SEGMENT_LENGTH), chars);
    best = better(best, segment.score, segment.reason);
  }
  return best;
}

function scoreInput(input: Input): Judgement {
  if (isQuiet(input)) return NONE;
  const decoded = input.decoded;
  // The character classes of the whole value are a superset of those of its first MAX_INPUT characters.
  if (decoded.length > MAX_INPUT) return scoreSql(decoded);
  return (kindOf(input) & L.path) !== 0 ? scorePath(lowerOf(input), charsOf(input)) : scoreLower(lowerOf(input), charsOf(input));
}

export const sqliDetector: Detector = perValueDetector('sqli', 'sqli', scoreInput);
skipsQuietInputs.add(sqliDetector);

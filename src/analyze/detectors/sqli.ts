/**
 * @module analyze/detectors/sqli
 * SQL injection detector: tokenises each decoded, lower-cased input with the SQL lexer
 * (`sql-tokens.ts`) in three contexts — as it stands (numeric or bare), and as if it were
 * injected after a closing `'` or `"` — and judges the token sequences: UNION SELECT, stacked
 * queries, tautologies after breaking out of a string, time- and error-based probes, comment
 * truncation, schema access, file read/write. Words alone never decide.
 */
import type { Detector } from '../contract.js';
import { perValueDetector } from './shared.js';
import { stringEnd, tokenize } from './sql-tokens.js';
import type { SqlToken } from './sql-tokens.js';

const MAX_INPUT = 64 * 1024;

interface Judgement {
  score: number;
  reason: string;
}

const NONE: Judgement = { score: 0, reason: '' };

/** Cheap gate: values with none of these cannot carry SQL injection worth judging. */
const GATE = /['"`;()#=<>|&*@]|--|\/\*|union|select|order\s+by|having|sleep|benchmark|waitfor|schema|outfile|load_file|xp_|sysobjects|sqlite_master|pg_catalog/;

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
  let best = judgeAnywhere(tokenize(value));
  if (best.score >= 10) return best;
  const plain = tokenize(value, 0, 64);
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

/** Judges one value; exported for tests and benchmarks. */
export function scoreSql(decoded: string): Judgement {
  const value = (decoded.length > MAX_INPUT ? decoded.slice(0, MAX_INPUT) : decoded).toLowerCase();
  if (!GATE.test(value)) return NONE;
  let best = judgeValue(value);
  if (best.score < 10 && value.includes('/*')) {
    // comments hiding inside keywords: UN/**/ION
    const joined = value.replace(/\/\*(?!!)[\s\S]*?\*\//g, '');
    if (joined !== value) {
      const again = judgeValue(joined);
      best = better(best, again.score, again.reason);
    }
  }
  return best;
}

export const sqliDetector: Detector = perValueDetector('sqli', 'sqli', scoreSql);

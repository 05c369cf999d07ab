/**
 * @module intel/stix/pattern-ast
 * The syntax tree of a STIX 2.1 pattern (§9) and its printer. The tree follows the grammar's
 * levels (`STIXPattern.g4`, oasis-open/cti-stix2-json-schemas): observation expressions combined
 * by AND, OR and FOLLOWEDBY and restricted by qualifiers (§9.5), each observation made of
 * comparison expressions combined by AND and OR (§9.6) over object paths (§9.7) and constants
 * (§9.2). It is plain JSON-serialisable data; `offset` is where the node starts in the pattern
 * text, so later stages can point at it.
 */

/** §9.2 constants. `timestamp` keeps the literal's text; `hex` is lower-case; `binary` is base64 without line breaks. */
export type Constant =
  | { kind: 'string'; value: string }
  | { kind: 'integer'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'timestamp'; value: string }
  | { kind: 'hex'; value: string }
  | { kind: 'binary'; value: string };

/** §9.7: `.name` (dictionary key or property), `[n]` (list index), `[*]` (every list item). */
export type PathStep = { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'any' };

export interface ObjectPath {
  objectType: string;
  /** Never empty; the first step is always a key (the property of the SCO). */
  steps: PathStep[];
}

export type OrderOperator = '>' | '<' | '>=' | '<=';
export type ValueOperator = '=' | '!=' | OrderOperator | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';
export type ComparisonOperator = ValueOperator | 'IN' | 'EXISTS';

/** One comparison expression (§9.6.1); `negated` is the NOT modifier before the operator. */
export type ComparisonTest =
  | { kind: 'test'; operator: ValueOperator; path: ObjectPath; negated: boolean; value: Constant; offset: number }
  | { kind: 'test'; operator: 'IN'; path: ObjectPath; negated: boolean; values: Constant[]; offset: number }
  | { kind: 'test'; operator: 'EXISTS'; path: ObjectPath; negated: boolean; offset: number };

/** Comparison expressions joined by the Boolean operators of §9.6 (AND binds tighter than OR). */
export type ComparisonExpression =
  | ComparisonTest
  | { kind: 'and' | 'or'; left: ComparisonExpression; right: ComparisonExpression; offset: number };

/** §9.5.1 qualifiers. */
export type Qualifier =
  | { kind: 'within'; seconds: number; offset: number }
  | { kind: 'repeats'; times: number; offset: number }
  | { kind: 'startstop'; start: string; stop: string; offset: number };

/** §9.5: a bracketed observation, two joined by an observation operator (§9.5.2), or a qualified one. */
export type ObservationExpression =
  | { kind: 'observation'; comparison: ComparisonExpression; offset: number }
  | { kind: 'and' | 'or' | 'followedby'; left: ObservationExpression; right: ObservationExpression; offset: number }
  | { kind: 'qualified'; expression: ObservationExpression; qualifier: Qualifier; offset: number };

/** A parsed pattern expression (§9.4). */
export interface Pattern {
  root: ObservationExpression;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN', 'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES']);

/** True for names the grammar accepts unquoted as a property (`IdentifierWithoutHyphen`, not a keyword). */
export function isBareName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name) && name !== 'true' && name !== 'false';
}

/** A §9.2 string constant: apostrophes around, `\` and `'` escaped by a backslash (the only escapes). */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function formatConstant(c: Constant): string {
  switch (c.kind) {
    case 'string':
      return quoteString(c.value);
    case 'integer':
      return String(c.value);
    case 'float':
      return formatFloat(c.value);
    case 'boolean':
      return c.value ? 'true' : 'false';
    case 'timestamp':
      return `t'${c.value}'`;
    case 'hex':
      return `h'${c.value}'`;
    case 'binary':
      return `b'${c.value}'`;
  }
}

export function formatPath(path: ObjectPath): string {
  let out = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.kind === 'key') out += `${i === 0 ? '' : '.'}${isBareName(step.name) ? step.name : quoteString(step.name)}`;
    else out += step.kind === 'any' ? '[*]' : `[${step.index}]`;
  });
  return out;
}

/** The pattern as text; parsing the result gives the same tree (offsets aside). */
export function formatPattern(pattern: Pattern): string {
  return formatObservation(pattern.root, 0);
}

const OBSERVATION_PRECEDENCE = { followedby: 0, or: 1, and: 2 } as const;

function formatObservation(e: ObservationExpression, context: number): string {
  switch (e.kind) {
    case 'observation':
      return `[${formatComparison(e.comparison, 0)}]`;
    case 'qualified': {
      // A qualifier applies to the expression just before it; a chain may not repeat a qualifier
      // type (§9.5.1), so an inner qualified expression with the same type keeps its parentheses.
      // Joined expressions are parenthesised by the precedence context (3 binds tighter than AND).
      const inner = e.expression;
      const base = formatObservation(inner, 3);
      const separate = inner.kind === 'qualified' && chainHas(inner, e.qualifier.kind);
      return `${separate ? `(${base})` : base} ${formatQualifier(e.qualifier)}`;
    }
    default: {
      const own = OBSERVATION_PRECEDENCE[e.kind];
      const text = `${formatObservation(e.left, own)} ${e.kind.toUpperCase()} ${formatObservation(e.right, own + 1)}`;
      return own < context ? `(${text})` : text;
    }
  }
}

function chainHas(e: ObservationExpression, kind: Qualifier['kind']): boolean {
  for (let node = e; node.kind === 'qualified'; node = node.expression) if (node.qualifier.kind === kind) return true;
  return false;
}

function formatQualifier(q: Qualifier): string {
  if (q.kind === 'within') return `WITHIN ${Number.isInteger(q.seconds) ? String(q.seconds) : formatFloat(q.seconds)} SECONDS`;
  if (q.kind === 'repeats') return `REPEATS ${q.times} TIMES`;
  return `START t'${q.start}' STOP t'${q.stop}'`;
}

function formatComparison(e: ComparisonExpression, context: number): string {
  if (e.kind === 'test') {
    const not = e.negated ? 'NOT ' : '';
    if (e.operator === 'EXISTS') return `${not}EXISTS ${formatPath(e.path)}`;
    if (e.operator === 'IN') return `${formatPath(e.path)} ${not}IN (${e.values.map(formatConstant).join(', ')})`;
    return `${formatPath(e.path)} ${not}${e.operator} ${formatConstant(e.value)}`;
  }
  const own = e.kind === 'or' ? 0 : 1;
  const text = `${formatComparison(e.left, own)} ${e.kind.toUpperCase()} ${formatComparison(e.right, own + 1)}`;
  return own < context ? `(${text})` : text;
}

/** The grammar's float has digits on both sides of a point and no exponent. */
function formatFloat(value: number): string {
  if (Number.isInteger(value)) return `${value}.0`;
  const text = String(value);
  if (!text.includes('e')) return text;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

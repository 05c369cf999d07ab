/**
 * @module intel/stix/pattern
 * STIX 2.1 Patterning (§9): a hand-written recursive-descent parser from pattern text to the tree
 * of `pattern-ast`. Hand-written because no maintained JavaScript library implements STIX 2.1
 * patterning (the reference validator and matcher are Python on an ANTLR runtime), and a parser
 * that owns its error messages can say where a feed's pattern is wrong. The grammar is the TC's
 * `STIXPattern.g4`; the precedence is §9.5.3 (FOLLOWEDBY lowest, then OR, then AND; qualifiers
 * bind to the observation expression just before them, §9.5.2 "qualifiers are not greedy") and
 * §9.6 (AND before OR inside brackets). Beyond the grammar, the parser enforces what the prose
 * requires of a valid pattern, since an invalid pattern MUST NOT match anything (§9.4):
 * - comparison expressions joined by AND must be satisfiable by one object, so they must share an
 *   object type; different types may only be joined by OR (§9.5);
 * - no observation expression carries two qualifiers of one type (§9.5.1);
 * - REPEATS takes a positive integer, WITHIN a positive number, and START must precede STOP
 *   (§9.5.1: matching times are `>= START` and `< STOP`, so an empty window matches nothing);
 * - the values of IN share one type (§9.6.1; integers and floats are one numeric type);
 * - ISSUBSET/ISSUPERSET take an IP address or CIDR block (§9.6.1);
 * - property names with a hyphen are quoted (§9.7), and strings know only `\'` and `\\` (§9.2).
 */
import { parseNetwork } from './address.js';
import type { ComparisonExpression, ComparisonTest, Constant, ObjectPath, ObservationExpression, Pattern, PathStep, Qualifier, ValueOperator } from './pattern-ast.js';
import { PatternSyntaxError, tokenize } from './pattern-lexer.js';
import type { Token, TokenKind } from './pattern-lexer.js';
import { compareInstants, parseStixTimestamp } from './timestamp.js';

export type ParseResult = { ok: true; pattern: Pattern } | { ok: false; error: string; offset: number };

/** Parses and validates a STIX 2.1 pattern. Errors read "expected ']' but found 'OR' at 23". */
export function parsePattern(text: string): ParseResult {
  try {
    const parser = new Parser(tokenize(text));
    const root = parser.followedBy();
    parser.expectEnd();
    return { ok: true, pattern: { root } };
  } catch (err) {
    if (err instanceof PatternSyntaxError) return { ok: false, error: `${err.message} at ${err.offset}`, offset: err.offset };
    throw err;
  }
}

const QUALIFIER_NAMES: Readonly<Record<Qualifier['kind'], string>> = { within: 'WITHIN', repeats: 'REPEATS', startstop: 'START/STOP' };

class Parser {
  private pos = 0;
  private readonly types = new Map<ComparisonExpression, ReadonlySet<string>>();

  constructor(private readonly tokens: readonly Token[]) {}

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail('AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern');
  }

  /** observationExpressions: left-associative FOLLOWEDBY, the loosest operator (§9.5.3). */
  followedBy(): ObservationExpression {
    let left = this.observationOr();
    while (this.isKeyword('FOLLOWEDBY')) {
      this.next();
      left = { kind: 'followedby', left, right: this.observationOr(), offset: left.offset };
    }
    return left;
  }

  private observationOr(): ObservationExpression {
    let left = this.observationAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.observationAnd(), offset: left.offset };
    }
    return left;
  }

  private observationAnd(): ObservationExpression {
    let left = this.qualified();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.qualified(), offset: left.offset };
    }
    return left;
  }

  /** An observation expression followed by its qualifiers, at most one of each type (§9.5.1). */
  private qualified(): ObservationExpression {
    let expression = this.observationPrimary();
    const seen = new Set<Qualifier['kind']>();
    while (this.isKeyword('WITHIN') || this.isKeyword('REPEATS') || this.isKeyword('START')) {
      const qualifier = this.qualifier();
      if (seen.has(qualifier.kind)) {
        throw new PatternSyntaxError(`an observation expression may have only one ${QUALIFIER_NAMES[qualifier.kind]} qualifier (STIX 2.1 §9.5.1); parenthesise to qualify a group`, qualifier.offset);
      }
      seen.add(qualifier.kind);
      expression = { kind: 'qualified', expression, qualifier, offset: expression.offset };
    }
    return expression;
  }

  private observationPrimary(): ObservationExpression {
    const open = this.peek();
    if (open.kind === 'lbrack') {
      this.next();
      const comparison = this.comparisonOr();
      this.expect('rbrack', "']'");
      return { kind: 'observation', comparison, offset: open.offset };
    }
    if (open.kind === 'lparen') {
      this.next();
      const inner = this.followedBy();
      this.expect('rparen', "')'");
      return inner;
    }
    return this.fail("'[' or '('");
  }

  private qualifier(): Qualifier {
    const keyword = this.next();
    if (keyword.value === 'WITHIN') {
      const amount = this.peek();
      if (amount.kind !== 'integer' && amount.kind !== 'float') this.fail('a number of seconds');
      if (amount.num <= 0) throw new PatternSyntaxError('WITHIN takes a positive number of seconds (STIX 2.1 §9.5.1)', amount.offset);
      this.next();
      this.expectKeyword('SECONDS');
      return { kind: 'within', seconds: amount.num, offset: keyword.offset };
    }
    if (keyword.value === 'REPEATS') {
      const count = this.peek();
      if (count.kind !== 'integer') this.fail('a number of times');
      if (count.num < 1) throw new PatternSyntaxError('REPEATS takes a positive integer (STIX 2.1 §9.5.1)', count.offset);
      this.next();
      this.expectKeyword('TIMES');
      return { kind: 'repeats', times: count.num, offset: keyword.offset };
    }
    const start = this.expect('timestamp', "a timestamp t'…'");
    this.expectKeyword('STOP');
    const stop = this.expect('timestamp', "a timestamp t'…'");
    const [from, to] = [parseStixTimestamp(start.value), parseStixTimestamp(stop.value)];
    if (from && to && compareInstants(from, to) >= 0) {
      throw new PatternSyntaxError('START must be earlier than STOP (STIX 2.1 §9.5.1: observations must be at or after START and before STOP)', keyword.offset);
    }
    return { kind: 'startstop', start: start.value, stop: stop.value, offset: keyword.offset };
  }

  private comparisonOr(): ComparisonExpression {
    let left = this.comparisonAnd();
    while (this.isKeyword('OR')) {
      this.next();
      const right = this.comparisonAnd();
      const node: ComparisonExpression = { kind: 'or', left, right, offset: left.offset };
      this.types.set(node, new Set([...this.typesOf(left), ...this.typesOf(right)]));
      left = node;
    }
    return left;
  }

  private comparisonAnd(): ComparisonExpression {
    let left = this.propTest();
    while (this.isKeyword('AND')) {
      const and = this.next();
      const right = this.propTest();
      const common = [...this.typesOf(left)].filter((t) => this.typesOf(right).has(t));
      if (common.length === 0) {
        throw new PatternSyntaxError(
          `comparisons joined by AND must apply to one object, so they must share an object type; ${[...this.typesOf(left)].join('/')} and ${[...this.typesOf(right)].join('/')} may only be joined by OR (STIX 2.1 §9.5)`,
          and.offset,
        );
      }
      const node: ComparisonExpression = { kind: 'and', left, right, offset: left.offset };
      this.types.set(node, new Set(common));
      left = node;
    }
    return left;
  }

  /** The object types a comparison expression can be satisfied by. */
  private typesOf(e: ComparisonExpression): ReadonlySet<string> {
    if (e.kind === 'test') return new Set([e.path.objectType]);
    return this.types.get(e) ?? new Set();
  }

  private propTest(): ComparisonExpression {
    const first = this.peek();
    if (first.kind === 'lparen') {
      this.next();
      const inner = this.comparisonOr();
      this.expect('rparen', "')'");
      return inner;
    }
    if (this.isKeyword('NOT') || this.isKeyword('EXISTS')) {
      const negated = this.isKeyword('NOT');
      if (negated) this.next();
      this.expectKeyword('EXISTS');
      return { kind: 'test', operator: 'EXISTS', path: this.objectPath(), negated, offset: first.offset };
    }
    const path = this.objectPath();
    const negated = this.isKeyword('NOT');
    if (negated) this.next();
    const op = this.peek();
    if (op.kind === 'op') {
      this.next();
      const ordering = op.value !== '=' && op.value !== '!=';
      const value = this.constant(!ordering);
      return { kind: 'test', operator: op.value as ValueOperator, path, negated, value, offset: first.offset };
    }
    if (op.kind === 'keyword') {
      switch (op.value) {
        case 'IN':
          this.next();
          return { kind: 'test', operator: 'IN', path, negated, values: this.set(), offset: first.offset };
        case 'LIKE':
        case 'MATCHES':
          this.next();
          return { kind: 'test', operator: op.value, path, negated, value: this.stringConstant(), offset: first.offset };
        case 'ISSUBSET':
        case 'ISSUPERSET': {
          this.next();
          const value = this.stringConstant();
          if (!parseNetwork(value.value)) {
            throw new PatternSyntaxError(`${op.value} takes an IPv4 or IPv6 address or CIDR block, not '${value.value}' (STIX 2.1 §9.6.1)`, this.tokens[this.pos - 1]?.offset ?? op.offset);
          }
          return { kind: 'test', operator: op.value, path, negated, value, offset: first.offset } satisfies ComparisonTest;
        }
      }
    }
    return this.fail('a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)');
  }

  /** `<object-type>:<property>` then `.key`, `.'quoted key'`, `[n]` or `[*]` steps (§9.7). */
  private objectPath(): ObjectPath {
    const typeToken = this.expect('name', 'an object path (<object-type>:<property>)');
    this.expect('colon', "':' after the object type");
    const steps: PathStep[] = [{ kind: 'key', name: this.propertyName() }];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'dot') {
        this.next();
        steps.push({ kind: 'key', name: this.propertyName() });
      } else if (t.kind === 'lbrack') {
        this.next();
        const index = this.peek();
        if (index.kind === 'star') steps.push({ kind: 'any' });
        else if (index.kind === 'integer') steps.push({ kind: 'index', index: index.num });
        else this.fail("a list index or '*'");
        this.next();
        this.expect('rbrack', "']'");
      } else {
        return { objectType: typeToken.value, steps };
      }
    }
  }

  private propertyName(): string {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return t.value;
    }
    if (t.kind === 'name') {
      if (t.value.includes('-')) throw new PatternSyntaxError(`property name '${t.value}' contains '-' and must be quoted: '${t.value}' in apostrophes (STIX 2.1 §9.7)`, t.offset);
      this.next();
      return t.value;
    }
    return this.fail('a property name');
  }

  private set(): Constant[] {
    const open = this.expect('lparen', "'(' to open the set");
    const values: Constant[] = [];
    if (this.peek().kind !== 'rparen') {
      values.push(this.constant(true));
      while (this.peek().kind === 'comma') {
        this.next();
        values.push(this.constant(true));
      }
    }
    this.expect('rparen', "',' or ')'");
    const kinds = new Set(values.map((v) => (v.kind === 'integer' ? 'float' : v.kind)));
    if (kinds.size > 1) throw new PatternSyntaxError('the values of IN must all be of one type (STIX 2.1 §9.6.1)', open.offset);
    return values;
  }

  private stringConstant(): { kind: 'string'; value: string } {
    return { kind: 'string', value: this.expect('string', "a string in apostrophes ('…')").value };
  }

  private constant(allowBoolean: boolean): Constant {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
      case 'timestamp':
      case 'hex':
      case 'binary':
        this.next();
        return { kind: t.kind, value: t.value };
      case 'integer':
      case 'float':
        this.next();
        return { kind: t.kind, value: t.num };
      case 'boolean':
        if (!allowBoolean) throw new PatternSyntaxError('booleans can only be compared with = and != (STIX 2.1 §9.6.1)', t.offset);
        this.next();
        return { kind: 'boolean', value: t.value === 'true' };
      default:
        return this.fail('a constant');
    }
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.value === word;
  }

  private expect(kind: TokenKind, what: string): Token {
    if (this.peek().kind !== kind) this.fail(what);
    return this.next();
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.fail(word);
    return this.next();
  }

  private fail(what: string): never {
    const t = this.peek();
    throw new PatternSyntaxError(`expected ${what} but found ${t.kind === 'eof' ? 'the end of the pattern' : `'${t.text}'`}`, t.offset);
  }
}

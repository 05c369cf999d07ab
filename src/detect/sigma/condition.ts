/**
 * @module detect/sigma/condition
 * The condition language (Sigma rules spec, "Condition") parsed into a tree, then resolved
 * against the rule's search identifiers. Grammar, precedence least to most binding: `or`, `and`,
 * `not`, `1 of x` / `all of x`, parentheses. Identifiers are letters, digits, `_`, `-` and `.`
 * (pySigma allows `[A-Za-z0-9_-]`; SigmaHQ has a selection named `filter_main_mdadm.conf`,
 * reachable through a pattern). `of` patterns use `*` wildcards at any position and must match the
 * whole identifier; `them` and patterns skip identifiers starting with `_` (unless the pattern
 * itself starts with `_`). Quantifiers are `1` and `all` only (`any of` is not in the
 * specification). The pipe (`| count() > 5`, `| near`) is the deprecated aggregation syntax,
 * replaced by correlation rules. Operators are lower-case, as in pySigma.
 */

export type ConditionNode =
  | { kind: 'and' | 'or'; args: ConditionNode[] }
  | { kind: 'not'; arg: ConditionNode }
  | { kind: 'id'; name: string; pos: number }
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string; pos: number };

/** A resolved condition: only and/or/not over search identifiers. */
export type ResolvedCondition =
  | { kind: 'and' | 'or'; args: ResolvedCondition[] }
  | { kind: 'not'; arg: ResolvedCondition }
  | { kind: 'id'; name: string };

/** A condition could not be parsed or resolved; `pos` is the 0-based column in the condition. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

interface Token {
  text: string;
  pos: number;
}

const WORD = /[\p{L}\p{N}_.*-]/u;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, pos: i });
      i++;
    } else if (c === '|') {
      throw new ConditionError('aggregation expressions are deprecated; use a correlation rule', i);
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i] ?? '')) i++;
      tokens.push({ text: text.slice(start, i), pos: start });
    } else {
      throw new ConditionError(`unexpected character '${c}' in condition`, i);
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', '(', ')']);

/** Parses a condition string into a tree (identifiers not yet checked). */
export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const endPos = text.length;
  const expect = (what: string): Token => {
    const t = tokens[at];
    if (!t) throw new ConditionError(`expected ${what} but the condition ended`, endPos);
    at++;
    return t;
  };

  const parseOr = (): ConditionNode => {
    const args = [parseAnd()];
    while (peek()?.text === 'or') {
      at++;
      args.push(parseAnd());
    }
    return args.length === 1 ? (args[0] as ConditionNode) : { kind: 'or', args };
  };
  const parseAnd = (): ConditionNode => {
    const args = [parseNot()];
    while (peek()?.text === 'and') {
      at++;
      args.push(parseNot());
    }
    return args.length === 1 ? (args[0] as ConditionNode) : { kind: 'and', args };
  };
  const parseNot = (): ConditionNode => {
    if (peek()?.text === 'not') {
      at++;
      return { kind: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): ConditionNode => {
    const t = expect('a search identifier, "(", "not", "1 of" or "all of"');
    if (t.text === '(') {
      const inner = parseOr();
      const close = expect('")"');
      if (close.text !== ')') throw new ConditionError(`expected ")" but found '${close.text}'`, close.pos);
      return inner;
    }
    if (KEYWORDS.has(t.text)) throw new ConditionError(`unexpected '${t.text}'`, t.pos);
    if (peek()?.text === 'of') {
      if (t.text !== '1' && t.text !== 'all') {
        throw new ConditionError(`invalid quantifier '${t.text}' (use '1 of' or 'all of')`, t.pos);
      }
      at++;
      const pattern = expect('a search identifier pattern or "them"');
      if (KEYWORDS.has(pattern.text)) throw new ConditionError(`unexpected '${pattern.text}' after 'of'`, pattern.pos);
      return { kind: 'of', quantifier: t.text === '1' ? 'one' : 'all', pattern: pattern.text, pos: t.pos };
    }
    if (t.text.includes('*')) throw new ConditionError(`wildcard '${t.text}' is only allowed after '1 of' or 'all of'`, t.pos);
    return { kind: 'id', name: t.text, pos: t.pos };
  };

  if (tokens.length === 0) throw new ConditionError('the condition is empty', 0);
  const tree = parseOr();
  const rest = peek();
  if (rest) throw new ConditionError(`unexpected '${rest.text}'`, rest.pos);
  return tree;
}

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\-]/gu, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'u');
}

/** Resolves `of` selectors and checks that every identifier names a search. */
export function resolveCondition(node: ConditionNode, identifiers: readonly string[]): ResolvedCondition {
  const known = new Set(identifiers);
  const walk = (n: ConditionNode): ResolvedCondition => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { kind: n.kind, args: n.args.map(walk) };
      case 'not':
        return { kind: 'not', arg: walk(n.arg) };
      case 'id':
        if (!known.has(n.name)) throw new ConditionError(`search identifier '${n.name}' is not defined in the detection`, n.pos);
        return { kind: 'id', name: n.name };
      case 'of': {
        const re = n.pattern === 'them' ? null : patternRegex(n.pattern);
        const skipUnderscore = !n.pattern.startsWith('_');
        const names = identifiers.filter((id) => (re === null || re.test(id)) && !(skipUnderscore && id.startsWith('_')));
        if (names.length === 0) throw new ConditionError(`pattern '${n.pattern}' matches no search identifier`, n.pos);
        const args = names.map((name): ResolvedCondition => ({ kind: 'id', name }));
        return args.length === 1 ? (args[0] as ResolvedCondition) : { kind: n.quantifier === 'one' ? 'or' : 'and', args };
      }
    }
  };
  return walk(node);
}

/** The search identifiers a resolved condition uses, and whether each is used only under NOT. */
export function positiveIdentifiers(node: ResolvedCondition): Set<string> {
  const out = new Set<string>();
  const walk = (n: ResolvedCondition, negated: boolean): void => {
    if (n.kind === 'id') {
      if (!negated) out.add(n.name);
    } else if (n.kind === 'not') {
      walk(n.arg, !negated);
    } else {
      for (const a of n.args) walk(a, negated);
    }
  };
  walk(node, false);
  return out;
}

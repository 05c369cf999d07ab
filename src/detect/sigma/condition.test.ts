import { describe, expect, it } from 'vitest';
import { ConditionError, parseCondition, resolveCondition } from './condition.js';
import type { ResolvedCondition } from './condition.js';

/** Renders a resolved tree compactly: and(a,b), or(...), not(x). */
function show(n: ResolvedCondition): string {
  if (n.kind === 'id') return n.name;
  if (n.kind === 'not') return `not(${show(n.arg)})`;
  return `${n.kind}(${n.args.map(show).join(',')})`;
}

const ids = ['a', 'b', 'c', 'selection_img', 'selection_cli', 'filter_main_x', 'filter_optional_y', '_hidden', 'sel.dot', 'sel-dash'];

describe('parseCondition + resolveCondition', () => {
  it.each([
    ['a', 'a'],
    ['a or b and not c', 'or(a,and(b,not(c)))'],
    ['not a and b', 'and(not(a),b)'],
    ['(a or b) and c', 'and(or(a,b),c)'],
    ['not not a', 'not(not(a))'],
    ['a and b and c', 'and(a,b,c)'],
    ['1 of selection_*', 'or(selection_img,selection_cli)'],
    ['all of selection_*', 'and(selection_img,selection_cli)'],
    ['1 of selection_* and not 1 of filter_*', 'and(or(selection_img,selection_cli),not(or(filter_main_x,filter_optional_y)))'],
    ['1 of them', 'or(a,b,c,selection_img,selection_cli,filter_main_x,filter_optional_y,sel.dot,sel-dash)'],
    ['all of *_x', 'filter_main_x'],
    ['1 of _hid*', '_hidden'],
    ['sel.dot or sel-dash', 'or(sel.dot,sel-dash)'],
    ['not 1 of filter_*', 'not(or(filter_main_x,filter_optional_y))'],
  ])('%s', (text, expected) => {
    expect(show(resolveCondition(parseCondition(text), ids))).toBe(expected);
  });

  it.each([
    ['selection | count() > 5', 'aggregation expressions are deprecated; use a correlation rule', 10],
    ['selection | near other', 'aggregation expressions are deprecated; use a correlation rule', 10],
    ['any of selection_*', "invalid quantifier 'any' (use '1 of' or 'all of')", 0],
    ['2 of selection_*', "invalid quantifier '2' (use '1 of' or 'all of')", 0],
    ['a and', 'expected a search identifier, "(", "not", "1 of" or "all of" but the condition ended', 5],
    ['(a or b', 'expected ")" but the condition ended', 7],
    ['a b', "unexpected 'b'", 2],
    ['a or or b', "unexpected 'or'", 5],
    ['selection*', "wildcard 'selection*' is only allowed after '1 of' or 'all of'", 0],
    ['a && b', "unexpected character '&' in condition", 2],
    ['', 'the condition is empty', 0],
    ['missing', "search identifier 'missing' is not defined in the detection", 0],
    ['a and 1 of nothing_*', "pattern 'nothing_*' matches no search identifier", 6],
  ])('rejects %j', (text, message, pos) => {
    let caught: unknown;
    try {
      resolveCondition(parseCondition(text), ids);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConditionError);
    expect((caught as ConditionError).message).toBe(message);
    expect((caught as ConditionError).pos).toBe(pos);
  });
});

import { describe, expect, it } from 'vitest';
import { compileStringTest, parseSigmaString, plainText } from './values.js';
import { flatGet, ruleFromSelection } from './test-rule.js';

describe('parseSigmaString (rules spec "Escape Character")', () => {
  it.each([
    ['plain', 'abc', 'abc'],
    ['wildcards', 'a*b?c', 'a*b?c'],
    ['escaped star is literal', 'a\\*b', 'a\\*b'],
    ['escaped question mark', 'a\\?', 'a\\?'],
    ['double backslash before star: backslash then wildcard', 'a\\\\*', 'a\\*'],
    ['three backslashes before star: backslash and literal star', 'a\\\\\\*', 'a\\\\*'],
    ['four backslashes are two', 'a\\\\\\\\b', 'a\\\\b'],
    ['backslash before another char is literal', 'C:\\Windows', 'C:\\Windows'],
    ['trailing backslash is literal', 'dir\\', 'dir\\'],
  ])('%s', (_n, raw, shown) => {
    const parsed = parseSigmaString(raw);
    // render with escapes for comparison: literal * ? shown escaped
    const rendered = parsed
      .map((p) => (p.kind === 'lit' ? p.text.replace(/[*?]/g, '\\$&') : p.kind === 'star' ? '*' : p.kind === 'one' ? '?' : ''))
      .join('');
    expect(rendered).toBe(shown);
  });

  it('keeps a lone escaped star as text', () => {
    expect(plainText(parseSigmaString('\\*'))).toBe('*');
  });
});

type Case = [name: string, pattern: string, value: string, expected: boolean];
const wildcardCases: Case[] = [
  ['exact', 'abc', 'ABC', true],
  ['exact miss', 'abc', 'abcd', false],
  ['prefix', 'ab*', 'abX', true],
  ['suffix', '*bc', 'xxBC', true],
  ['contains', '*b*', 'aBc', true],
  ['star in the middle', 'a*c', 'aXYZc', true],
  ['several stars in order', '*a*b*c*', 'xxaxxbxxcxx', true],
  ['several stars out of order', '*a*b*c*', 'cba', false],
  ['stars must not overlap', 'ab*ba', 'aba', false],
  ['question mark is one char', 'prog?.exe', 'progA.exe', true],
  ['question mark needs a char', 'prog?.exe', 'prog.exe', false],
  ['question mark on a multibyte char', 'đ?ng', 'đăng', true],
  ['escaped star is literal', 'a\\*c', 'a*c', true],
  ['escaped star is not a wildcard', 'a\\*c', 'abc', false],
  ['escaped question mark', 'what\\?', 'what?', true],
  ['backslash then wildcard', 'C:\\\\*', 'C:\\Users', true],
  ['trailing backslash', 'dir\\', 'DIR\\', true],
  ['lone star matches anything', '*', '', true],
  ['empty matches only empty', '', '', true],
  ['empty miss', '', 'x', false],
  ['Vietnamese upper vs lower', 'ĐĂNG NHẬP', 'đăng nhập', true],
  ['Vietnamese contains', '*nhập thất bại*', 'ĐĂNG NHẬP THẤT BẠI cho user', true],
  ['Vietnamese diacritics differ', 'đăng nhập', 'dang nhap', false],
  ['newline inside star', 'a*b', 'a\nb', true],
];

describe('compileStringTest', () => {
  it.each(wildcardCases)('%s', (_n, pattern, value, expected) => {
    const t = compileStringTest(parseSigmaString(pattern), false);
    expect(t(value, value.toLowerCase())).toBe(expected);
  });

  it('cased compares the raw value', () => {
    const t = compileStringTest(parseSigmaString('Ab*'), true);
    expect(t('Abc', 'abc')).toBe(true);
    expect(t('abc', 'abc')).toBe(false);
  });
});

type EventCase = [name: string, selection: string, event: Record<string, unknown>, expected: boolean];
const eventCases: EventCase[] = [
  ['number matches number', 'EventID: 4624', { EventID: 4624 }, true],
  ['number matches numeric string', 'EventID: 4624', { EventID: '4624' }, true],
  ['string matches number', "EventID: '4624'", { EventID: 4624 }, true],
  ['number miss', 'EventID: 4624', { EventID: 4625 }, false],
  ['number list', 'EventID:\n    - 4624\n    - 4625', { EventID: 4625 }, true],
  ['wildcard string on number', "EventID: '46*'", { EventID: 4688 }, true],
  ['boolean', 'Enabled: true', { Enabled: true }, true],
  ['boolean as text', 'Enabled: true', { Enabled: 'True' }, true],
  ['null matches null', 'Field: null', { Field: null }, true],
  ['null matches absent', 'Field: null', {}, true],
  ['null misses a value', 'Field: null', { Field: '' }, false],
  ['empty string matches empty', "Field: ''", { Field: '' }, true],
  ['empty string misses absent', "Field: ''", {}, false],
  ['array: any element', "Tags: 'b'", { Tags: ['a', 'b'] }, true],
  ['array: no element', "Tags: 'c'", { Tags: ['a', 'b'] }, false],
  ['object value never matches a string', "Obj: 'x'", { Obj: { a: 'x' } }, false],
  ['map items are AND-ed', "A: '1'\nB: '2'", { A: '1', B: '3' }, false],
];

describe('event values', () => {
  it.each(eventCases)('%s', (_n, selection, event, expected) => {
    expect(ruleFromSelection(selection).matches(event, flatGet)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeFormComponent, deobfuscate } from './decode.js';

describe('deobfuscate', () => {
  it.each([
    ['plain text', 'hello world', 'hello world'],
    ['percent', '%3Cscript%3E', '<script>'],
    ['double encoding', '%253Cscript%253E', '<script>'],
    ['double-encoded traversal', '%252e%252e%252f', '../'],
    ['triple encoding', '%25252e%25252e%25252f', '../'],
    ['%u escape', '%u003cscript%u003e', '<script>'],
    ['\\u escape', '\\u003cimg\\u003e', '<img>'],
    ['\\u{} escape', '\\u{3c}b', '<b'],
    ['\\x escape', '\\x3cscript\\x3e', '<script>'],
    ['named entities', '&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['hex reference', '&#x3C;svg', '<svg'],
    ['decimal reference', '&#60;svg&#62;', '<svg>'],
    ['zero padded, no semicolon', '&#0000060svg', '<svg'],
    ['legacy name without semicolon', '&ltscript&gt', '<script>'],
    ['upper-case legacy name', '&LT;b&GT;', '<b>'],
    ['javascript colon', 'javascript&colon;alert&lpar;1&rpar;', 'javascript:alert(1)'],
    ['entity inside percent', '%26lt%3Bscript%26gt%3B', '<script>'],
    ['overlong two bytes', '%c0%ae%c0%ae%c0%af', '../'],
    ['overlong three bytes', '%e0%80%ae%e0%80%ae/', '../'],
    ['NUL bytes', 'etc/pass%00wd', 'etc/passwd'],
    ['NUL after decoding', '..%2500/', '../'],
    ['full-width', '＜ｓｃｒｉｐｔ＞', '<script>'],
    ['full-width encoded', '%EF%BC%9Cscript%EF%BC%9E', '<script>'],
    ['Vietnamese unchanged', 'đăng ký khai sinh', 'đăng ký khai sinh'],
    ['Vietnamese encoded', '%C4%91%C4%83ng%20k%C3%BD', 'đăng ký'],
    ['plus kept outside forms', 'a+b', 'a+b'],
    ['malformed percent', '100% %zz %4', '100% %zz %4'],
    ['lone high byte kept', '%ff%fe', '%ff%fe'],
    ['truncated UTF-8 kept', '%c4', '%c4'],
    ['unknown entity kept', '&foo; & &#xzz;', '&foo; & &#xzz;'],
    ['out-of-range reference kept', '&#99999999;', '&#99999999;'],
    ['lone surrogate does not throw', '%ud800x', '\ud800x'],
    ['four-byte UTF-8 is a surrogate pair', 'a%F0%9F%98%80b', 'a\u{1F600}b'],
    ['encoded surrogate kept as decoded', '%ed%a0%80', '\ud800'],
    ['above U+10FFFF kept', '%f4%90%80%80x', '%f4%90%80%80x'],
    ['continuation byte kept', '%80%bf', '%80%bf'],
    ['%u at the end kept', 'a%u00', 'a%u00'],
    ['upper-case %U', '%U003c', '<'],
  ])('%s', (_name, input, expected) => {
    expect(deobfuscate(input)).toBe(expected);
  });

  it('stops after four rounds', () => {
    // Five layers of encoding: four are undone, one remains.
    expect(deobfuscate('%2525252541')).toBe('%41');
  });

  it('decodes long values whole', () => {
    const text = 'đăng ký '.repeat(3000);
    expect(deobfuscate(encodeURIComponent(text))).toBe(text);
    expect(deobfuscate(`${'%41'.repeat(10_000)}x`)).toBe(`${'A'.repeat(10_000)}x`);
  });

  it('never throws on hostile input', () => {
    const hostile = ['%', '%%%%', '&#', '\\u', '\\x', '&#x110000;', '%f4%90%80%80', '\\u{110000}', '\ud800', '&'.repeat(1000)];
    for (const value of hostile) expect(() => deobfuscate(value)).not.toThrow();
  });
});

describe('decodeFormComponent', () => {
  it.each([
    ['plus is a space', 'union+select', 'union select'],
    ['encoded plus stays a plus', '1%2B1', '1+1'],
    ['Vietnamese query', 'gi%E1%BA%A5y+khai+sinh', 'giấy khai sinh'],
  ])('%s', (_name, input, expected) => {
    expect(decodeFormComponent(input)).toBe(expected);
  });
});

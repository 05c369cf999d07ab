/**
 * @module analyze/detectors/facts.test
 * The shared input facts: character classes, location kinds, quiet values, factored word
 * patterns — and that detectors answer the same whether they get cached facts or not.
 */
import { describe, expect, it } from 'vitest';
import type { Input, Transaction } from '../contract.js';
import { TransactionAnalyzer } from '../analyzer.js';
import { labelledCorpus } from '../corpus/index.js';
import { extractInputs } from '../inputs.js';
import { C, ExtractedInput, L, charClasses, isQuiet, locationKind, skipsQuietInputs, wordsPattern } from './facts.js';
import { detectors } from './index.js';

/** The obvious implementation `charClasses` must agree with. */
function naiveClasses(s: string): number {
  const bits: Record<string, number> = {
    "'": C.squote, '"': C.dquote, '`': C.backtick, ';': C.semicolon, '(': C.lparen, ')': C.rparen, '#': C.hash, '=': C.equals,
    '<': C.lt, '>': C.gt, '|': C.pipe, '&': C.amp, '*': C.star, '@': C.at, '-': C.dash, '/': C.slash, '\\': C.backslash,
    ':': C.colon, $: C.dollar, '%': C.percent, '{': C.lbrace, '+': C.plus, '[': C.lbracket, '.': C.dot, '\n': C.newline,
    '\r': C.cr, '!': C.bang, '\u0000': C.nul,
  };
  let out = 0;
  for (const ch of s.split('')) {
    const code = ch.charCodeAt(0);
    if (code > 127) out |= C.nonAscii;
    else if (code >= 65 && code <= 90) out |= C.upper;
    else if (code >= 48 && code <= 57) out |= C.digit;
    else out |= bits[ch] ?? 0;
  }
  return out;
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

describe('charClasses', () => {
  it('agrees with the obvious implementation, surrogates, NUL and non-ASCII included', () => {
    const rnd = random(7);
    const alphabet = ['a', 'Z', '5', ' ', ...`'"\`;()#=<>|&*@-/\\:$%{}+[].!?~^_,`.split(''), '\n', '\r', '\u0000', '\u007f', '\u0080', 'đ', 'ễ', '\u3000', '\uff1c', '\ud83d', '\ude00', '\ud83d\ude00', '\udfff'];
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const length = Math.floor(rnd() * 40);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(charClasses(s), JSON.stringify(s)).toBe(naiveClasses(s));
    }
    expect(charClasses('x'.repeat(100_000) + '<')).toBe(naiveClasses('x<'));
    expect(charClasses('')).toBe(0);
  });
});

describe('locationKind', () => {
  it('names parameters, files, the raw body, the path and polymorphic type keys', () => {
    expect(locationKind('args.q')).toBe(L.param | L.argsOrBodyDot);
    expect(locationKind('body.user.name')).toBe(L.param | L.argsOrBodyDot);
    expect(locationKind('cookies.sid')).toBe(L.param);
    expect(locationKind('files.upload')).toBe(L.filesDot);
    expect(locationKind('files')).toBe(0);
    expect(locationKind('body')).toBe(L.body);
    expect(locationKind('path')).toBe(L.path);
    expect(locationKind('headers.user-agent')).toBe(0);
    expect(locationKind('args_names')).toBe(0);
    expect(locationKind('body.data.@type')).toBe(L.param | L.argsOrBodyDot | L.typeKey);
    expect(locationKind('body.$type')).toBe(L.param | L.argsOrBodyDot | L.typeKey);
    expect(locationKind('body.type')).toBe(L.param | L.argsOrBodyDot);
    expect(locationKind('body.data.@class')).toBe(L.param | L.argsOrBodyDot | L.typeKey);
    expect(locationKind('body.class')).toBe(L.param | L.argsOrBodyDot);
    expect(locationKind('body.ss')).toBe(L.param | L.argsOrBodyDot);
  });
});

describe('isQuiet', () => {
  const input = (decoded: string): Input => ({ location: 'args.q', raw: decoded, decoded });

  it('is quiet for plain values: identifiers, numbers, Vietnamese prose, session ids', () => {
    for (const value of ['hoTen', '12345', 'Nguyễn Văn An', 'GA1.1.123592862.1726231971', 'EFE3A60A284810CB9475EA1DECF18E2A', 'vi-VN', 'a_b,c', ''])
      expect(isQuiet(input(value)), value).toBe(true);
  });

  it('is not quiet where a detector can find something without punctuation', () => {
    for (const value of [
      '1 union select 1', '1 or 1 having 1', 'information_schema', 'select 1 from users', 'xscript document.cookie', 'powershell -e abc',
      'rO0ABXNy', 'ACED0005abcd', 'TemplatesImpl', 'ysoserial', 'java.util.PriorityQueue!', 'a.b.c.d', '....', 'x -- y', '1 --',
      'UNION SELECT', 'ÜNION SELECT', '522+ORDER+BY+3',
    ])
      expect(isQuiet(input(value)), value).toBe(false);
  });

  it('is not quiet with any character a detector gates on', () => {
    for (const ch of `'"\`;()#=<>|&*@/\\:$%{\n\r!`.split('')) expect(isQuiet(input(`abc${ch}def`)), JSON.stringify(ch)).toBe(false);
  });
});

describe('wordsPattern', () => {
  it('answers `test` as the plain alternation does', () => {
    const words = ['union', 'select', 'order\\s+by', 'sleep', 'schema', 'sh\\b', '\\bnc', '\\/bin\\/', '\\$\\{', 'xp_', '\u00ac\u00ed', 'selectx'];
    const factored = wordsPattern(words);
    const plain = new RegExp(words.join('|'));
    expect(factored.source).not.toBe(plain.source);
    const rnd = random(11);
    const pieces = ['un', 'ion', 'sel', 'ect', 'or', 'der', ' ', '  ', 'by', 'sle', 'ep', 'sh', 'nc', '/', 'bin', '$', '{', 'xp', '_', '\u00ac', '\u00ed', 'x', 'a'];
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const length = Math.floor(rnd() * 8);
      for (let i = 0; i < length; i++) s += pieces[Math.floor(rnd() * pieces.length)];
      expect(factored.test(s), JSON.stringify(s)).toBe(plain.test(s));
    }
  });
});

describe('ExtractedInput', () => {
  it('looks like the contract Input: fields, JSON, spread, equality', () => {
    const input = new ExtractedInput('args.q', '%3Cb%3E', '<b>');
    expect(input.lower).toBe('<b>');
    expect(input.chars).toBe(charClasses('<b>'));
    expect(input).toEqual({ location: 'args.q', raw: '%3Cb%3E', decoded: '<b>' });
    expect(JSON.parse(JSON.stringify(input))).toEqual({ location: 'args.q', raw: '%3Cb%3E', decoded: '<b>' });
    expect({ ...input }).toEqual({ location: 'args.q', raw: '%3Cb%3E', decoded: '<b>' });
  });
});

describe('detectors with and without cached facts', () => {
  const corpus = labelledCorpus({ seed: 3, benign: 600, attacksPerClass: 40 });
  const plain = (inputs: Input[]): Input[] => inputs.map((i) => ({ location: i.location, raw: i.raw, decoded: i.decoded }));

  it('find the same with extracted inputs, with plain inputs, and in the analyser (quiet inputs left out)', () => {
    const analyzer = new TransactionAnalyzer(detectors);
    for (const { transaction } of corpus) {
      const extracted = extractInputs(transaction);
      const all = detectors.flatMap((d) => d.inspect(transaction, extracted));
      expect(detectors.flatMap((d) => d.inspect(transaction, plain(extracted))), transaction.id).toEqual(all);
      const loud = extracted.filter((i) => !isQuiet(i));
      expect(detectors.flatMap((d) => d.inspect(transaction, skipsQuietInputs.has(d) ? loud : extracted)), transaction.id).toEqual(all);
      expect(analyzer.analyze(transaction).score, transaction.id).toBe(all.reduce((m, f) => Math.max(m, f.score), 0));
    }
  });

  it('leave quiet inputs without findings', () => {
    const t: Transaction = { id: 'q', method: 'GET', uri: '/', headers: {}, body: null };
    for (const { transaction } of corpus) {
      for (const input of extractInputs(transaction)) {
        if (!isQuiet(input)) continue;
        for (const d of detectors) if (skipsQuietInputs.has(d)) expect(d.inspect(t, [input]), `${d.name} ${input.decoded}`).toEqual([]);
      }
    }
  });
});

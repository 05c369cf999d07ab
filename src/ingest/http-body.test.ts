import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../core/errors.js';
import { bodyKindOf, decodeBody, splitRecords } from './http-body.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof VigilError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('bodyKindOf', () => {
  it.each([
    ['application/x-ndjson', 'ndjson'],
    ['application/x-ndjson; charset=utf-8', 'ndjson'],
    ['application/json', 'json'],
    ['text/plain; charset=utf-8', 'text'],
    [undefined, 'text'],
  ])('%s → %s', (type, kind) => expect(bodyKindOf(type)).toBe(kind));

  it('refuses other media types', () => {
    expect(codeOf(() => bodyKindOf('application/xml'))).toBe('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('decodeBody', () => {
  const text = Buffer.from('line one\nline two\n');

  it('passes identity through and inflates gzip', () => {
    expect(decodeBody(text, undefined, 1024)).toBe(text);
    expect(decodeBody(gzipSync(text), 'gzip', 1024).toString()).toBe(text.toString());
  });

  it('refuses a decompression bomb without inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expect(codeOf(() => decodeBody(bomb, 'gzip', 1024 * 1024))).toBe('VIGIL_ERR_DECOMPRESSED_TOO_LARGE');
  });

  it.each([
    ['corrupt gzip', Buffer.from('not gzip at all'), 'gzip', 'VIGIL_ERR_BAD_ENCODING'],
    ['truncated gzip', gzipSync(text).subarray(0, 12), 'gzip', 'VIGIL_ERR_BAD_ENCODING'],
    ['an unknown encoding', text, 'br', 'VIGIL_ERR_BAD_ENCODING'],
  ])('refuses %s', (_name, body, encoding, code) => {
    expect(codeOf(() => decodeBody(body, encoding, 1024))).toBe(code);
  });
});

describe('splitRecords', () => {
  it('keeps physical line numbers across blank lines and CRLF', () => {
    const records = splitRecords(Buffer.from('a\r\n\r\nb\n\n\nc'), 'text', 10);
    expect(records).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 3 },
      { text: 'c', line: 6 },
    ]);
  });

  it('decodes NDJSON string lines and passes objects (even broken ones) as text', () => {
    const body = '{"a":1}\n"raw \\"quoted\\" line"\n{broken\n';
    expect(splitRecords(Buffer.from(body), 'ndjson', 10)).toEqual([
      { text: '{"a":1}', line: 1 },
      { text: 'raw "quoted" line', line: 2 },
      { text: '{broken', line: 3 },
    ]);
  });

  it('splits a JSON array into objects and strings', () => {
    const records = splitRecords(Buffer.from('[{"a":1},"line",42]'), 'json', 10);
    expect(records).toEqual([
      { text: '{"a":1}', json: { a: 1 }, line: 1 },
      { text: 'line', line: 2 },
      { text: '42', line: 3 },
    ]);
  });

  it.each([
    ['invalid JSON', '[{"a":1}', 'VIGIL_ERR_BAD_JSON'],
    ['a JSON object instead of an array', '{"a":1}', 'VIGIL_ERR_BAD_JSON'],
  ])('refuses %s as a JSON body', (_name, body, code) => {
    expect(codeOf(() => splitRecords(Buffer.from(body), 'json', 10))).toBe(code);
  });

  it('refuses more records than the batch limit', () => {
    expect(codeOf(() => splitRecords(Buffer.from('a\nb\nc\n'), 'text', 2))).toBe('VIGIL_ERR_TOO_MANY_EVENTS');
    expect(codeOf(() => splitRecords(Buffer.from('[1,2,3]'), 'json', 2))).toBe('VIGIL_ERR_TOO_MANY_EVENTS');
  });
});

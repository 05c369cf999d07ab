import { describe, expect, it } from 'vitest';
import { transactionFromJson } from './transaction.js';

describe('transactionFromJson: the CLI shape', () => {
  it('reads every field', () => {
    expect(transactionFromJson({ id: 'a1', method: 'post', uri: '/x?y=1', headers: { 'User-Agent': 'curl' }, body: 'a=b' }, 3)).toEqual({
      id: 'a1', method: 'POST', uri: '/x?y=1', headers: { 'User-Agent': 'curl' }, body: 'a=b',
    });
  });

  it.each([
    ['numeric id', { id: 42, method: 'GET', uri: '/' }, { id: '42', method: 'GET', uri: '/', headers: {}, body: null }],
    ['missing id is the line', { method: 'GET', uri: '/' }, { id: '7', method: 'GET', uri: '/', headers: {}, body: null }],
    ['missing method is GET', { id: 'x', uri: '/' }, { id: 'x', method: 'GET', uri: '/', headers: {}, body: null }],
    ['JSON body as an object', { id: 'x', method: 'POST', uri: '/', body: { a: 1 } }, { id: 'x', method: 'POST', uri: '/', headers: {}, body: '{"a":1}' }],
    ['url for uri', { id: 'x', url: 'http://h/a?b=1' }, { id: 'x', method: 'GET', uri: '/a?b=1', headers: {}, body: null }],
    ['non-string header values', { id: 'x', method: 'GET', uri: '/', headers: { 'X-N': 5, 'X-L': ['a', 'b'], 'X-O': {} } }, { id: 'x', method: 'GET', uri: '/', headers: { 'X-N': '5', 'X-L': 'a, b' }, body: null }],
  ])('%s', (_name, input, expected) => {
    expect(transactionFromJson(input, 7)).toEqual(expected);
  });
});

describe('transactionFromJson: ECS web events', () => {
  it('reads nested ECS fields', () => {
    const event = {
      '@timestamp': '2026-11-25T01:02:03Z',
      event: { id: 'ev-1' },
      http: { request: { method: 'post', referrer: 'https://dichvucong.gov.vn/', body: { content: 'q=1' }, mime_type: 'application/x-www-form-urlencoded' }, response: { status_code: 200 } },
      url: { original: '/portal/search?q=khai+sinh' },
      user_agent: { original: 'Mozilla/5.0' },
    };
    expect(transactionFromJson(event, 1)).toEqual({
      id: 'ev-1', method: 'POST', uri: '/portal/search?q=khai+sinh',
      headers: { 'User-Agent': 'Mozilla/5.0', Referer: 'https://dichvucong.gov.vn/', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'q=1', status: 200,
    });
  });

  it('reads dotted keys, path and query, timestamp id', () => {
    const event = { '@timestamp': '2026-11-25T01:02:03Z', 'http.request.method': 'GET', 'url.path': '/a', 'url.query': 'b=1', 'http.response.status_code': '404' };
    expect(transactionFromJson(event, 9)).toEqual({ id: '2026-11-25T01:02:03Z', method: 'GET', uri: '/a?b=1', headers: {}, body: null, status: 404 });
  });

  it('strips scheme and host from an absolute url.original, falls back to the line for the id', () => {
    expect(transactionFromJson({ url: { original: 'https://host.gov.vn/p?x=1' } }, 12)).toMatchObject({ id: '12', uri: '/p?x=1' });
    expect(transactionFromJson({ url: { original: 'https://host.gov.vn' } }, 12)).toMatchObject({ uri: '/' });
  });
});

describe('transactionFromJson: bad input', () => {
  it.each([
    ['null', null, 'not a JSON object'],
    ['array', [1, 2], 'not a JSON object'],
    ['string', 'GET /', 'not a JSON object'],
    ['uri not a string', { id: 1, method: 'GET', uri: 5 }, '"uri" must be a string'],
    ['method not a string', { id: 1, method: 5, uri: '/' }, '"method" must be a string'],
    ['headers not an object', { id: 1, uri: '/', headers: 'User-Agent: x' }, '"headers" must be an object'],
    ['no url at all', { event: { id: 'e' }, http: { request: { method: 'GET' } } }, 'no "uri", "url.original" or "url.path"'],
  ])('%s', (_name, input, error) => {
    expect(transactionFromJson(input, 1)).toEqual({ error });
  });
});

import { describe, it, expect } from 'vitest';
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { jsonNormaliser } from './json.js';

const RECEIVED = Date.UTC(2024, 4, 1, 3, 0, 0);
const ctxWith = (jsonMapping?: Record<string, string>): NormaliseContext => ({ receivedAt: RECEIVED, tzOffsetMinutes: 420, jsonMapping, stream: {} });
const normalise = (text: string, mapping?: Record<string, string>): NormaliseResult => jsonNormaliser.normalise({ text }, ctxWith(mapping));

const gatewayMapping = {
  'source.ip': 'client.addr',
  'http.request.method': 'req.method',
  'url.original': 'req.uri',
  'http.response.status_code': 'resp.status',
  'user.name': 'citizen_id',
  '@timestamp': 'logged_at',
  'event.action': 'action',
  'event.category': 'cat',
  'organization.id': 'tenant',
};

const valid: { name: string; text: string; mapping?: Record<string, string>; fields: Record<string, EcsValue | undefined> }[] = [
  {
    name: 'mapped API-gateway record; unmapped fields kept under json',
    text: JSON.stringify({
      logged_at: '2024-05-01T09:15:02.123+07:00',
      client: { addr: '203.162.10.45', country: 'VN' },
      req: { method: 'POST', uri: '/api/v1/ho-so/nop?ma=1.001234' },
      resp: { status: '403' },
      citizen_id: '001099012345',
      action: 'nop-ho-so',
      cat: 'web',
      tenant: 'org-khac',
      trace_id: 'a1b2c3',
    }),
    mapping: gatewayMapping,
    fields: {
      '@timestamp': '2024-05-01T02:15:02.123Z',
      'event.kind': 'event',
      'event.dataset': 'json',
      'event.module': 'json',
      'event.action': 'nop-ho-so',
      'event.category': ['web'],
      'event.outcome': 'failure',
      'source.ip': '203.162.10.45',
      'http.request.method': 'POST',
      'url.original': '/api/v1/ho-so/nop?ma=1.001234',
      'http.response.status_code': 403,
      'user.name': '001099012345',
      'organization': undefined,
      json: { client: { country: 'VN' }, tenant: 'org-khac', trace_id: 'a1b2c3' },
    },
  },
  {
    name: 'no mapping: common time key (epoch seconds), everything under json',
    text: '{"ts":1714529702,"level":"warn","msg":"đăng nhập thất bại"}',
    fields: { '@timestamp': '2024-05-01T02:15:02.000Z', json: { ts: 1714529702, level: 'warn', msg: 'đăng nhập thất bại' } },
  },
  {
    name: 'epoch milliseconds under "timestamp"',
    text: '{"timestamp":1714529702500}',
    fields: { '@timestamp': '2024-05-01T02:15:02.500Z' },
  },
  {
    name: 'zone-less ISO time read in the stream offset (+07:00)',
    text: '{"datetime":"2024-05-01 09:15:02"}',
    fields: { '@timestamp': '2024-05-01T02:15:02.000Z' },
  },
  {
    name: 'an unparseable guessed time key falls through to the next, then to arrival time',
    text: '{"time":"12ms","note":"x"}',
    fields: { '@timestamp': new Date(RECEIVED).toISOString(), json: { time: '12ms', note: 'x' } },
  },
  {
    name: 'literal dotted source key',
    text: '{"@timestamp":"2024-05-01T02:15:02Z","src.ip":"10.0.0.9","other":1}',
    mapping: { 'source.ip': 'src.ip' },
    fields: { 'source.ip': '10.0.0.9', json: { '@timestamp': '2024-05-01T02:15:02Z', other: 1 } },
  },
  {
    name: 'mapping onto observer.* and event.original is ignored; the source stays under json',
    text: '{"sensor":"s1","raw":"x"}',
    mapping: { 'observer.name': 'sensor', 'event.original': 'raw' },
    fields: { observer: undefined, 'event.original': undefined, json: { sensor: 's1', raw: 'x' } },
  },
  {
    name: 'hostile keys are data, not prototypes',
    text: '{"__proto__":{"polluted":1},"constructor":"c","a":{"__proto__":2,"b":3}}',
    mapping: { 'labels.b': 'a.b' },
    fields: { 'json.constructor': 'c', 'labels.b': 3 },
  },
];

describe('jsonNormaliser: valid', () => {
  it.each(valid)('$name', ({ text, mapping, fields }) => {
    const result = normalise(text, mapping);
    expect(result).not.toBeInstanceOf(Malformed);
    for (const [path, value] of Object.entries(fields)) expect(getField(result as EcsObject, path), path).toEqual(value);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('uses record.json when the transport already decoded it, and leaves it unchanged', () => {
    const json = { req: { method: 'GET', uri: '/' }, keep: true };
    const result = jsonNormaliser.normalise({ text: 'not parsed', json }, ctxWith({ 'http.request.method': 'req.method' })) as EcsObject;
    expect(getField(result, 'http.request.method')).toBe('GET');
    expect(result.json).toEqual({ req: { uri: '/' }, keep: true });
    expect(json).toEqual({ req: { method: 'GET', uri: '/' }, keep: true });
  });
});

const malformed: { text: string; mapping?: Record<string, string>; reason: string }[] = [
  { text: '[1,2,3]', reason: 'json: not a JSON object' },
  { text: '"just a string"', reason: 'json: not a JSON object' },
  { text: 'null', reason: 'json: not a JSON object' },
  { text: '{"status":"abc"}', mapping: { 'http.response.status_code': 'status' }, reason: 'json: http.response.status_code ← status: "abc" is not a number' },
  { text: '{"when":"tomorrow"}', mapping: { '@timestamp': 'when' }, reason: 'json: @timestamp ← when: "tomorrow" is not an ISO 8601 time or a Unix epoch' },
];

describe('jsonNormaliser: malformed', () => {
  it.each(malformed)('$reason', ({ text, mapping, reason }) => {
    const result = normalise(text, mapping);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });

  it.each(['{"a":', '{bad json}', ''])('invalid JSON %j names the parser error', (text) => {
    const result = normalise(text);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toMatch(/^json: invalid JSON \(.+\)$/);
  });
});

import { describe, it, expect } from 'vitest';
import type { EcsObject } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { ecsNormaliser } from './ecs.js';

const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 420, stream: {} };
const normalise = (doc: unknown): NormaliseResult => ecsNormaliser.normalise({ text: JSON.stringify(doc) }, ctx);

const valid: { name: string; doc: unknown; expected: EcsObject }[] = [
  {
    name: 'nested document: timestamp rewritten, kind defaulted, dataset/module defaulted',
    doc: { '@timestamp': '2024-05-01T09:15:02+07:00', event: { category: 'authentication', type: ['start'], outcome: 'failure' }, user: { name: 'tranthib' } },
    expected: {
      '@timestamp': '2024-05-01T02:15:02.000Z',
      event: { kind: 'event', category: ['authentication'], type: ['start'], outcome: 'failure', dataset: 'ecs', module: 'ecs' },
      user: { name: 'tranthib' },
    },
  },
  {
    name: 'dotted keys expanded and merged with nested objects; organization.id and observer kept as sent',
    doc: {
      '@timestamp': 1714529702000,
      'source.ip': '203.162.10.45',
      source: { port: 51234 },
      'event.kind': 'alert',
      'event.dataset': 'waf.alert',
      'rule.name': 'SQLi',
      'organization.id': 'org-so-tttt-ha-noi',
      observer: { name: 'waf-01' },
    },
    expected: {
      '@timestamp': '2024-05-01T02:15:02.000Z',
      source: { ip: '203.162.10.45', port: 51234 },
      event: { kind: 'alert', dataset: 'waf.alert', module: 'ecs' },
      rule: { name: 'SQLi' },
      organization: { id: 'org-so-tttt-ha-noi' },
      observer: { name: 'waf-01' },
    },
  },
  {
    name: 'dotted keys inside nested objects, arrays kept',
    doc: { '@timestamp': '2024-05-01T02:15:02Z', source: { 'geo.country_iso_code': 'VN' }, tags: ['a', 'b'], event: {} },
    expected: {
      '@timestamp': '2024-05-01T02:15:02.000Z',
      source: { geo: { country_iso_code: 'VN' } },
      tags: ['a', 'b'],
      event: { kind: 'event', dataset: 'ecs', module: 'ecs' },
    },
  },
  {
    name: 'zone-less @timestamp is read in the stream offset',
    doc: { '@timestamp': '2024-05-01T09:15:02', event: { dataset: 'x', module: 'y' } },
    expected: { '@timestamp': '2024-05-01T02:15:02.000Z', event: { kind: 'event', dataset: 'x', module: 'y' } },
  },
];

describe('ecsNormaliser: valid', () => {
  it.each(valid)('$name', ({ doc, expected }) => {
    expect(normalise(doc)).toEqual(expected);
  });

  it('uses record.json and does not mutate it', () => {
    const json = { '@timestamp': '2024-05-01T02:15:02Z', 'host.name': 'web-01' };
    const result = ecsNormaliser.normalise({ text: '', json }, ctx) as EcsObject;
    expect(result.host).toEqual({ name: 'web-01' });
    expect(json).toEqual({ '@timestamp': '2024-05-01T02:15:02Z', 'host.name': 'web-01' });
  });
});

const malformed: { doc: unknown; reason: string }[] = [
  { doc: [1], reason: 'ecs: not a JSON object' },
  { doc: { message: 'x' }, reason: 'ecs: missing @timestamp' },
  { doc: { '@timestamp': 'hôm qua' }, reason: 'ecs: @timestamp "hôm qua" is not an ISO 8601 time or epoch milliseconds' },
  { doc: { '@timestamp': true }, reason: 'ecs: @timestamp true is not an ISO 8601 time or epoch milliseconds' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', event: 'login' }, reason: 'ecs: event must be an object' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', event: { kind: 'incident' } }, reason: 'ecs: event.kind "incident" is not an ECS event kind' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', event: { outcome: 'ok' } }, reason: 'ecs: event.outcome "ok" is not success, failure or unknown' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', event: { category: [1] } }, reason: 'ecs: event.category must be a string or an array of strings' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', event: { type: {} } }, reason: 'ecs: event.type must be a string or an array of strings' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', source: '1.2.3.4', 'source.ip': '1.2.3.4' }, reason: 'ecs: "source" is both a value and an object' },
  { doc: { '@timestamp': '2024-05-01T02:15:02Z', 'source.ip': '1.2.3.4', source: { ip: '5.6.7.8' } }, reason: 'ecs: "source.ip" is given twice' },
];

describe('ecsNormaliser: malformed', () => {
  it.each(malformed)('$reason', ({ doc, reason }) => {
    const result = normalise(doc);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });

  it('refuses __proto__ as a field name and pollutes nothing', () => {
    const result = ecsNormaliser.normalise({ text: '{"@timestamp":"2024-05-01T02:15:02Z","__proto__.polluted":1}' }, ctx);
    expect((result as Malformed).reason).toBe('ecs: forbidden field name "__proto__.polluted"');
    const nested = ecsNormaliser.normalise({ text: '{"@timestamp":"2024-05-01T02:15:02Z","a":{"__proto__":{"polluted":1}}}' }, ctx);
    expect((nested as Malformed).reason).toBe('ecs: forbidden field name "a.__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('invalid JSON names the parser error', () => {
    expect((ecsNormaliser.normalise({ text: '{"@timestamp":' }, ctx) as Malformed).reason).toMatch(/^ecs: invalid JSON \(.+\)$/);
  });
});

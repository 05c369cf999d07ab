import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { Malformed, SKIP } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';
import { formatNames, getNormaliser, normalisers } from './registry.js';

const ctx = (): NormaliseContext => ({ receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} });

// Deterministic 10 KB of printable garbage without any format's marker.
let seed = 7;
let garbage = '';
while (garbage.length < 10_240) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  garbage += String.fromCharCode(97 + (seed % 26), seed % 7 === 0 ? 32 : 98 + (seed % 20));
}

const hostile: [name: string, text: string][] = [
  ['empty', ''],
  ['NUL', '\u0000'],
  ['10 KB of garbage', garbage],
  ['lone {', '{'],
  ['PRI out of range', '<999>'],
  ['bare CEF marker', 'CEF:'],
  ['bare LEEF marker', 'LEEF:'],
  ['lone high surrogate', '\uD800'],
  ['lone low surrogates', '\uDC00\uDFFF abc'],
  ['unterminated JSON string', '{"a":"'],
  ['JSON array', '[1,2,3]'],
  ['only spaces', '     '],
  ['control characters', '\u0001\u0002\u0003\u001b[31m'],
];

const expectedFormats = ['nginx', 'apache', 'w3c', 'json', 'ecs', 'windows', 'syslog5424', 'syslog3164', 'cef', 'leef', 'auto'];

describe('normaliser registry', () => {
  it('registers every format, including auto', () => {
    expect([...formatNames].sort()).toEqual([...expectedFormats].sort());
  });

  it.each(expectedFormats)('%s: format equals its registry key', (name) => {
    expect(normalisers.get(name)?.format).toBe(name);
    expect(getNormaliser(name)).toBe(normalisers.get(name));
  });

  it('returns undefined for an unknown format', () => {
    expect(getNormaliser('syslog')).toBeUndefined();
  });

  for (const name of expectedFormats) {
    it.each(hostile)(`${name}: %s is Malformed, not a throw`, (_label, text) => {
      const normaliser = getNormaliser(name);
      if (normaliser === undefined) throw new Error(`${name} not registered`);
      // W3C may skip a comment-like record; anything else must be refused with a reason.
      const result = normaliser.normalise({ text }, ctx());
      if (result === SKIP) return;
      expect(result).toBeInstanceOf(Malformed);
      // auto passes on the reason of the format it detected.
      const prefix = (result as Malformed).reason.split(': ')[0];
      expect(name === 'auto' ? expectedFormats : [name]).toContain(prefix);
    });
  }

  const samples: [format: string, text: string][] = [
    ['syslog5424', '<165>1 2024-03-05T03:11:12Z portal tomcat 8080 AUDIT [origin ip="10.0.0.1"] hello'],
    ['syslog3164', '<38>Mar  5 10:20:01 bastion sshd[2231]: Failed password for root from 198.51.100.1 port 1 ssh2'],
    ['cef', 'CEF:0|V|P|1|id|n|5|src=10.0.0.1 cs1Label=observer cs1=x'],
    ['leef', 'LEEF:1.0|V|P|1|e|src=10.0.0.1\tobserver=x\torganization=y'],
    ['auto', 'CEF:0|V|P|1|id|n|5|src=10.0.0.1'],
  ];
  it.each(samples)('%s never sets organization, observer or event.original', (format, text) => {
    const event = getNormaliser(format)?.normalise({ text }, ctx()) as EcsEvent;
    expect(event).not.toBeInstanceOf(Malformed);
    expect(event.organization).toBeUndefined();
    expect(event.observer).toBeUndefined();
    expect(event.event.original).toBeUndefined();
    expect(event.event.kind).toBe('event');
    expect(event['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

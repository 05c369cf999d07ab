import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { leefNormaliser } from './leef.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';

// Arrival 2024-03-05 11:00 in Hanoi (UTC+7).
const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} };

function run(text: string) {
  return leefNormaliser.normalise({ text }, ctx);
}

const valid: { name: string; line: string; expected: Partial<EcsEvent> }[] = [
  {
    name: 'QRadar-like LEEF 1.0 IDS alert behind a BSD header, devTime with devTimeFormat',
    line:
      '<13>Mar  5 10:50:00 ids01 LEEF:1.0|Vigil|IDS|4.2|ET-SCAN-42|cat=Scan\tsrc=198.51.100.3\tdst=10.1.1.9\t' +
      'srcPort=55001\tdstPort=22\tproto=TCP\tsev=7\tusrName=root\tdevTime=Mar 05 2024 10:49:58\tdevTimeFormat=MMM dd yyyy HH:mm:ss',
    expected: {
      '@timestamp': '2024-03-05T03:49:58.000Z',
      event: { kind: 'event', module: 'leef', dataset: 'leef', code: 'ET-SCAN-42', action: 'Scan', severity: 7 },
      host: { hostname: 'ids01' },
      log: { syslog: { hostname: 'ids01', priority: 13 } },
      source: { ip: '198.51.100.3', port: 55001 },
      destination: { ip: '10.1.1.9', port: 22 },
      network: { transport: 'tcp' },
      user: { name: 'root' },
      leef: {
        version: '1.0',
        device: { vendor: 'Vigil', product: 'IDS', version: '4.2' },
        event_id: 'ET-SCAN-42',
        attributes: { cat: 'Scan', devTimeFormat: 'MMM dd yyyy HH:mm:ss' },
      },
    },
  },
  {
    name: 'LEEF 2.0 with a ^ delimiter and a protocol number',
    line: 'LEEF:2.0|Lancope|StealthWatch|6.5|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^srcPort=81^dstPort=21^proto=6',
    expected: {
      '@timestamp': '2024-03-05T04:00:00.000Z',
      event: { severity: 5, code: '41' },
      source: { ip: '10.0.1.8', port: 81 },
      destination: { ip: '10.0.0.5', port: 21 },
      network: { transport: 'tcp' },
      leef: { version: '2.0', delimiter: '^' },
    },
  },
  {
    name: 'LEEF 2.0 with hex delimiter x09, login event, ISO devTime by pattern',
    line: "LEEF:2.0|IBM|Guardium|11.5|login|x09|usrName=dba_thue\tsrc=10.1.1.1\tisLoginEvent=true\tdevTime=2024-03-05T10:00:00.250+0700\tdevTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ",
    expected: {
      '@timestamp': '2024-03-05T03:00:00.250Z',
      event: { category: ['authentication'], type: ['start'] },
      user: { name: 'dba_thue' },
      leef: { delimiter: '\t' },
    },
  },
  {
    name: 'LEEF 2.0 with 0x5E delimiter, epoch devTime without a format',
    line: 'LEEF:2.0|V|P|1|e|0x5E|devTime=1709610000000^srcBytes=1200^dstBytes=5400^policy=Block-Admin',
    expected: {
      '@timestamp': '2024-03-05T03:40:00.000Z',
      source: { bytes: 1200 },
      destination: { bytes: 5400 },
      rule: { name: 'Block-Admin' },
    },
  },
  {
    name: 'Vietnamese agency web gateway behind RFC 5424; = inside a value',
    line: '<14>1 2024-03-05T03:50:00Z proxy01.hcm.gov.vn - - - - LEEF:1.0|BKAV|WebGateway|2.0|URL_BLOCK|src=10.2.3.4\turl=https://dvc.gov.vn/tra-cuu?ma=HS001\tmsg=Truy cập bị chặn\tusrName=tranthib\tdomain=HCM',
    expected: {
      '@timestamp': '2024-03-05T03:50:00.000Z',
      host: { hostname: 'proxy01.hcm.gov.vn' },
      url: { original: 'https://dvc.gov.vn/tra-cuu?ma=HS001' },
      message: 'Truy cập bị chặn',
      user: { name: 'tranthib', domain: 'HCM' },
    },
  },
  {
    name: 'header escape \\| and a non-address src',
    line: 'LEEF:1.0|A\\|B|P|1|e|src=gateway-01\tdevTime=not a time',
    expected: { '@timestamp': '2024-03-05T04:00:00.000Z', leef: { device: { vendor: 'A|B' } }, source: { address: 'gateway-01' } },
  },
  {
    name: 'LEEF 1.0 with no attributes',
    line: 'LEEF:1.0|Microsoft|MSExchange|2016|15345|',
    expected: { leef: { event_id: '15345', attributes: {} } },
  },
];

const malformed: [line: string, reason: string][] = [
  ['', 'leef: empty line'],
  ['nope', 'leef: no "LEEF:" in the line'],
  ['LEEF:', 'leef: unsupported version "" (LEEF 1.0 and 2.0 are defined)'],
  ['LEEF:3.0|a|b|c|d|', 'leef: unsupported version "3.0" (LEEF 1.0 and 2.0 are defined)'],
  ['LEEF:1.0|a|b', 'leef: expected 5 pipe-terminated header fields for LEEF 1.0, found 2'],
  ['LEEF:2.0|a|b|c|d|', 'leef: expected 6 pipe-terminated header fields for LEEF 2.0, found 5'],
  ['LEEF:2.0|a|b|c|d|xZZ|src=1', 'leef: DelimiterCharacter "xZZ" is neither one character nor x/0x and 1–4 hex digits'],
  ['<200>Mar  5 10:50:00 h LEEF:1.0|a|b|c|d|', 'leef: PRI 200 out of range 0–191'],
];

describe('leef normaliser', () => {
  it.each(valid)('$name', ({ line, expected }) => {
    const event = run(line);
    expect(event).toMatchObject(expected);
    expect(event).not.toHaveProperty('event.original');
    expect(event).not.toHaveProperty('organization');
    expect(event).not.toHaveProperty('observer');
  });

  it.each(malformed)('refuses %j', (line, reason) => {
    const result = run(line);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });
});

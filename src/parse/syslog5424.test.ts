import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';
import { syslog5424Normaliser } from './syslog5424.js';

// Arrival 2024-03-05 11:00 in Hanoi (UTC+7).
const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} };

function run(text: string) {
  return syslog5424Normaliser.normalise({ text }, ctx);
}

const valid: { name: string; line: string; expected: Partial<EcsEvent> }[] = [
  {
    name: 'mail server su failure, no PROCID, no SD',
    line: "<34>1 2024-03-05T10:11:12.003+07:00 mail.mof.gov.vn su - ID47 - 'su root' failed for hung on /dev/pts/8",
    expected: {
      '@timestamp': '2024-03-05T03:11:12.003Z',
      event: { kind: 'event', module: 'syslog', dataset: 'syslog', severity: 2 },
      log: {
        syslog: {
          priority: 34,
          facility: { code: 4, name: 'auth' },
          severity: { code: 2, name: 'critical' },
          version: '1',
          hostname: 'mail.mof.gov.vn',
          appname: 'su',
          msgid: 'ID47',
        },
      },
      host: { hostname: 'mail.mof.gov.vn' },
      process: { name: 'su' },
      message: "'su root' failed for hung on /dev/pts/8",
    },
  },
  {
    name: 'public-service portal audit with SD-ELEMENTs and a BOM before a Vietnamese MSG (§6.4)',
    line: '<165>1 2024-03-05T03:11:12.123456Z portal.dichvucong.gov.vn tomcat 8080 AUDIT [origin@32473 ip="10.20.30.40" software="dvc-portal"][meta sequenceId="12"] \uFEFFĐăng nhập thành công: nguyenvana',
    expected: {
      '@timestamp': '2024-03-05T03:11:12.123Z',
      event: { kind: 'event', severity: 5 },
      log: {
        syslog: {
          priority: 165,
          facility: { code: 20, name: 'local4' },
          severity: { code: 5, name: 'notice' },
          procid: '8080',
          msgid: 'AUDIT',
          structured_data: {
            'origin@32473': { ip: '10.20.30.40', software: 'dvc-portal' },
            meta: { sequenceId: '12' },
          },
        },
      },
      process: { name: 'tomcat', pid: 8080 },
      message: 'Đăng nhập thành công: nguyenvana',
    },
  },
  {
    name: 'PARAM-VALUE escapes \\" \\\\ \\] undone, other backslashes kept (§6.3.3)',
    line: '<13>1 2024-03-05T03:11:12Z app01 backup - - [job@41058 q="say \\"hi\\"" p="a\\\\b" r="[x\\]" s="c:\\d" e=""]',
    expected: {
      log: { syslog: { structured_data: { 'job@41058': { q: 'say "hi"', p: 'a\\b', r: '[x]', s: 'c:\\d', e: '' } } } },
    },
  },
  {
    name: 'a PARAM-NAME repeated inside one SD-ELEMENT becomes an array',
    line: '<13>1 2024-03-05T03:11:12Z lb01 haproxy - - [origin ip="192.0.2.1" ip="2001:db8::1"] up',
    expected: { log: { syslog: { structured_data: { origin: { ip: ['192.0.2.1', '2001:db8::1'] } } } }, message: 'up' },
  },
  {
    name: 'every field NILVALUE: the arrival time stands in for TIMESTAMP (§6.2.3)',
    line: '<14>1 - - - - - -',
    expected: { '@timestamp': '2024-03-05T04:00:00.000Z', event: { kind: 'event', severity: 6 }, log: { syslog: { priority: 14, version: '1' } } },
  },
  {
    name: 'negative offset and a one-digit fraction',
    line: '<30>1 2024-03-04T20:11:12.5-07:00 ntp01 chronyd 611 - - Selected source 203.162.4.190',
    expected: { '@timestamp': '2024-03-05T03:11:12.500Z', process: { name: 'chronyd', pid: 611 } },
  },
  {
    name: 'non-numeric PROCID stays in log.syslog.procid only',
    line: '<190>1 2024-03-05T03:11:12Z k8s-node-3 dvc-api worker-3 - - request served',
    expected: { log: { syslog: { procid: 'worker-3', facility: { code: 23, name: 'local7' } } }, process: { name: 'dvc-api' } },
  },
  {
    name: 'sshd failed password over RFC 5424',
    line: '<38>1 2024-03-05T10:11:12.123456+07:00 bastion.mic.gov.vn sshd 4242 - - Failed password for invalid user admin from 203.0.113.7 port 51514 ssh2',
    expected: {
      event: { kind: 'event', category: ['authentication'], type: ['info'], outcome: 'failure', action: 'ssh_login', severity: 6 },
      user: { name: 'admin' },
      source: { ip: '203.0.113.7', port: 51514 },
      process: { name: 'sshd', pid: 4242 },
    },
  },
  {
    name: 'pfSense-like firewall filterlog',
    line: '<134>1 2024-03-05T10:15:00+07:00 fw-hanoi-01 filterlog 4521 - - 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.51.100.23,10.0.0.10,51234,22,0,S',
    expected: {
      '@timestamp': '2024-03-05T03:15:00.000Z',
      host: { hostname: 'fw-hanoi-01' },
      message: '5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.51.100.23,10.0.0.10,51234,22,0,S',
    },
  },
];

const malformed: [line: string, reason: string][] = [
  ['', 'syslog5424: empty line'],
  ['<999>1 - - - - - -', 'syslog5424: PRI 999 out of range 0–191'],
  ['<1a>1 - - - - - -', 'syslog5424: PRI must be 1–3 digits between < and > (RFC 5424 §6.2.1)'],
  ['<1234>1 - - - - - -', 'syslog5424: PRI must be 1–3 digits between < and > (RFC 5424 §6.2.1)'],
  ['hello world', 'syslog5424: expected PRI "<0–191>" at the start (RFC 5424 §6.2.1)'],
  ['<13>Mar  5 10:11:12 host app: x', 'syslog5424: expected VERSION and SP after PRI at column 5 (RFC 5424 §6.2.2)'],
  ['<13>2 - - - - - -', 'syslog5424: unsupported VERSION 2 (RFC 5424 §6.2.2 defines 1)'],
  ['<13>1 2024-13-05T03:11:12Z h a - - -', 'syslog5424: invalid TIMESTAMP "2024-13-05T03:11:12Z" (RFC 5424 §6.2.3)'],
  ['<13>1 2024-02-30T03:11:12Z h a - - -', 'syslog5424: invalid TIMESTAMP "2024-02-30T03:11:12Z" (RFC 5424 §6.2.3)'],
  ['<13>1 - h a', 'syslog5424: header ends inside APP-NAME; expected APP-NAME SP … STRUCTURED-DATA (RFC 5424 §6)'],
  ['<13>1 -  a - - -', 'syslog5424: empty HOSTNAME at column 9 (RFC 5424 §6: NILVALUE is "-")'],
  [`<13>1 - h a - ${'M'.repeat(33)} -`, 'syslog5424: MSGID longer than 32 characters (RFC 5424 §6)'],
  ['<13>1 - h a - - x', 'syslog5424: STRUCTURED-DATA must be "-" or start with "[" at column 17 (RFC 5424 §6.3)'],
  ['<13>1 - h a - - []', 'syslog5424: SD-ID must be 1–32 printable characters at column 18 (RFC 5424 §6.3.2)'],
  ['<13>1 - h a - - [x@1 a="b"', 'syslog5424: SD-ELEMENT "x@1" is not closed with "]" (RFC 5424 §6.3.1)'],
  ['<13>1 - h a - - [x@1 a=b]', 'syslog5424: expected ="…" after PARAM-NAME at column 23 (RFC 5424 §6.3.3)'],
  ['<13>1 - h a - - [x@1 a="b]', 'syslog5424: PARAM-VALUE at column 24 is not closed with \'"\' (RFC 5424 §6.3.3)'],
  ['<13>1 - h a - - [x@1 ="b"]', 'syslog5424: PARAM-NAME must be 1–32 printable characters at column 22 (RFC 5424 §6.3.3)'],
  ['<13>1 - h a - - [x@1 a="b"]msg', 'syslog5424: expected SP or end of line after STRUCTURED-DATA at column 28 (RFC 5424 §6)'],
  ['<13>1 - h a - - [x@1 a="b"x]', 'syslog5424: expected SP or "]" at column 27 in SD-ELEMENT "x@1" (RFC 5424 §6.3.1)'],
];

describe('syslog5424 normaliser', () => {
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

  it('omits message when MSG is absent', () => {
    expect(run('<13>1 2024-03-05T03:11:12Z h a - - -')).not.toHaveProperty('message');
  });
});

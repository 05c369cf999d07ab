import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';
import { syslog3164Normaliser } from './syslog3164.js';

// Arrival 2024-03-05 11:00 in Hanoi (UTC+7): BSD times are read as Hanoi wall-clock time.
const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} };

function run(text: string, context: NormaliseContext = ctx) {
  return syslog3164Normaliser.normalise({ text }, context);
}

const valid: { name: string; line: string; expected: Partial<EcsEvent> }[] = [
  {
    name: 'RFC 3164 §4.1 shape, day padded with a space',
    line: '<34>Mar  5 10:11:12 mail01 su: \'su root\' failed for hung on /dev/pts/8',
    expected: {
      '@timestamp': '2024-03-05T03:11:12.000Z',
      event: { kind: 'event', module: 'syslog', dataset: 'syslog', severity: 2 },
      log: { syslog: { priority: 34, facility: { code: 4, name: 'auth' }, severity: { code: 2, name: 'critical' }, hostname: 'mail01', appname: 'su' } },
      host: { hostname: 'mail01' },
      process: { name: 'su' },
      message: "'su root' failed for hung on /dev/pts/8",
    },
  },
  {
    name: 'sshd failed password for an invalid user',
    line: '<38>Mar  5 10:20:01 bastion sshd[2231]: Failed password for invalid user oracle from 45.135.232.17 port 40022 ssh2',
    expected: {
      event: { kind: 'event', category: ['authentication'], type: ['info'], outcome: 'failure', action: 'ssh_login', severity: 6 },
      user: { name: 'oracle' },
      source: { ip: '45.135.232.17', port: 40022 },
      process: { name: 'sshd', pid: 2231 },
      host: { hostname: 'bastion' },
    },
  },
  {
    name: 'sshd failed password for an existing account',
    line: '<38>Mar  5 10:20:03 bastion sshd[2231]: Failed password for root from 2001:db8::7 port 40100 ssh2',
    expected: { event: { outcome: 'failure' }, user: { name: 'root' }, source: { ip: '2001:db8::7', port: 40100 } },
  },
  {
    name: 'sshd accepted publickey (OpenSSH 9.8 sshd-session), no PRI: relayed from /var/log/auth.log',
    line: 'Mar  5 08:02:45 cong-dvc-01 sshd-session[9120]: Accepted publickey for quantri from 10.10.5.21 port 53422 ssh2: ED25519 SHA256:Qk2x0',
    expected: {
      '@timestamp': '2024-03-05T01:02:45.000Z',
      event: { kind: 'event', category: ['authentication'], type: ['start'], outcome: 'success', action: 'ssh_login' },
      user: { name: 'quantri' },
      source: { ip: '10.10.5.21', port: 53422 },
      log: { syslog: { hostname: 'cong-dvc-01', appname: 'sshd-session', procid: '9120' } },
    },
  },
  {
    name: 'sshd accepted password',
    line: '<86>Mar  5 08:03:00 cong-dvc-01 sshd[9121]: Accepted password for vanthu from 10.10.5.22 port 50000 ssh2',
    expected: { event: { outcome: 'success', type: ['start'] }, user: { name: 'vanthu' }, source: { ip: '10.10.5.22', port: 50000 } },
  },
  {
    name: 'sshd invalid user, no HOSTNAME (as some devices send)',
    line: '<38>Mar  5 10:21:00 sshd[2240]: Invalid user test from 198.51.100.2 port 4444',
    expected: {
      event: { category: ['authentication'], outcome: 'failure' },
      user: { name: 'test' },
      source: { ip: '198.51.100.2', port: 4444 },
      log: { syslog: { appname: 'sshd', procid: '2240' } },
    },
  },
  {
    name: 'sudo command as root',
    line: '<85>Mar  5 10:01:02 web01 sudo:  hoangnv : TTY=pts/0 ; PWD=/home/hoangnv ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
    expected: {
      event: { kind: 'event', category: ['process'], type: ['start'], outcome: 'success', action: 'sudo' },
      user: { name: 'hoangnv', effective: { name: 'root' } },
      process: { name: 'sudo', working_directory: '/home/hoangnv', command_line: '/usr/bin/systemctl restart nginx' },
      message: 'hoangnv : TTY=pts/0 ; PWD=/home/hoangnv ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
    },
  },
  {
    name: 'sudo refused: user NOT in sudoers',
    line: '<81>Mar  5 10:05:00 web01 sudo:   thuctap : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/cat /etc/shadow',
    expected: {
      event: { category: ['process'], outcome: 'failure', reason: 'user NOT in sudoers' },
      user: { name: 'thuctap', effective: { name: 'root' } },
      process: { command_line: '/bin/cat /etc/shadow' },
    },
  },
  {
    name: 'sudo refused after wrong passwords is also an authentication failure',
    line: '<81>Mar  5 10:06:00 web01 sudo:   thuctap : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash',
    expected: { event: { category: ['authentication', 'process'], outcome: 'failure', reason: '3 incorrect password attempts' } },
  },
  {
    name: 'Cisco ASA: year in the timestamp and an empty TAG',
    line: '<166>Mar 05 2024 10:11:12 fw-asa-01 : %ASA-6-302013: Built outbound TCP connection 1 for outside:203.0.113.9/443',
    expected: {
      '@timestamp': '2024-03-05T03:11:12.000Z',
      host: { hostname: 'fw-asa-01' },
      message: '%ASA-6-302013: Built outbound TCP connection 1 for outside:203.0.113.9/443',
    },
  },
  {
    name: 'rsyslog file format: RFC 3339 timestamp instead of Mmm dd',
    line: '<30>2024-03-05T10:11:12.5+07:00 dns01 dnsmasq[77]: query[A] dichvucong.gov.vn from 10.1.1.1',
    expected: { '@timestamp': '2024-03-05T03:11:12.500Z', process: { name: 'dnsmasq', pid: 77 }, message: 'query[A] dichvucong.gov.vn from 10.1.1.1' },
  },
  {
    name: 'RFC 3339 timestamp without PRI or zone (local time of the sensor)',
    line: '2024-03-05T10:11:12 dns01 named[88]: client 10.1.1.1#5353: query refused',
    expected: { '@timestamp': '2024-03-05T03:11:12.000Z', process: { name: 'named', pid: 88 } },
  },
  {
    name: 'Vietnamese agency web gateway, message without TAG',
    line: '<134>Mar  5 10:30:00 gw.hanoi.gov.vn Truy cập bị chặn: 203.0.113.50 -> /admin',
    expected: { host: { hostname: 'gw.hanoi.gov.vn' }, message: 'Truy cập bị chặn: 203.0.113.50 -> /admin' },
  },
  {
    name: 'PRI without TIMESTAMP is kept as MSG, timed at arrival (§4.3.2)',
    line: '<13>kernel: eth0 link up',
    expected: { '@timestamp': '2024-03-05T04:00:00.000Z', process: { name: 'kernel' }, message: 'eth0 link up' },
  },
  {
    name: 'Cisco unsynchronised-clock mark and milliseconds',
    line: '<189>*Mar  1 18:46:11.123 sw-core-01 %LINK-3-UPDOWN: Interface Gi0/1, changed state to up',
    expected: { '@timestamp': '2024-03-01T11:46:11.123Z', host: { hostname: 'sw-core-01' }, process: { name: '%LINK-3-UPDOWN' } },
  },
];

const malformed: [line: string, reason: string][] = [
  ['', 'syslog3164: empty line'],
  ['<192>Mar  5 10:11:12 h t: m', 'syslog3164: PRI 192 out of range 0–191'],
  ['<x>Mar  5 10:11:12 h t: m', 'syslog3164: PRI must be 1–3 digits between < and > (RFC 5424 §6.2.1)'],
  ['just some words', 'syslog3164: expected PRI or TIMESTAMP "Mmm dd hh:mm:ss" at the start (RFC 3164 §4.1)'],
  ['Foo  5 10:11:12 host app: m', 'syslog3164: expected PRI or TIMESTAMP "Mmm dd hh:mm:ss" at the start (RFC 3164 §4.1)'],
  ['Feb 30 10:11:12 host app: m', 'syslog3164: expected PRI or TIMESTAMP "Mmm dd hh:mm:ss" at the start (RFC 3164 §4.1)'],
  ['<13>', 'syslog3164: nothing after PRI'],
  ['Mar  5 10:11:12', 'syslog3164: no HOSTNAME, TAG or MSG after the TIMESTAMP (RFC 3164 §4.1)'],
  ['Mar  5 10:11:12.', 'syslog3164: expected SP after TIMESTAMP at column 16 (RFC 3164 §4.1.2)'],
];

describe('syslog3164 normaliser', () => {
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

  const years: [name: string, receivedAt: number, line: string, timestamp: string][] = [
    ['December line read on 2 January is last year', Date.UTC(2024, 0, 2, 1), 'Dec 31 23:59:59 h t: m', '2023-12-31T16:59:59.000Z'],
    ['a line a day ahead of the receiver (clock skew) stays this year', Date.UTC(2024, 2, 5), 'Mar  6 09:00:00 h t: m', '2024-03-06T02:00:00.000Z'],
    ['29 February read in a non-leap year is the last leap year', Date.UTC(2025, 2, 1), 'Feb 29 12:00:00 h t: m', '2024-02-29T05:00:00.000Z'],
  ];
  it.each(years)('year: %s', (_name, receivedAt, line, timestamp) => {
    expect(run(line, { ...ctx, receivedAt })).toMatchObject({ '@timestamp': timestamp });
  });

  it('does not annotate auth fields for other programs', () => {
    const event = run('<38>Mar  5 10:20:01 h cron[1]: Failed password for x from 1.2.3.4 port 1 ssh2') as EcsEvent;
    expect(event.event.category).toBeUndefined();
    expect(event.user).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { EcsObject } from '../core/event.js';
import { autoNormaliser, detectFormat } from './detect.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';

const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} };

const lines: [format: string | null, text: string][] = [
  ['syslog5424', '<165>1 2024-03-05T03:11:12Z portal tomcat 8080 AUDIT - msg'],
  ['syslog3164', '<38>Mar  5 10:20:01 bastion sshd[2231]: Failed password for root from 1.2.3.4 port 1 ssh2'],
  ['syslog3164', 'Mar  5 08:02:45 cong-dvc-01 sshd[9120]: Accepted publickey for quantri from 10.10.5.21 port 53422 ssh2'],
  ['syslog3164', 'Mar 5 08:02:45 h t: m'],
  ['syslog3164', '<13>kernel: eth0 link up'],
  ['syslog3164', '2024-03-05T10:11:12.5+07:00 dns01 dnsmasq[77]: query'],
  ['syslog3164', '<166>Mar 05 2024 10:11:12 fw-asa-01 : %ASA-6-302013: Built'],
  ['cef', 'CEF:0|Fortinet|Fortigate|v7.2.5|00013|deny|3|src=1.2.3.4'],
  ['cef', '<189>Mar  5 10:40:01 FGT-HN-01 CEF:0|Fortinet|Fortigate|v7.2.5|00013|deny|3|src=1.2.3.4'],
  ['cef', '<134>1 2024-03-05T03:40:01Z waf01 CEF - - - CEF:1|Vigil|WAF|2.3|x|y|5|'],
  ['cef', 'Mar  5 10:40:01 fw CEF:0|a|b|c|d|e|5|'],
  ['leef', 'LEEF:2.0|Lancope|StealthWatch|6.5|41|^|src=10.0.1.8'],
  ['leef', '<13>Mar  5 10:50:00 ids01 LEEF:1.0|Vigil|IDS|4.2|ET|src=1.2.3.4'],
  ['w3c', '#Software: Microsoft Internet Information Services 10.0'],
  ['w3c', '#Fields: date time s-ip cs-method cs-uri-stem'],
  ['w3c', '2024-03-05 03:11:12 10.0.0.1 GET /default.aspx - 443 - 203.0.113.5 Mozilla/5.0 - 200 0 0 15'],
  ['nginx', '203.0.113.5 - - [05/Mar/2024:10:11:12 +0700] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"'],
  ['nginx', '2001:db8::5 - nguyenvana [05/Mar/2024:10:11:12 +0700] "POST /login HTTP/1.1" 302 0'],
  ['apache', 'dichvucong.gov.vn:443 203.0.113.5 - - [05/Mar/2024:10:11:12 +0700] "GET / HTTP/1.1" 200 612 "-" "-"'],
  ['json', '{"msg":"hello","level":"info"}'],
  ['ecs', '{"@timestamp":"2024-03-05T03:11:12Z","event":{"kind":"event"},"message":"x"}'],
  ['ecs', '{"@timestamp":"2024-03-05T03:11:12Z","ecs":{"version":"8.11.0"}}'],
  ['windows', '{"winlog":{"event_id":4625,"channel":"Security"},"@timestamp":"2024-03-05T03:11:12Z"}'],
  ['windows', '{"Event":{"System":{"EventID":4624}}}'],
  ['windows', '{"EventID":4624,"Channel":"Security","Hostname":"DC01"}'],
  [null, ''],
  [null, 'hello world'],
  [null, '<999'],
  [null, '#comment'],
  [null, '2024-03-05'],
  [null, '\u0000\u0001'],
];

const objects: [format: string, json: EcsObject][] = [
  ['windows', { winlog: { channel: 'Security', event_id: 4625 } }],
  ['windows', { Event: { System: { EventID: 4624 } } }],
  ['windows', { EventID: 4624, Channel: 'Security' }],
  ['ecs', { '@timestamp': '2024-03-05T03:11:12Z', event: { kind: 'event' } }],
  ['ecs', { '@timestamp': '2024-03-05T03:11:12Z', 'ecs.version': '8.11.0' }],
  ['json', { '@timestamp': '2024-03-05T03:11:12Z', msg: 'no event object' }],
  ['json', { user: 'a', action: 'login' }],
];

describe('detectFormat', () => {
  it.each(lines)('%s ← %j', (format, text) => {
    expect(detectFormat({ text })).toBe(format);
  });

  it.each(objects)('%s ← decoded %j', (format, json) => {
    expect(detectFormat({ text: JSON.stringify(json), json })).toBe(format);
  });
});

describe('auto normaliser', () => {
  it('delegates to the detected format', () => {
    const event = autoNormaliser.normalise({ text: '<38>Mar  5 10:20:01 bastion sshd[2231]: Failed password for root from 198.51.100.1 port 1 ssh2' }, ctx);
    expect(event).toMatchObject({ event: { dataset: 'syslog', outcome: 'failure' }, source: { ip: '198.51.100.1' } });
  });

  it('passes the delegate’s Malformed through', () => {
    const result = autoNormaliser.normalise({ text: 'CEF:0|a|b' }, ctx);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe('cef: expected 7 pipe-separated header fields, found 3');
  });

  it('says when nothing matches', () => {
    const result = autoNormaliser.normalise({ text: 'hello world' }, ctx);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe('auto: no known format matches the line');
  });
});

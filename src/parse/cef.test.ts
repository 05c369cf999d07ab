import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { cefNormaliser } from './cef.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext } from './normaliser.js';

// Arrival 2024-03-05 11:00 in Hanoi (UTC+7).
const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 2, 5, 4, 0, 0), tzOffsetMinutes: 420, stream: {} };

function run(text: string) {
  return cefNormaliser.normalise({ text }, ctx);
}

const fortigate =
  '<189>Mar  5 10:40:01 FGT-HN-01 CEF:0|Fortinet|Fortigate|v7.2.5|00013|traffic:forward deny|3|' +
  'deviceExternalId=FG100FTK00000001 FTNTFGTlogid=0000000013 cat=traffic:forward FTNTFGTsubtype=forward ' +
  'src=203.0.113.45 spt=51515 dst=10.20.1.15 dpt=3389 deviceInboundInterface=wan1 proto=6 act=deny ' +
  'app=RDP cs1Label=Policy Name cs1=Chặn RDP từ Internet in=52 out=0 deviceDirection=0';

const valid: { name: string; line: string; expected: Partial<EcsEvent> }[] = [
  {
    name: 'FortiGate-like traffic deny behind a BSD syslog header',
    line: fortigate,
    expected: {
      '@timestamp': '2024-03-05T03:40:01.000Z',
      event: { kind: 'event', module: 'cef', dataset: 'cef', code: '00013', action: 'deny', severity: 3 },
      log: { syslog: { priority: 189, hostname: 'FGT-HN-01' } },
      host: { hostname: 'FGT-HN-01' },
      source: { ip: '203.0.113.45', port: 51515, bytes: 52 },
      destination: { ip: '10.20.1.15', port: 3389, bytes: 0 },
      network: { transport: 'tcp', protocol: 'rdp', direction: 'inbound' },
      labels: { policy_name: 'Chặn RDP từ Internet' },
      message: 'traffic:forward deny',
      cef: {
        version: '0',
        device: { vendor: 'Fortinet', product: 'Fortigate', version: 'v7.2.5', event_class_id: '00013' },
        name: 'traffic:forward deny',
        severity: '3',
        extensions: { cat: 'traffic:forward', deviceInboundInterface: 'wan1', cs1Label: 'Policy Name', cs1: 'Chặn RDP từ Internet' },
      },
    },
  },
  {
    name: 'header escapes \\| and \\\\, severity word High',
    line: 'CEF:0|Vigil\\|Lab|Web\\\\Gateway|1.0|waf-942100|SQL injection \\| blocked|High|src=198.51.100.9',
    expected: {
      '@timestamp': '2024-03-05T04:00:00.000Z',
      event: { severity: 8 },
      cef: { device: { vendor: 'Vigil|Lab', product: 'Web\\Gateway' }, name: 'SQL injection | blocked', severity: 'High' },
      message: 'SQL injection | blocked',
    },
  },
  {
    name: 'Vietnamese agency web gateway: extension escapes, spaces in values, unescaped pipe',
    line:
      'CEF:0|VNPT|WebGateway|3.1|url-block|Blocked URL|6|msg=Chặn truy cập\\nLý do: a\\=b \\\\ c|d ' +
      'request=https://dichvucong.gov.vn/tra-cuu?ma\\=123 requestMethod=get suser=Nguyen Van A ' +
      'requestClientApplication=Mozilla/5.0 (Windows NT 10.0; Win64; x64) shost=pc-01.hanoi.gov.vn',
    expected: {
      message: 'Chặn truy cập\nLý do: a=b \\ c|d',
      url: { original: 'https://dichvucong.gov.vn/tra-cuu?ma=123' },
      http: { request: { method: 'GET' } },
      source: { user: { name: 'Nguyen Van A' }, domain: 'pc-01.hanoi.gov.vn' },
      user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
      event: { severity: 6 },
    },
  },
  {
    name: 'rt epoch ms; start and end in MMM dd yyyy HH:mm:ss, end with a zone',
    line: 'CEF:0|V|P|1|1|n|5|rt=1709610012123 start=Mar 05 2024 10:40:12 end=Mar 05 2024 03:40:13.250 UTC',
    expected: {
      '@timestamp': '2024-03-05T03:40:12.123Z',
      event: { start: '2024-03-05T03:40:12.000Z', end: '2024-03-05T03:40:13.250Z' },
    },
  },
  {
    name: 'RFC 5424 header, CEF:1, login failure to duser',
    line: '<134>1 2024-03-05T03:40:01Z waf01.dvc.gov.vn CEF - - - CEF:1|Vigil|WAF|2.3|login-fail|Admin login failed|Very-High|duser=admin src=198.51.100.77 outcome=failure suser=attacker',
    expected: {
      '@timestamp': '2024-03-05T03:40:01.000Z',
      event: { severity: 10, outcome: 'failure', code: 'login-fail' },
      host: { hostname: 'waf01.dvc.gov.vn' },
      log: { syslog: { hostname: 'waf01.dvc.gov.vn', appname: 'CEF', version: '1' } },
      user: { name: 'admin' },
      destination: { user: { name: 'admin' } },
      source: { ip: '198.51.100.77', user: { name: 'attacker' } },
      cef: { version: '1' },
    },
  },
  {
    name: 'full dictionary names, a host name in src, an empty value',
    line: 'CEF:0|V|P|1|ids-1|Scan|Medium|sourceAddress=scanner.example destinationAddress=10.0.0.8 destinationPort=445 transportProtocol=TCP cs2= reason=port scan',
    expected: {
      event: { severity: 6, reason: 'port scan' },
      source: { address: 'scanner.example' },
      destination: { ip: '10.0.0.8', port: 445 },
      network: { transport: 'tcp' },
      cef: { extensions: { cs2: '' } },
    },
  },
  {
    name: 'header without a trailing pipe, Unknown severity',
    line: 'CEF:0|V|P|1|id|name only|Unknown',
    expected: { cef: { severity: 'Unknown', extensions: {} }, message: 'name only' },
  },
  {
    name: 'unescaped = without a key before it stays in the value; cn1 with its label',
    line: 'CEF:0|V|P|1|id|n|2|msg=x = y cn1Label=Risk Score cn1=87',
    expected: { message: 'x = y', labels: { risk_score: '87' } },
  },
];

const malformed: [line: string, reason: string][] = [
  ['', 'cef: empty line'],
  ['hello world', 'cef: no "CEF:" in the line'],
  ['CEF:', 'cef: expected 7 pipe-separated header fields, found 1'],
  ['CEF:0|a|b|c', 'cef: expected 7 pipe-separated header fields, found 4'],
  ['CEF:0|a\\|b|c|d|e|f', 'cef: expected 7 pipe-separated header fields, found 6'],
  ['CEF:x|a|b|c|d|e|5|', 'cef: Version "x" is not a number (CEF:0 or CEF:1)'],
  ['CEF:0|a|b|c|d|e|5|this is not an extension', 'cef: extension must start with key=value, found "this is not an extension" at column 19'],
  ['CEF:0|a|b|c|d|e|5|=x', 'cef: extension must start with key=value, found "=x" at column 19'],
  ['<999>Mar  5 10:40:01 fw CEF:0|a|b|c|d|e|5|', 'cef: PRI 999 out of range 0–191'],
  ['garbage CEF:0|a|b|c|d|e|5|', 'cef: expected PRI or TIMESTAMP "Mmm dd hh:mm:ss" at the start (RFC 3164 §4.1)'],
  ['<13>1 - h app - - [x a="CEF:0"]', 'cef: "CEF:" found inside the syslog header, not after it'],
];

describe('cef normaliser', () => {
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

  it('keeps the device under cef.device, never observer.*', () => {
    const event = run(fortigate) as EcsEvent;
    expect(event.observer).toBeUndefined();
    expect(event.process).toBeUndefined();
  });
});

import { describe, it, expect } from 'vitest';
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField } from '../core/event.js';
import { Malformed, SKIP } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { IIS_DEFAULT_FIELDS, w3cNormaliser } from './w3c.js';

const newCtx = (): NormaliseContext => ({ receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 420, stream: {} });

/** Feeds a stream of lines through one context and returns the result of each. */
function run(lines: string[], ctx = newCtx()): NormaliseResult[] {
  return lines.map((text) => w3cNormaliser.normalise({ text }, ctx));
}

const UA_IIS = 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/124.0.0.0+Safari/537.36';
const UA = UA_IIS.replaceAll('+', ' ');

const cases: { name: string; lines: string[]; fields: Record<string, EcsValue | undefined> }[] = [
  {
    name: 'IIS default fields without any directive',
    lines: [`2024-05-01 02:15:02 10.1.2.3 GET /dich-vu-cong/tiep-nhan-ho-so ma=1.001234&tinh=ha-noi 443 - 203.162.10.45 ${UA_IIS} https://dichvucong.gov.vn/ 200 0 0 46`],
    fields: {
      '@timestamp': '2024-05-01T02:15:02.000Z', // UTC, whatever ctx.tzOffsetMinutes says
      'event.kind': 'event',
      'event.category': ['web'],
      'event.type': ['access'],
      'event.outcome': 'success',
      'event.dataset': 'iis.access',
      'event.module': 'iis',
      'event.duration': 46_000_000,
      'destination.ip': '10.1.2.3',
      'destination.port': 443,
      'source.ip': '203.162.10.45',
      'source.address': '203.162.10.45',
      'http.request.method': 'GET',
      'url.original': '/dich-vu-cong/tiep-nhan-ho-so?ma=1.001234&tinh=ha-noi',
      'url.path': '/dich-vu-cong/tiep-nhan-ho-so',
      'url.query': 'ma=1.001234&tinh=ha-noi',
      'user.name': undefined,
      'user_agent.original': UA,
      'http.request.referrer': 'https://dichvucong.gov.vn/',
      'http.response.status_code': 200,
      'iis.access.sub_status': 0,
      'iis.access.win32_status': 0,
      'event.original': undefined,
    },
  },
  {
    name: '#Fields directive with extra fields, IPv6 client, user, 401',
    lines: [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2024-05-01 00:00:00',
      '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken X-Forwarded-For',
      '2024-05-01 08:00:01.250 W3SVC2 WEB-DVC-01 10.1.2.3 POST /quan-tri/dang-nhap - 443 HANOI\\nguyenvana 2001:ee0:4f1b::7 HTTP/1.1 Mozilla/5.0 ASP.NET_SessionId=abc - dichvucong.hanoi.gov.vn:443 401 1 2148074254 6041 812 15 113.160.22.7,+10.0.0.1',
    ],
    fields: {
      '@timestamp': '2024-05-01T08:00:01.250Z',
      'iis.access.site_name': 'W3SVC2',
      'iis.access.server_name': 'WEB-DVC-01',
      'iis.access.cookie': 'ASP.NET_SessionId=abc',
      'iis.access.sub_status': 1,
      'iis.access.win32_status': 2148074254,
      'user.name': 'HANOI\\nguyenvana',
      'source.ip': '2001:ee0:4f1b::7',
      'http.version': '1.1',
      'url.domain': 'dichvucong.hanoi.gov.vn',
      'url.path': '/quan-tri/dang-nhap',
      'url.query': undefined,
      'url.original': '/quan-tri/dang-nhap',
      'http.request.referrer': undefined,
      'http.response.status_code': 401,
      'http.response.bytes': 6041,
      'http.request.bytes': 812,
      'event.outcome': 'failure',
      'event.duration': 15_000_000,
      'network.forwarded_ip': '113.160.22.7',
    },
  },
  {
    name: 'SQL injection in cs-uri-query, kept as logged',
    lines: [`2024-05-01 02:15:03 10.1.2.3 GET /tra-cuu.aspx id=1%27;DROP+TABLE+HoSo;-- 80 - 45.142.120.7 sqlmap/1.8 - 500 0 0 3`],
    fields: { 'url.query': 'id=1%27;DROP+TABLE+HoSo;--', 'url.extension': 'aspx', 'user_agent.original': 'sqlmap/1.8', 'event.outcome': 'failure' },
  },
  {
    name: 'W3C working-draft style: time only, date from #Date (dd-Mon-yyyy), quoted string, seconds as <fixed>, unknown fields kept',
    lines: ['#Version: 1.0', '#Date: 12-Jan-1996 00:00:00', '#Fields: time cs-method cs-uri time-taken cs(X-Request-Id) x-custom', '00:34:23 GET "/foo/bar ""q"".html" 0.250 r-123 -'],
    fields: {
      '@timestamp': '1996-01-12T00:34:23.000Z',
      'http.request.method': 'GET',
      'url.original': '/foo/bar "q".html',
      'event.duration': 250_000_000,
      'w3c.cs(X-Request-Id)': 'r-123',
      'w3c.x-custom': undefined,
      'event.outcome': undefined,
    },
  },
  {
    name: 'cs-uri (full) with tabs as separators',
    lines: ['#Fields: date time c-ip cs-method cs-uri sc-status', '2024-05-01\t02:15:04\t1.53.200.17\tGET\t/cong-khai?trang=3\t200'],
    fields: { 'url.path': '/cong-khai', 'url.query': 'trang=3', 'source.ip': '1.53.200.17' },
  },
];

describe('w3cNormaliser: entries', () => {
  it.each(cases)('$name', ({ lines, fields }) => {
    const results = run(lines);
    for (const r of results.slice(0, -1)) expect(r).toBe(SKIP);
    const event = results[results.length - 1];
    expect(event).not.toBeInstanceOf(Malformed);
    for (const [path, value] of Object.entries(fields)) expect(getField(event as EcsObject, path), path).toEqual(value);
  });

  it('#Fields sets ctx.stream.w3cFields and a later #Fields replaces it', () => {
    const ctx = newCtx();
    expect(run(['#Fields: date time c-ip'], ctx)).toEqual([SKIP]);
    expect(ctx.stream.w3cFields).toEqual(['date', 'time', 'c-ip']);
    run(['#Fields: date time cs-method'], ctx);
    expect(ctx.stream.w3cFields).toEqual(['date', 'time', 'cs-method']);
    expect(getField(run(['2024-05-01 00:00:00 PUT'], ctx)[0] as EcsObject, 'http.request.method')).toBe('PUT');
  });

  it('a byte-order mark before the first directive is ignored', () => {
    const ctx = newCtx();
    expect(run(['\uFEFF#Fields: date time c-ip'], ctx)).toEqual([SKIP]);
    expect(ctx.stream.w3cFields).toEqual(['date', 'time', 'c-ip']);
  });

  it('every directive is SKIP', () => {
    expect(run(['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Start-Date: 2024-05-01 00:00:00', '#Remark: rotated'])).toEqual([SKIP, SKIP, SKIP, SKIP]);
  });

  it('the default field list is the IIS one', () => {
    expect(IIS_DEFAULT_FIELDS).toHaveLength(15);
  });
});

const malformed: { lines: string[]; reason: string }[] = [
  { lines: ['2024-05-01 02:15:02 10.1.2.3 GET / - 443 - 1.2.3.4 - - 200 0 0'], reason: 'w3c: 14 values for 15 fields' },
  { lines: ['#Fields: date time c-ip cs-method cs-uri-stem sc-status', '2024-05-01 02:15:02 1.2.3.4 GET / 200 extra'], reason: 'w3c: 7 values for 6 fields' },
  { lines: [''], reason: 'w3c: empty line' },
  { lines: ['#Fields:'], reason: 'w3c: #Fields directive lists no fields' },
  { lines: ['#Date: yesterday'], reason: 'w3c: #Date directive has no date: "yesterday"' },
  { lines: ['#Fields: date time sc-status', '01/05/2024 02:15:02 200'], reason: 'w3c: date "01/05/2024" is not YYYY-MM-DD' },
  { lines: ['#Fields: date time sc-status', '2024-05-01 2:15:02 200'], reason: 'w3c: time "2:15:02" is not hh:mm:ss' },
  { lines: ['#Fields: date time sc-status', '2024-02-30 02:15:02 200'], reason: 'w3c: invalid date "2024-02-30 02:15:02"' },
  { lines: ['#Fields: date time sc-status', '2024-05-01 02:15:02 OK'], reason: 'w3c: sc-status "OK" is not a number' },
  { lines: ['#Fields: date time s-port', '2024-05-01 02:15:02 https'], reason: 'w3c: s-port "https" is not a number' },
  { lines: ['#Fields: date time time-taken', '2024-05-01 02:15:02 fast'], reason: 'w3c: time-taken "fast" is not a number' },
  { lines: ['#Fields: date time cs-uri', '2024-05-01 02:15:02 "/unterminated'], reason: 'w3c: unterminated quoted value at column 21' },
];

describe('w3cNormaliser: malformed', () => {
  it.each(malformed)('$reason', ({ lines, reason }) => {
    const result = run(lines).at(-1);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });
});

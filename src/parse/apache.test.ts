import { describe, it, expect } from 'vitest';
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { apacheNormaliser } from './apache.js';

const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 420, stream: {} };
const normalise = (text: string): NormaliseResult => apacheNormaliser.normalise({ text }, ctx);

const valid: { name: string; line: string; fields: Record<string, EcsValue | undefined> }[] = [
  {
    name: 'combined (mod_log_config), Vietnamese portal form submission',
    line: '113.190.233.12 - - [01/May/2024:14:02:11 +0700] "POST /dich-vu-cong/nop-ho-so?ma=2.000123&tinh=da-nang HTTP/1.1" 302 - "https://dichvucong.danang.gov.vn/dich-vu-cong/tiep-nhan-ho-so" "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"',
    fields: {
      '@timestamp': '2024-05-01T07:02:11.000Z',
      'event.dataset': 'apache.access',
      'event.module': 'apache',
      'event.category': ['web'],
      'event.type': ['access'],
      'event.outcome': 'success',
      'http.request.method': 'POST',
      'url.query': 'ma=2.000123&tinh=da-nang',
      'http.response.status_code': 302,
      'http.response.body.bytes': 0, // `%b` writes "-" for no body
      'http.request.referrer': 'https://dichvucong.danang.gov.vn/dich-vu-cong/tiep-nhan-ho-so',
    },
  },
  {
    name: 'common (NCSA) with a user',
    line: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
    fields: {
      '@timestamp': '2000-10-10T20:55:36.000Z',
      'user.name': 'frank',
      'url.extension': 'gif',
      'http.response.body.bytes': 2326,
      'user_agent': undefined,
    },
  },
  {
    name: 'vhost_combined: leading %v:%p gives url.domain and url.port',
    line: 'dichvucong.hanoi.gov.vn:443 113.190.233.12 - - [01/May/2024:14:02:12 +0700] "GET /tra-cuu-ho-so?so=000.00.12.H26-240501-0001 HTTP/1.1" 200 8211 "-" "Mozilla/5.0"',
    fields: {
      'url.domain': 'dichvucong.hanoi.gov.vn',
      'url.port': 443,
      'url.path': '/tra-cuu-ho-so',
      'url.query': 'so=000.00.12.H26-240501-0001',
      'source.ip': '113.190.233.12',
    },
  },
  {
    name: 'Apache \\" escapes inside the request and the user agent (XSS probe)',
    line: '45.142.120.7 - - [01/May/2024:14:02:13 +0700] "GET /tim-kiem?q=\\"><svg/onload=alert(1)> HTTP/1.1" 400 226 "-" "Mozilla/5.0 \\"Nikto\\" \\\\test"',
    fields: {
      'url.query': 'q="><svg/onload=alert(1)>',
      'user_agent.original': 'Mozilla/5.0 "Nikto" \\test',
      'event.outcome': 'failure',
    },
  },
  {
    name: 'host name as %h (HostnameLookups On): source.address only',
    line: 'crawl-66-249-66-1.googlebot.com - - [01/May/2024:14:02:14 +0700] "GET /robots.txt HTTP/1.1" 200 68 "-" "Googlebot/2.1"',
    fields: { 'source.address': 'crawl-66-249-66-1.googlebot.com', 'source.ip': undefined },
  },
  {
    name: 'Windows domain user with an escaped backslash',
    line: '10.2.3.4 - SO-TTTT\\\\tranthib [01/May/2024:14:02:15 +0700] "GET /quan-tri/ HTTP/1.1" 401 381',
    fields: { 'user.name': 'SO-TTTT\\tranthib', 'event.outcome': 'failure' },
  },
  {
    name: 'IPv4-mapped IPv6 client',
    line: '::ffff:203.113.131.1 - - [01/May/2024:14:02:16 +0700] "HEAD / HTTP/1.1" 200 -',
    fields: { 'source.ip': '::ffff:203.113.131.1', 'http.request.method': 'HEAD' },
  },
];

describe('apacheNormaliser: valid lines', () => {
  it.each(valid)('$name', ({ line, fields }) => {
    const result = normalise(line);
    expect(result).not.toBeInstanceOf(Malformed);
    for (const [path, value] of Object.entries(fields)) expect(getField(result as EcsObject, path), path).toEqual(value);
  });
});

const T = '[01/May/2024:14:02:11 +0700]';
const malformed: { line: string; reason: string }[] = [
  { line: `a b c d e ${T} "GET / HTTP/1.1" 200 1`, reason: 'apache: expected "client ident user" before the timestamp, found 5 fields' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1 \\" 200 1`, reason: 'apache: unterminated request line' },
  { line: `1.2.3.4 - - [10/Oct/2000:13:55:36] "GET / HTTP/1.1" 200 1`, reason: 'apache: expected a [dd/Mon/yyyy:hh:mm:ss +hhmm] timestamp' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" - 1`, reason: 'apache: expected a 3-digit status after the request line, found "-"' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 - "-"`, reason: 'apache: expected a quoted user agent after the referrer' },
];

describe('apacheNormaliser: malformed lines', () => {
  it.each(malformed)('$reason: $line', ({ line, reason }) => {
    const result = normalise(line);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });
});

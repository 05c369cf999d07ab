import { describe, it, expect } from 'vitest';
import type { EcsObject, EcsValue } from '../core/event.js';
import { getField } from '../core/event.js';
import { Malformed } from './normaliser.js';
import type { NormaliseContext, NormaliseResult } from './normaliser.js';
import { nginxNormaliser } from './nginx.js';

const ctx: NormaliseContext = { receivedAt: Date.UTC(2024, 4, 1, 3, 0, 0), tzOffsetMinutes: 420, stream: {} };
const normalise = (text: string): NormaliseResult => nginxNormaliser.normalise({ text }, ctx);

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** Each row: a line and the ECS fields it must produce (`undefined`: the field must be absent). */
const valid: { name: string; line: string; fields: Record<string, EcsValue | undefined> }[] = [
  {
    name: 'combined, public-service portal request with a query',
    line: `203.162.10.45 - - [01/May/2024:09:15:02 +0700] "GET /dich-vu-cong/tiep-nhan-ho-so?ma=1.001234&tinh=ha-noi HTTP/1.1" 200 5123 "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html" "${CHROME}"`,
    fields: {
      '@timestamp': '2024-05-01T02:15:02.000Z',
      'event.kind': 'event',
      'event.category': ['web'],
      'event.type': ['access'],
      'event.outcome': 'success',
      'event.dataset': 'nginx.access',
      'event.module': 'nginx',
      'source.address': '203.162.10.45',
      'source.ip': '203.162.10.45',
      'http.request.method': 'GET',
      'http.version': '1.1',
      'url.original': '/dich-vu-cong/tiep-nhan-ho-so?ma=1.001234&tinh=ha-noi',
      'url.path': '/dich-vu-cong/tiep-nhan-ho-so',
      'url.query': 'ma=1.001234&tinh=ha-noi',
      'url.extension': undefined,
      'http.response.status_code': 200,
      'http.response.body.bytes': 5123,
      'http.request.referrer': 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html',
      'user_agent.original': CHROME,
      'user.name': undefined,
      'event.original': undefined,
      'organization': undefined,
      'observer': undefined,
    },
  },
  {
    name: 'main format: trailing X-Forwarded-For list gives network.forwarded_ip, source stays the peer',
    line: '10.10.0.5 - - [01/May/2024:09:15:03 +0700] "POST /api/v1/ho-so/nop HTTP/2.0" 201 87 "-" "okhttp/4.12.0" "113.160.22.7, 10.10.0.1"',
    fields: {
      'source.ip': '10.10.0.5',
      'network.forwarded_ip': '113.160.22.7',
      'http.request.method': 'POST',
      'http.version': '2.0',
      'http.request.referrer': undefined,
      'user_agent.original': 'okhttp/4.12.0',
      'http.response.status_code': 201,
    },
  },
  {
    name: 'main format with "-" as X-Forwarded-For',
    line: '10.10.0.5 - - [01/May/2024:09:15:03 +0700] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-"',
    fields: { 'network': undefined, 'user_agent.original': 'kube-probe/1.29' },
  },
  {
    name: 'IPv6 client, 304 with zero bytes',
    line: '2001:ee0:4f1b:9c20::1a - - [01/May/2024:02:15:02 +0000] "GET /cong-khai/thu-tuc?page=2 HTTP/1.1" 304 0 "-" "Zalo/23.09"',
    fields: {
      '@timestamp': '2024-05-01T02:15:02.000Z',
      'source.ip': '2001:ee0:4f1b:9c20::1a',
      'source.address': '2001:ee0:4f1b:9c20::1a',
      'http.response.status_code': 304,
      'http.response.body.bytes': 0,
      'event.outcome': 'success',
    },
  },
  {
    name: 'common log format: authenticated user, 404, no referrer or user agent',
    line: '14.232.1.9 - nguyenvana [01/May/2024:09:15:04 +0700] "GET /tra-cuu-ho-so HTTP/1.0" 404 153',
    fields: {
      'user.name': 'nguyenvana',
      'event.outcome': 'failure',
      'http.response.status_code': 404,
      'http.response.body.bytes': 153,
      'http.version': '1.0',
      'user_agent': undefined,
      'http.request.referrer': undefined,
    },
  },
  {
    name: 'SQL injection in the query, kept percent-encoded as sent',
    line: `45.142.120.7 - - [01/May/2024:09:15:05 +0700] "GET /tra-cuu?ma=1%27%20OR%201=1--%20&tinh=' UNION SELECT password FROM users-- HTTP/1.1" 500 0 "-" "sqlmap/1.8#stable (https://sqlmap.org)"`,
    fields: {
      'url.path': '/tra-cuu',
      'url.query': "ma=1%27%20OR%201=1--%20&tinh=' UNION SELECT password FROM users--",
      'http.version': '1.1',
      'event.outcome': 'failure',
      'user_agent.original': 'sqlmap/1.8#stable (https://sqlmap.org)',
    },
  },
  {
    name: 'nginx \\x22 escapes decoded in request and user agent',
    line: '45.142.120.7 - - [01/May/2024:09:15:05 +0700] "GET /tim-kiem?q=\\x22><script>alert(1)</script> HTTP/1.1" 400 157 "-" "curl \\x22probe\\x22 \\x5Cpath"',
    fields: {
      'url.query': 'q="><script>alert(1)</script>',
      'url.original': '/tim-kiem?q="><script>alert(1)</script>',
      'user_agent.original': 'curl "probe" \\path',
    },
  },
  {
    name: 'nginx escapes UTF-8 bytes one by one; they decode back to Vietnamese text',
    line: '113.185.42.9 - - [01/May/2024:09:15:06 +0700] "GET / HTTP/1.1" 200 612 "-" "Mozilla/5.0 C\\xE1\\xBB\\x91c C\\xE1\\xBB\\x91c/117.0"',
    fields: { 'user_agent.original': 'Mozilla/5.0 Cốc Cốc/117.0', 'url.path': '/' },
  },
  {
    name: 'request line "-" (connection closed before a request): no http.request, still an event',
    line: '171.244.3.8 - - [01/May/2024:09:15:07 +0700] "-" 400 0 "-" "-"',
    fields: { 'http.request.method': undefined, 'url': undefined, 'user_agent': undefined, 'http.response.status_code': 400, 'event.outcome': 'failure' },
  },
  {
    name: 'TLS handshake sent to the plain-HTTP port: binary request, no method',
    line: '171.244.3.8 - - [01/May/2024:09:15:07 +0700] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"',
    fields: { 'http.request.method': undefined, 'url': undefined, 'http.response.status_code': 400 },
  },
  {
    name: 'absolute-form request (open-proxy probe)',
    line: '185.220.101.4 - - [01/May/2024:09:15:08 +0700] "GET http://Example.com:8080/proxy-check?x=1 HTTP/1.1" 404 0 "-" "Go-http-client/1.1"',
    fields: { 'url.scheme': 'http', 'url.domain': 'Example.com', 'url.port': 8080, 'url.path': '/proxy-check', 'url.query': 'x=1' },
  },
  {
    name: 'CONNECT authority-form',
    line: '185.220.101.4 - - [01/May/2024:09:15:08 +0700] "CONNECT api.ipify.org:443 HTTP/1.1" 400 0 "-" "-"',
    fields: { 'http.request.method': 'CONNECT', 'url.domain': 'api.ipify.org', 'url.port': 443, 'url.path': undefined },
  },
  {
    name: 'a "?" with nothing after it gives an empty url.query (ECS url.query)',
    line: '1.53.200.17 - - [01/May/2024:09:15:09 +0700] "GET /index.php? HTTP/1.1" 200 10 "-" "-"',
    fields: { 'url.path': '/index.php', 'url.query': '', 'url.extension': 'php' },
  },
  {
    name: 'path probe with a fragment and dot-file',
    line: '1.53.200.17 - - [01/May/2024:09:15:09 +0700] "GET /.env#x HTTP/1.1" 403 0 "-" "-"',
    fields: { 'url.path': '/.env', 'url.fragment': 'x', 'url.query': undefined },
  },
  {
    name: 'negative zone offset crossing midnight and the year',
    line: '8.8.4.4 - - [31/Dec/2023:22:30:00 -0700] "GET / HTTP/1.1" 200 1 "-" "-"',
    fields: { '@timestamp': '2024-01-01T05:30:00.000Z' },
  },
  {
    name: 'HTTP/0.9 simple request: method and target only',
    line: '8.8.4.4 - - [01/May/2024:09:15:10 +0700] "GET /" 200 1',
    fields: { 'http.request.method': 'GET', 'url.path': '/', 'http.version': undefined },
  },
  {
    name: 'custom trailing fields after X-Forwarded-For are ignored',
    line: '8.8.4.4 - - [01/May/2024:09:15:10 +0700] "GET /a HTTP/1.1" 200 1 "-" "-" "-" 0.012 upstream=10.0.0.2:8080',
    fields: { 'url.path': '/a', 'http.response.status_code': 200 },
  },
];

describe('nginxNormaliser: valid lines', () => {
  it.each(valid)('$name', ({ line, fields }) => {
    const result = normalise(line);
    expect(result).not.toBeInstanceOf(Malformed);
    for (const [path, value] of Object.entries(fields)) expect(getField(result as EcsObject, path), path).toEqual(value);
  });

  it('produces exactly the ECS event for a combined line', () => {
    expect(normalise('1.2.3.4 - - [01/May/2024:09:15:02 +0700] "GET /a.js?v=2 HTTP/1.1" 200 10 "-" "ua"')).toEqual({
      '@timestamp': '2024-05-01T02:15:02.000Z',
      event: { kind: 'event', category: ['web'], type: ['access'], outcome: 'success', dataset: 'nginx.access', module: 'nginx' },
      source: { address: '1.2.3.4', ip: '1.2.3.4' },
      http: { request: { method: 'GET' }, response: { status_code: 200, body: { bytes: 10 } }, version: '1.1' },
      url: { original: '/a.js?v=2', path: '/a.js', extension: 'js', query: 'v=2' },
      user_agent: { original: 'ua' },
    });
  });

  it('handles huge lines (100 KB query, 64 KB user agent)', () => {
    const query = 'q=' + 'A'.repeat(100_000);
    const ua = 'Mozilla/5.0 ' + 'x'.repeat(64 * 1024);
    const result = normalise(`1.2.3.4 - - [01/May/2024:09:15:02 +0700] "GET /s?${query} HTTP/1.1" 414 0 "-" "${ua}"`) as EcsObject;
    expect(getField(result, 'url.query')).toBe(query);
    expect(getField(result, 'user_agent.original')).toBe(ua);
    expect(getField(result, 'event.outcome')).toBe('failure');
  });

  it('gives each line its own time when consecutive lines differ (time cache)', () => {
    const a = normalise('1.2.3.4 - - [01/May/2024:09:15:02 +0700] "GET / HTTP/1.1" 200 1') as EcsObject;
    const b = normalise('1.2.3.4 - - [01/May/2024:09:15:02 +0700] "GET / HTTP/1.1" 200 1') as EcsObject;
    const c = normalise('1.2.3.4 - - [01/May/2024:09:15:03 +0700] "GET / HTTP/1.1" 200 1') as EcsObject;
    expect([a['@timestamp'], b['@timestamp'], c['@timestamp']]).toEqual(['2024-05-01T02:15:02.000Z', '2024-05-01T02:15:02.000Z', '2024-05-01T02:15:03.000Z']);
  });
});

const T = '[01/May/2024:09:15:02 +0700]';
const malformed: { line: string; reason: string }[] = [
  { line: '', reason: 'nginx: expected a [timestamp] after the client address' },
  { line: 'GET /index.html', reason: 'nginx: expected a [timestamp] after the client address' },
  { line: `1.2.3.4 - ${T} "GET / HTTP/1.1" 200 1`, reason: 'nginx: expected "client ident user" before the timestamp, found 2 fields' },
  { line: `portal.gov.vn:443 1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1`, reason: 'nginx: expected "client ident user" before the timestamp, found 4 fields' },
  { line: `1.2.3.4  - ${T} "GET / HTTP/1.1" 200 1`, reason: 'nginx: empty field before the timestamp' },
  { line: '1.2.3.4 - - [2024-05-01T09:15:02+07:00] "GET / HTTP/1.1" 200 1', reason: 'nginx: expected a [dd/Mon/yyyy:hh:mm:ss +hhmm] timestamp' },
  { line: '1.2.3.4 - - [01/Foo/2024:09:15:02 +0700] "GET / HTTP/1.1" 200 1', reason: 'nginx: invalid timestamp "01/Foo/2024:09:15:02 +0700"' },
  { line: '1.2.3.4 - - [31/Feb/2024:09:15:02 +0700] "GET / HTTP/1.1" 200 1', reason: 'nginx: invalid timestamp "31/Feb/2024:09:15:02 +0700"' },
  { line: '1.2.3.4 - - [01/May/2024:25:15:02 +0700] "GET / HTTP/1.1" 200 1', reason: 'nginx: invalid timestamp "01/May/2024:25:15:02 +0700"' },
  { line: '1.2.3.4 - - [01/May/2024:09:15:02 0700x] "GET / HTTP/1.1" 200 1', reason: 'nginx: invalid timestamp "01/May/2024:09:15:02 0700x"' },
  { line: `1.2.3.4 - - ${T} GET / HTTP/1.1 200 1`, reason: 'nginx: expected a quoted request line after the timestamp' },
  { line: `1.2.3.4 - - ${T}`, reason: 'nginx: expected a quoted request line after the timestamp' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1 200 1`, reason: 'nginx: unterminated request line' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1"200 1`, reason: 'nginx: expected a space after the request line' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" OK 1`, reason: 'nginx: expected a 3-digit status after the request line, found "OK"' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 2000 1`, reason: 'nginx: expected a 3-digit status after the request line, found "2000"' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200`, reason: 'nginx: expected the response size after the status' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 x12`, reason: 'nginx: expected the response size (digits or -) after the status, found "x12"' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 12kB "-" "-"`, reason: 'nginx: expected the response size (digits or -) after the status, found "12kB"' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1 https://a.vn/ "ua"`, reason: 'nginx: expected a quoted referrer after the response size' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1 "https://a.vn/`, reason: 'nginx: unterminated referrer' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1 "-"`, reason: 'nginx: expected a quoted user agent after the referrer' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0`, reason: 'nginx: unterminated user agent' },
  { line: `1.2.3.4 - - ${T} "GET / HTTP/1.1" 200 1 "-" "ua" "1.2.3.4`, reason: 'nginx: unterminated X-Forwarded-For' },
];

describe('nginxNormaliser: malformed lines', () => {
  it.each(malformed)('$reason: $line', ({ line, reason }) => {
    const result = normalise(line);
    expect(result).toBeInstanceOf(Malformed);
    expect((result as Malformed).reason).toBe(reason);
  });

  it('never throws on random bytes', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const len = (i * 37) % 200;
      for (let j = 0; j < len; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += '1 -[]"\\x:/0A'.charAt(seed % 13);
      }
      expect(() => normalise(s)).not.toThrow();
    }
  });
});

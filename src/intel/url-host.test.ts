import { describe, expect, it } from 'vitest';
import { formatIPv6, parseIPv6 } from './ip.js';
import { type HostRange, locateUrlHost, urlHost } from './url-host.js';

/** What the WHATWG parser says, canonicalised as url-host promises. */
function parserHost(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '';
  }
  if (!['http:', 'https:', 'ftp:', 'ws:', 'wss:'].includes(url.protocol)) return '';
  const host = url.hostname;
  if (host.startsWith('[')) {
    const words = new Int32Array(4);
    return parseIPv6(host, words, 1, host.length - 1) ? formatIPv6(words) : '';
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

const urls = [
  'http://evil.vn/',
  'https://Login.Evil.VN:8443/path?q=1#f',
  'HTTPS://evil.vn',
  'hTtP://evil.vn./x',
  'ws://chat.evil.vn/socket',
  'wss://chat.evil.vn:443',
  'ftp://files.evil.vn/a.zip',
  'http://192.0.2.1:8080/',
  'http://192.0.2.1./',
  'http://1.2.3/',
  'http://0x7f.1/',
  'http://010.1.1.1/',
  'http://user:pw@evil.vn/',
  'http://evil.vn\\path',
  'http://ev%69l.vn/',
  'http://tênmiền.vn/',
  'http://[2001:DB8::1]:80/',
  'http://[::ffff:192.0.2.1]/',
  'http:evil.vn/x',
  'http:/evil.vn/x',
  ' http://evil.vn/',
  'http://evil.vn:80x/',
  'http://under_score.evil.vn/',
  'http:///evil.vn',
  'http://',
  'mailto:a@evil.vn',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'httpx://evil.vn/',
  'gopher://evil.vn/',
  '/relative/path',
  'evil.vn/path',
  '',
  'http://evil.vn?x',
  'http://evil.vn#x',
  'http://a.1/',
  'http://evil.123/',
];

describe('urlHost', () => {
  it.each(urls)('%j agrees with the WHATWG parser', (text) => {
    expect(urlHost(text)).toBe(parserHost(text));
  });

  it('reports a simple URL host as a range of the URL itself', () => {
    const range: HostRange = { text: '', start: 0, end: 0, ipv6: false };
    const url = 'https://login.evil.vn:8443/x';
    expect(locateUrlHost(url, range)).toBe(true);
    expect(range.text).toBe(url);
    expect(url.slice(range.start, range.end)).toBe('login.evil.vn');
    expect(locateUrlHost('http://[2001:db8::1]/', range)).toBe(true);
    expect(range).toEqual({ text: '2001:db8::1', start: 0, end: 11, ipv6: true });
  });
});

/**
 * @module analyze/corpus/http
 * Request-building helpers shared by the benign and attack generators: browser user agents seen on
 * Vietnamese public-service portals, cookies, query/form encoding and multipart bodies.
 */
import type { Rng } from './prng.js';
import { ALNUM, B64URL, DIGITS, HEX } from './prng.js';

export const hosts = ['dichvucong.gov.vn', 'dichvucong.hanoi.gov.vn', 'dvc.hochiminhcity.gov.vn', 'dichvucong.danang.gov.vn', 'csdl.dichvucong.gov.vn', 'vneid.gov.vn'] as const;

export function userAgent(rng: Rng): string {
  const android = rng.pick(['10', '11', '12', '13', '14']);
  const device = rng.pick(['SM-A525F', 'SM-G991B', 'Redmi Note 11', 'CPH2239', 'vivo 1904', 'RMX3085']);
  const chrome = `${rng.int(118, 131)}.0.${rng.int(5000, 6800)}.${rng.int(10, 200)}`;
  const ios = `${rng.int(15, 18)}_${rng.int(0, 6)}`;
  switch (rng.int(0, 6)) {
    case 0:
      return `Mozilla/5.0 (Linux; Android ${android}; ${device}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Mobile Safari/537.36`;
    case 1:
      return `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${rng.int(15, 18)}.${rng.int(0, 5)} Mobile/15E148 Safari/604.1`;
    case 2:
      return `Mozilla/5.0 (Linux; Android ${android}; ${device} Build/TP1A.${rng.int(220000, 240000)}.00${rng.int(1, 9)}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${chrome} Mobile Safari/537.36 Zalo android/${rng.int(12, 24)}${rng.int(10000, 99999)} ZaloTheme/light ZaloLanguage/vi`;
    case 3:
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/${rng.int(110, 128)}.0.${rng.int(100, 300)} Chrome/${chrome} Safari/537.36`;
    case 4:
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome} Safari/537.36${rng.chance(0.3) ? ` Edg/${chrome}` : ''}`;
    case 5:
      return `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/${rng.int(400, 560)} ZaloTheme/dark ZaloLanguage/vi`;
    default:
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${rng.int(0, 6)} Safari/605.1.15`;
  }
}

export function cookie(rng: Rng): string {
  const parts = [`JSESSIONID=${rng.chars(HEX.toUpperCase(), 32)}`, `_ga=GA1.1.${rng.int(100000000, 999999999)}.${rng.int(1690000000, 1735000000)}`];
  if (rng.chance(0.6)) parts.push(`lang=${rng.pick(['vi', 'vi-VN', 'en'])}`);
  if (rng.chance(0.4)) parts.push(`TS01${rng.chars(HEX, 6)}=01${rng.chars(HEX, 120)}`);
  if (rng.chance(0.3)) parts.push(`_ga_${rng.chars(ALNUM.toUpperCase().slice(0, 26), 10)}=GS1.1.${rng.int(1700000000, 1735000000)}.${rng.int(1, 40)}.1.${rng.int(1700000000, 1735000000)}.0.0.0`);
  if (rng.chance(0.2)) parts.push(`XSRF-TOKEN=${rng.chars(B64URL, 36)}`);
  return parts.join('; ');
}

/** Headers of an ordinary browser request (optionally without a cookie). */
export function browserHeaders(rng: Rng, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {
    Host: rng.pick(hosts),
    'User-Agent': userAgent(rng),
    Accept: rng.pick(['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', '*/*', 'application/json, text/plain, */*']),
    'Accept-Language': rng.pick(['vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', 'vi,en-US;q=0.9,en;q=0.8', 'vi-VN']),
    'Accept-Encoding': 'gzip, deflate, br',
  };
  if (rng.chance(0.75)) headers['Cookie'] = cookie(rng);
  if (rng.chance(0.5)) headers['Referer'] = `https://${headers['Host'] ?? hosts[0]}/${rng.pick(['', 'p/home/dvc-trang-chu.html', 'dich-vu-cong/tim-kiem', 'tra-cuu-ho-so'])}`;
  return { ...headers, ...extra };
}

/** `encodeURIComponent` with `+` for spaces in a share of cases, as HTML forms send. */
export function encodeValue(value: string, plusForSpace: boolean): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return plusForSpace ? encoded.replace(/%20/g, '+') : encoded;
}

/** `a=1&b=2` from pairs whose values are already encoded. */
export function joinEncoded(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `a=1&b=2` from raw pairs. */
export function formEncode(pairs: readonly (readonly [string, string])[], plusForSpace = true): string {
  return joinEncoded(pairs.map(([k, v]) => [encodeValue(k, false), encodeValue(v, plusForSpace)] as const));
}

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  content: string;
}

export function multipart(rng: Rng, parts: readonly Part[]): { contentType: string; body: string } {
  const boundary = rng.pick([`----WebKitFormBoundary${rng.chars(ALNUM, 16)}`, `----geckoformboundary${rng.chars(HEX, 32)}`, `${'-'.repeat(27)}${rng.chars(DIGITS, 29)}`]);
  let body = '';
  for (const part of parts) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) body += `; filename="${part.filename}"`;
    body += '\r\n';
    if (part.contentType !== undefined) body += `Content-Type: ${part.contentType}\r\n`;
    body += `\r\n${part.content}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}

/** Pseudo-binary file content with the right magic for its type. */
export function fileContent(rng: Rng, ext: string): string {
  const noise = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x20, 0xff));
    return s;
  };
  if (ext === 'pdf') return `%PDF-1.${rng.int(4, 7)}\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n${noise(rng.int(60, 200))}\n%%EOF`;
  if (ext === 'png') return `\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR${noise(rng.int(60, 200))}`;
  if (ext === 'docx') return `PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml${noise(rng.int(60, 200))}`;
  return `\u00ff\u00d8\u00ff\u00e0\u0000\u0010JFIF\u0000\u0001\u0001${noise(rng.int(60, 200))}\u00ff\u00d9`;
}

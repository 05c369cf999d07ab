/**
 * @module analyze/detectors/ssrf
 * Server-side request forgery: URL-valued parameters whose host is internal — loopback,
 * link-local / cloud metadata, RFC 1918 and friends — including the encodings inet_aton accepts
 * (`2130706433`, `0x7f000001`, `017700000001`, `127.1`), IPv6 loopback and v4-mapped forms,
 * and schemes only useful against internal services (`gopher://`, `dict://`, `file://`, …).
 */
import type { Detector, Finding, Input, Transaction } from '../contract.js';
import { parseUrl } from './paths.js';
import { C, L, charsOf, isQuiet, kindOf, lowerOf, skipsQuietInputs } from './facts.js';
import { around, finding, keepBest } from './shared.js';

function parsePart(part: string): number | undefined {
  if (part === '') return undefined;
  if (/^0x[0-9a-f]*$/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8);
  if (/^\d+$/.test(part)) return parseInt(part, 10);
  return undefined;
}

/** inet_aton: 1–4 parts, each decimal/hex/octal; the last fills the remaining bytes. */
export function parseIPv4(host: string): { octets: [number, number, number, number]; canonical: boolean } | undefined {
  const parts = host.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parsePart(p);
    if (n === undefined || !Number.isFinite(n)) return undefined;
    nums.push(n);
  }
  const last = nums.pop() ?? 0;
  for (const n of nums) if (n > 255) return undefined;
  const remaining = 4 - nums.length;
  if (last >= 256 ** remaining) return undefined;
  const bytes = [...nums];
  for (let i = remaining - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  const canonical = parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p));
  return { octets: [a, b, c, d], canonical };
}

interface Verdict {
  score: number;
  kind: string;
}

function classifyV4(a: number, b: number): Verdict | undefined {
  if (a === 127) return { score: 9, kind: 'loopback' };
  if (a === 169 && b === 254) return { score: 9, kind: 'link-local-metadata' };
  if (a === 0) return { score: 8, kind: 'zero-address' };
  if (a === 10) return { score: 7, kind: 'private-10' };
  if (a === 172 && b >= 16 && b <= 31) return { score: 7, kind: 'private-172' };
  if (a === 192 && b === 168) return { score: 7, kind: 'private-192-168' };
  if (a === 100 && b >= 64 && b <= 127) return { score: 6, kind: 'cgnat' };
  return undefined;
}

export function classifyHost(host: string): Verdict | undefined {
  if (host === '') return undefined;
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.localdomain' || host === 'ip6-localhost')
    return { score: 9, kind: 'localhost' };
  if (host === 'metadata.google.internal' || host === 'metadata' || host === 'instance-data' || host.endsWith('.internal') && host.startsWith('metadata'))
    return { score: 9, kind: 'cloud-metadata' };
  if (host.includes(':')) {
    const h = host.replace(/%.*$/, '');
    if (/^(?:0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1') return { score: 9, kind: 'ipv6-loopback' };
    if (h === '::' || /^(?:0{0,4}:){2,7}0{0,4}$/.test(h)) return { score: 8, kind: 'ipv6-unspecified' };
    const mapped = /^(?:0{0,4}:){2,5}ffff:(.+)$/.exec(h);
    if (mapped) {
      const rest = mapped[1] ?? '';
      const hx = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(rest);
      const v4 = hx ? parseIPv4(`${parseInt(hx[1] ?? '0', 16) >> 8}.${parseInt(hx[1] ?? '0', 16) & 255}.${parseInt(hx[2] ?? '0', 16) >> 8}.${parseInt(hx[2] ?? '0', 16) & 255}`) : parseIPv4(rest);
      if (v4) {
        const v = classifyV4(v4.octets[0], v4.octets[1]);
        if (v) return { score: Math.min(9, v.score + 1), kind: `ipv6-mapped-${v.kind}` };
      }
    }
    if (/^fe[89ab][0-9a-f]:/.test(h)) return { score: 8, kind: 'ipv6-link-local' };
    if (/^f[cd][0-9a-f]{2}:/.test(h)) return { score: 7, kind: 'ipv6-unique-local' };
    return undefined;
  }
  // Wildcard-DNS services that resolve to the embedded address (127.0.0.1.nip.io).
  const wildcard = /^(?:.*?[.-])?(\d+[.-]\d+[.-]\d+[.-]\d+)\.(?:nip\.io|xip\.io|sslip\.io|localtest\.me)$/.exec(host);
  if (host === 'localtest.me' || host.endsWith('.localtest.me')) return { score: 8, kind: 'loopback-dns' };
  if (wildcard) {
    const v4 = parseIPv4((wildcard[1] ?? '').replace(/-/g, '.'));
    const v = v4 ? classifyV4(v4.octets[0], v4.octets[1]) : undefined;
    if (v) return { score: Math.min(9, v.score + 1), kind: `wildcard-dns-${v.kind}` };
  }
  if (!/^[0-9a-fx.]+$/.test(host)) return undefined;
  const v4 = parseIPv4(host);
  if (!v4) return undefined;
  const v = classifyV4(v4.octets[0], v4.octets[1]);
  if (!v) return undefined;
  return v4.canonical ? v : { score: Math.min(9, v.score + 1), kind: `encoded-${v.kind}` };
}

/**
 * Schemes besides http(s) that a URL fetcher may speak, with the score the scheme earns on its own
 * (0: judged only by its host, like http). `ftp`/`ftps` reach internal FTP servers and, through
 * the PASV reply, any internal port; they are as common in fetchers as http, so only an internal
 * host decides.
 */
const internalSchemes: ReadonlyMap<string, number> = new Map([
  ['gopher', 9], ['dict', 9], ['file', 8], ['ldap', 0], ['tftp', 8], ['jar', 0], ['netdoc', 8], ['sftp', 0], ['ldaps', 0], ['ftp', 0], ['ftps', 0],
]);

function inspectSsrf(input: Input): Finding | undefined {
  const value = input.decoded;
  if ((charsOf(input) & C.slash) === 0 || !value.includes('//')) return undefined;
  const lower = lowerOf(input);
  let best: Finding | undefined;
  const urlStart = /(?:^|[\s"'=(,;|<>@])((?:[a-z][a-z0-9+.-]*:)?\/\/)/g;
  let m: RegExpExecArray | null;
  while ((m = urlStart.exec(lower)) !== null) {
    const start = m.index + m[0].length - (m[1] ?? '').length;
    const token = lower.slice(start).split(/[\s"'<>]/, 1)[0] ?? '';
    const url = parseUrl(token);
    if (!url) continue;
    const schemeScore = internalSchemes.get(url.scheme);
    if (url.scheme !== '' && url.scheme !== 'http' && url.scheme !== 'https' && schemeScore === undefined) continue;
    if (url.scheme === '' && start !== 0) continue;
    const host = classifyHost(url.host);
    let score = host?.score ?? 0;
    let reason = host ? `ssrf:${host.kind}` : '';
    if (schemeScore !== undefined && schemeScore > 0 && schemeScore >= score) {
      score = Math.max(schemeScore, host ? host.score + 1 : 0);
      reason = `ssrf:scheme-${url.scheme}${host ? '-' + host.kind : ''}`;
    }
    if (url.host.startsWith('169.254.169.254') || /latest\/meta-data|computemetadata|metadata\/instance/.test(url.path)) {
      score = Math.max(score, 9);
      reason ||= 'ssrf:metadata-path';
    }
    if (score > 0 && (!best || score > best.score)) best = finding('ssrf', Math.min(9, score), input.location, around(value, start), reason);
  }
  return best;
}

export const ssrfDetector: Detector = {
  name: 'ssrf',
  inspect(_transaction: Transaction, inputs: readonly Input[]): Finding[] {
    const out: Finding[] = [];
    for (const input of inputs) {
      if ((kindOf(input) & (L.param | L.body)) === 0 || isQuiet(input)) continue;
      const f = inspectSsrf(input);
      if (f) out.push(f);
    }
    return keepBest(out, 5);
  },
};

skipsQuietInputs.add(ssrfDetector);

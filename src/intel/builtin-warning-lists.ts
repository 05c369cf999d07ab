/**
 * @module intel/builtin-warning-lists
 * The warning lists Vigil ships, each with a name (what an analyst sees as the reason a value was
 * not alerted on) and a description. All were written by hand for Vigil from the cited RFCs and
 * the operators' published documentation; nothing is fetched at run time. The CDN list is a
 * sample (one provider, as published when written): the mechanism for more and fresher ones is a
 * user list or an imported MISP warning list (intel/warning-lists `warningListFromMisp`).
 *
 * `documentation` is not enabled by default: the documentation ranges and names are what tests,
 * demos and training exercises use, and they must be able to match.
 */
import type { WarningListSpec } from './warning-lists.js';

export const builtinWarningLists: readonly WarningListSpec[] = Object.freeze([
  {
    name: 'public-dns-resolvers',
    description: 'Well-known public DNS resolvers (Google, Cloudflare, Quad9, OpenDNS, AdGuard): every network talks to them.',
    ranges: [
      '8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844',
      '1.1.1.1', '1.0.0.1', '1.1.1.2', '1.0.0.2', '1.1.1.3', '1.0.0.3', '2606:4700:4700::1111', '2606:4700:4700::1001',
      '9.9.9.9', '149.112.112.112', '9.9.9.10', '149.112.112.10', '9.9.9.11', '149.112.112.11', '2620:fe::fe', '2620:fe::9',
      '208.67.222.222', '208.67.220.220', '2620:119:35::35', '2620:119:53::53',
      '94.140.14.14', '94.140.15.15',
    ],
    domains: ['dns.google', 'one.one.one.one', 'cloudflare-dns.com', 'dns.quad9.net', 'doh.opendns.com', 'dns.adguard-dns.com'],
  },
  {
    name: 'private-and-reserved',
    description: 'Private, shared, loopback, link-local, multicast and reserved addresses (RFC 1918, RFC 6890 special-purpose registries, RFC 6598) and local-only names (RFC 6761, RFC 6762, RFC 8375).',
    ranges: [
      '0.0.0.0/8', // "this network", RFC 791 / RFC 6890 §2.2.2
      '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', // RFC 1918 §3
      '100.64.0.0/10', // shared address space (carrier-grade NAT), RFC 6598
      '127.0.0.0/8', // loopback, RFC 1122 §3.2.1.3
      '169.254.0.0/16', // link-local, RFC 3927
      '192.0.0.0/24', // IETF protocol assignments, RFC 6890 §2.2.2
      '198.18.0.0/15', // benchmarking, RFC 2544
      '224.0.0.0/4', // multicast, RFC 5771
      '240.0.0.0/4', // reserved, RFC 1112 §4 (includes the limited broadcast 255.255.255.255)
      '::/128', '::1/128', // unspecified and loopback, RFC 4291 §2.5.2–3
      '100::/64', // discard-only, RFC 6666
      '2001:2::/48', // benchmarking, RFC 5180
      'fc00::/7', // unique local, RFC 4193
      'fe80::/10', // link-local, RFC 4291 §2.5.6
      'ff00::/8', // multicast, RFC 4291 §2.7
    ],
    domains: ['*.localhost', '*.local', '*.home.arpa'],
  },
  {
    name: 'documentation',
    description: 'Documentation and example addresses and names (RFC 5737, RFC 3849, RFC 9637, RFC 2606, RFC 6761). Off by default: tests and exercises use them.',
    ranges: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20'],
    domains: ['*.example', '*.test', '*.invalid', '*.example.com', '*.example.net', '*.example.org'],
  },
  {
    name: 'cdn-cloudflare',
    description: "Cloudflare's edge ranges as published at cloudflare.com/ips when this list was written (a sample of CDN lists; import MISP's warning lists for a current and complete set). Many unrelated sites share these addresses.",
    ranges: [
      '173.245.48.0/20', '103.21.244.0/22', '103.22.200.0/22', '103.31.4.0/22', '141.101.64.0/18', '108.162.192.0/18',
      '190.93.240.0/20', '188.114.96.0/20', '197.234.240.0/22', '198.41.128.0/17', '162.158.0.0/15', '104.16.0.0/13',
      '104.24.0.0/14', '172.64.0.0/13', '131.0.72.0/22',
      '2400:cb00::/32', '2606:4700::/32', '2803:f800::/32', '2405:b500::/32', '2405:8100::/32', '2a06:98c0::/29', '2c0f:f248::/32',
    ],
  },
  {
    name: 'public-suffixes',
    description: 'Names under which anyone can register or host (a hand-picked part of the Public Suffix List that matters here): an indicator equal to one would match every customer under it.',
    domains: [
      'com.vn', 'net.vn', 'org.vn', 'edu.vn', 'gov.vn', 'ac.vn', 'biz.vn', 'info.vn', 'name.vn', 'pro.vn', 'health.vn', 'int.vn',
      'co.uk', 'org.uk', 'gov.uk', 'ac.uk', 'com.au', 'net.au', 'com.cn', 'net.cn', 'gov.cn', 'co.jp', 'ne.jp', 'or.jp',
      'com.br', 'co.kr', 'com.sg', 'com.tw', 'co.id', 'com.my', 'co.th', 'in.th', 'com.ph',
      'github.io', 'githubusercontent.com', 'blogspot.com', 'herokuapp.com', 'azurewebsites.net', 'cloudfront.net',
      'amazonaws.com', 'appspot.com', 'web.app', 'firebaseapp.com', 'netlify.app', 'vercel.app', 'pages.dev', 'workers.dev',
      'duckdns.org', 'ddns.net', 'no-ip.org', 'ngrok.io', 'ngrok-free.app', 'trycloudflare.com',
    ],
  },
  {
    name: 'empty-file-hashes',
    description: 'Hashes of the empty file: every system has one, a feed listing it is a mistake.',
    values: ['d41d8cd98f00b204e9800998ecf8427e', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  },
]);

/** Built-in lists enabled when the configuration names none: all but `documentation`. */
export const defaultBuiltinWarningListNames: readonly string[] = Object.freeze(builtinWarningLists.map((list) => list.name).filter((name) => name !== 'documentation'));

/** The built-in lists with these names, or the names that do not exist. */
export function builtinWarningListsNamed(names: readonly string[]): { lists: WarningListSpec[] } | { unknown: string[] } {
  const unknown = names.filter((name) => !builtinWarningLists.some((list) => list.name === name));
  if (unknown.length > 0) return { unknown };
  return { lists: builtinWarningLists.filter((list) => names.includes(list.name)) };
}

/**
 * @module intel/feed-destination
 * Where a feed managed over the API may be read from. An analyst of a province chooses its URL, and
 * the centre fetches it from inside its own network: without a check, a feed could read the
 * centre's internal services or cloud metadata and show their answers back as run errors. So the
 * host's addresses (every one DNS gives) must be public: none in the special-purpose ranges of the
 * IANA registries (RFC 6890 and its updates) — unspecified, loopback, private (RFC 1918, RFC 4193),
 * shared CGN (RFC 6598), link-local, benchmarking, multicast and reserved. Operators whose MISP or
 * TAXII servers are internal allow private networks in the configuration
 * (`intel.feeds.allowPrivateNetworks`). Redirects are not followed by the clients, so a public
 * server cannot bounce a run inward; a host that resolves differently between the check and the
 * request (DNS rebinding) is not caught here.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const special = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) special.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) special.addSubnet(address, prefix, 'ipv6');

/** True for an address no feed of the API may reach (IPv4-mapped IPv6 judged as its IPv4). */
export function isSpecialPurposeAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return special.check(mapped[1] as string, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return special.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type HostLookup = (host: string) => Promise<string[]>;

const systemLookup: HostLookup = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Throws, saying why, unless every address of the URL's host is public. */
export async function assertPublicDestination(url: string, lookup: HostLookup = systemLookup): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : await lookup(host);
  } catch (err) {
    throw new Error(`cannot resolve ${host}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const inward = addresses.find(isSpecialPurposeAddress);
  if (addresses.length === 0 || inward !== undefined) {
    throw new Error(`${host} resolves to ${inward ?? 'nothing'}, a private or special-purpose address; feeds added over the API read only public hosts unless intel.feeds.allowPrivateNetworks is set`);
  }
}

/**
 * @module demo/firewall-traffic
 * A province's perimeter firewall (a FortiGate in CEF mode) as the syslog relay forwards it:
 * allowed sessions of citizens reaching the portal servers in the DMZ and of officials going out.
 * The record layout follows FortiOS 7.2's CEF mapping (standard CEF keys where one exists, vendor
 * keys prefixed `FTNTFGT` otherwise); the hostile deny and IPS records live in `hostile-traffic`.
 */
import { citizenAddress } from './population.js';
import type { Random } from './random.js';
import type { CefRecord } from './syslog-line.js';
import { formatCef, priority, rfc3164Untagged } from './syslog-line.js';

export interface Firewall {
  hostname: string;
  serial: string;
  /** Servers in the DMZ that publish the portals. */
  dmzServers: readonly string[];
  /** Officials' LAN. */
  lanSubnet: string;
}

/** The header fields every FortiGate CEF record starts with. */
export function fortigateHead(fw: Firewall, time: number, logId: string, cat: string, subtype: string, level: string): [string, string | number][] {
  return [
    ['deviceExternalId', fw.serial],
    ['FTNTFGTeventtime', `${time}000000`], // nanoseconds
    ['FTNTFGTtz', '+0700'],
    ['FTNTFGTlogid', logId],
    ['cat', cat],
    ['FTNTFGTsubtype', subtype],
    ['FTNTFGTlevel', level],
    ['FTNTFGTvd', 'root'],
  ];
}

export function fortigateLine(fw: Firewall, time: number, record: Omit<CefRecord, 'vendor' | 'product' | 'version'>): string {
  const pri = record.severity >= 7 ? priority('local7', 'alert') : record.severity >= 5 ? priority('local7', 'warning') : priority('local7', 'notice');
  return rfc3164Untagged(pri, time, fw.hostname, formatCef({ vendor: 'Fortinet', product: 'FortiGate', version: '7.2', ...record }));
}

/** `count` allowed sessions (inbound to the portals, outbound from the LAN) closing in the second before `time`. */
export function firewallTrafficLines(rng: Random, fw: Firewall, time: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = time - 1000 + rng.int(0, 999);
    const inbound = rng.chance(0.7);
    const src = inbound ? citizenAddress(rng) : rng.ipv4In(fw.lanSubnet);
    const dst = inbound ? rng.pick(fw.dmzServers) : citizenAddress(rng);
    const app = inbound ? 'HTTPS' : rng.pick(['HTTPS', 'DNS', 'NTP'] as const);
    const dpt = app === 'DNS' ? 53 : app === 'NTP' ? 123 : 443;
    out.push(
      fortigateLine(fw, at, {
        signatureId: '0000000013',
        name: 'traffic:forward close',
        severity: 3,
        extension: [
          ...fortigateHead(fw, at, '0000000013', 'traffic:forward', 'forward', 'notice'),
          ['src', src],
          ['spt', rng.int(32768, 65535)],
          ['deviceInboundInterface', inbound ? 'port1' : 'port2'],
          ['FTNTFGTsrcintfrole', inbound ? 'wan' : 'lan'],
          ['dst', dst],
          ['dpt', dpt],
          ['deviceOutboundInterface', inbound ? 'port3' : 'port1'],
          ['FTNTFGTdstintfrole', inbound ? 'dmz' : 'wan'],
          ['FTNTFGTsrccountry', inbound ? 'Vietnam' : 'Reserved'],
          ['FTNTFGTdstcountry', inbound ? 'Reserved' : 'Vietnam'],
          ['externalId', rng.int(10_000_000, 99_999_999)],
          ['proto', dpt === 443 ? 6 : 17],
          ['act', 'close'],
          ['FTNTFGTpolicyid', inbound ? 12 : 3],
          ['FTNTFGTpolicytype', 'policy'],
          ['app', app],
          ['FTNTFGTduration', rng.int(1, 180)],
          ['out', rng.int(400, 20_000)],
          ['in', rng.int(1_000, 400_000)],
          ['FTNTFGTsentpkt', rng.int(5, 60)],
          ['FTNTFGTrcvdpkt', rng.int(5, 400)],
        ],
      }),
    );
  }
  return out;
}

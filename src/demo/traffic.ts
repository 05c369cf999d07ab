/**
 * @module demo/traffic
 * What each demo sensor sends in one second: the sensor's traffic profile (a portal, a domain
 * controller, an SSO, or the syslog relay of a province's firewall and Linux servers), its share of
 * the demo's volume at that time of day, and one batch mixing the benign generators with the
 * hostile share. Pure functions of the PRNG and the clock; the simulator does the sending.
 */
import type { EcsObject } from '../core/event.js';
import type { HttpAccess } from './access-log.js';
import { formatAccessLog } from './access-log.js';
import type { LinuxFleet } from './admin-activity.js';
import { adminSyslogLines, adminWindowsEvents } from './admin-activity.js';
import type { Firewall } from './firewall-traffic.js';
import { firewallTrafficLines } from './firewall-traffic.js';
import { bruteForceLogons, firewallHostileLines, hostileWebAccesses, sshBruteForceLines, ssoPasswordSpray } from './hostile-traffic.js';
import type { Directory, SsoRealm } from './official-logins.js';
import { directoryFor, officeActivity, officialWindowsLogons, ssoLoginRecords, ssoRealm } from './official-logins.js';
import type { PortalSite } from './portal-traffic.js';
import { citizenAccesses, citizenActivity } from './portal-traffic.js';
import type { Random } from './random.js';
import { deriveSeed } from './random.js';
import { findDemoOrg } from './tree.js';

/** What the simulator needs to know of a demo sensor. */
export interface DemoSensorRef {
  name: string;
  orgCode: string;
  format: string | null;
  transport: 'http' | 'syslog';
  portalHost?: string;
}

export type TrafficProfile =
  | { kind: 'portal'; site: PortalSite; weight: number }
  | { kind: 'windows'; directory: Directory; weight: number }
  | { kind: 'sso'; realm: SsoRealm; weight: number }
  | { kind: 'syslog'; fleet: LinuxFleet; firewall: Firewall; weight: number };

/** A private /16 per organisation, stable across runs: `10.<n>.0.0/16`. */
function orgOctet(orgCode: string): number {
  return 10 + (deriveSeed(3, orgCode) % 240);
}

/** `VN-HN-SKHCN` → `hanoi` (the province's domain label), `VN-BCA` → `bca`. */
function orgSlug(orgCode: string): string {
  const province = findDemoOrg(orgCode.split('-').slice(0, 2).join('-'));
  const label = province?.kind === 'province' ? province.portals[0]?.split('.')[0] : undefined;
  return label ?? (orgCode.split('-')[1] ?? orgCode).toLowerCase();
}

export function trafficProfile(sensor: DemoSensorRef): TrafficProfile {
  const octet = orgOctet(sensor.orgCode);
  const slug = orgSlug(sensor.orgCode);
  if (sensor.transport === 'syslog') {
    const upper = (sensor.orgCode.split('-')[1] ?? 'X').toUpperCase();
    return {
      kind: 'syslog',
      weight: 2,
      fleet: { hostnames: ['dvc-web01', 'dvc-web02', 'dvc-db01', 'qlvb-app01', 'mail01'], adminSubnet: `10.${octet}.250.0/24` },
      firewall: {
        hostname: `FGT-${upper}-01`,
        serial: `FG200FTK2${String(deriveSeed(5, sensor.orgCode) % 10_000_000).padStart(7, '0')}`,
        dmzServers: [`10.${octet}.10.11`, `10.${octet}.10.12`, `10.${octet}.10.21`],
        lanSubnet: `10.${octet}.0.0/17`,
      },
    };
  }
  if (sensor.format === 'windows') {
    const domain = slug.toUpperCase();
    return {
      kind: 'windows',
      weight: 2,
      directory: directoryFor({ computer: `DC01.${slug}.local`, domain, ip: `10.${octet}.1.10` }, `10.${octet}.0.0/17`),
    };
  }
  if (sensor.format === 'json') return { kind: 'sso', weight: 1, realm: ssoRealm(slug, `10.${octet}.0.0/17`) };
  const format = sensor.format === 'apache' || sensor.format === 'w3c' ? sensor.format : 'nginx';
  const host = sensor.portalHost ?? `${slug}.gov.vn`;
  return { kind: 'portal', weight: host === 'dichvucong.gov.vn' ? 4 : 1, site: { host, format, serverIp: `10.${octet}.10.11` } };
}

/** How busy the sensor is at `time` (mean ≈ 1 for citizen-facing systems). */
export function profileActivity(profile: TrafficProfile, time: number): number {
  switch (profile.kind) {
    case 'portal':
      return citizenActivity(time);
    case 'windows':
    case 'sso':
      return 0.1 + 1.5 * officeActivity(time);
    case 'syslog':
      return 0.6 * citizenActivity(time) + 0.6 * officeActivity(time);
  }
}

export type SensorBatch =
  | { kind: 'text'; lines: string[] }
  | { kind: 'ndjson'; objects: EcsObject[] }
  | { kind: 'syslog'; /** Firewall records (a FortiGate sends UDP). */ udp: string[]; /** Linux servers via rsyslog (TCP). */ tcp: string[] };

/** One second of the sensor's traffic: `count` benign records and `hostile` hostile ones. */
export function buildSensorBatch(rng: Random, profile: TrafficProfile, time: number, count: number, hostile: number): SensorBatch {
  switch (profile.kind) {
    case 'portal': {
      const accesses: HttpAccess[] = [...citizenAccesses(rng, profile.site, time, count), ...(hostile > 0 ? hostileWebAccesses(rng, profile.site, time, hostile) : [])];
      accesses.sort((a, b) => a.time - b.time);
      return { kind: 'text', lines: formatAccessLog(accesses, profile.site.format, profile.site.serverIp, time) };
    }
    case 'windows': {
      const admin = rng.round(count * 0.12);
      return {
        kind: 'ndjson',
        objects: [
          ...officialWindowsLogons(rng, profile.directory, time, count - admin),
          ...adminWindowsEvents(rng, profile.directory, time, admin),
          ...(hostile > 0 ? bruteForceLogons(rng, profile.directory, time, hostile) : []),
        ],
      };
    }
    case 'sso':
      return { kind: 'ndjson', objects: [...ssoLoginRecords(rng, profile.realm, time, count), ...(hostile > 0 ? ssoPasswordSpray(rng, profile.realm, time, hostile) : [])] };
    case 'syslog': {
      const linux = rng.round(count * 0.3);
      const hostileSsh = rng.round(hostile * 0.5);
      return {
        kind: 'syslog',
        udp: [...firewallTrafficLines(rng, profile.firewall, time, count - linux), ...(hostile - hostileSsh > 0 ? firewallHostileLines(rng, profile.firewall, time, hostile - hostileSsh) : [])],
        tcp: [...adminSyslogLines(rng, profile.fleet, time, linux), ...(hostileSsh > 0 ? sshBruteForceLines(rng, profile.fleet, time, hostileSsh) : [])],
      };
    }
  }
}

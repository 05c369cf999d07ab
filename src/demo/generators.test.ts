/**
 * @module demo/generators.test
 * Checks that every traffic generator is deterministic for a seed and that what it writes passes the project's normalisers (src/parse, through getNormaliser) as ingest would run them.
 */
import { describe, expect, it } from 'vitest';
import type { EcsEvent, EcsObject } from '../core/event.js';
import { getField } from '../core/event.js';
import type { NormaliseContext, StreamState } from '../parse/normaliser.js';
import { Malformed, SKIP } from '../parse/normaliser.js';
import { getNormaliser } from '../parse/registry.js';
import { adminSyslogLines, adminWindowsEvents } from './admin-activity.js';
import { firewallTrafficLines } from './firewall-traffic.js';
import { bruteForceLogons, firewallHostileLines, hostileWebLines, sshBruteForceLines, ssoPasswordSpray } from './hostile-traffic.js';
import { demoJsonMappings, directoryFor, officeActivity, officialWindowsLogons, ssoLoginRecords, ssoRealm } from './official-logins.js';
import type { PortalSite } from './portal-traffic.js';
import { citizenActivity, portalTrafficLines } from './portal-traffic.js';
import { Random } from './random.js';
import { buildSensorBatch, trafficProfile } from './traffic.js';

// Tuesday 1 July 2025, 09:30 in Hà Nội (02:30 UTC).
const T = Date.UTC(2025, 6, 1, 2, 30, 0);
const nginxSite: PortalSite = { host: 'dichvucong.hanoi.gov.vn', format: 'nginx', serverIp: '10.20.10.11' };
const apacheSite: PortalSite = { host: 'dichvucong.hochiminhcity.gov.vn', format: 'apache', serverIp: '10.30.10.11' };
const iisSite: PortalSite = { host: 'thuedientu.gdt.gov.vn', format: 'w3c', serverIp: '10.40.10.11' };
const directory = directoryFor({ computer: 'DC01.bca.local', domain: 'BCA', ip: '10.50.1.10' }, '10.50.0.0/17');
const realm = ssoRealm('hanoi', '10.60.0.0/17');
const fleet = { hostnames: ['dvc-web01', 'dvc-db01'], adminSubnet: '10.70.250.0/24' };
const firewall = { hostname: 'FGT-DNG-01', serial: 'FG200FTK21234567', dmzServers: ['10.70.10.11'], lanSubnet: '10.70.0.0/17' };

const generators: Record<string, (rng: Random) => (string | EcsObject)[]> = {
  'portal nginx': (rng) => portalTrafficLines(rng, nginxSite, T, 40),
  'portal apache': (rng) => portalTrafficLines(rng, apacheSite, T, 40),
  'portal w3c': (rng) => portalTrafficLines(rng, iisSite, T, 40),
  'windows logons': (rng) => officialWindowsLogons(rng, directory, T, 40),
  'sso logins': (rng) => ssoLoginRecords(rng, realm, T, 40),
  'admin syslog': (rng) => adminSyslogLines(rng, fleet, T, 40),
  'admin windows': (rng) => adminWindowsEvents(rng, directory, T, 40),
  'firewall traffic': (rng) => firewallTrafficLines(rng, firewall, T, 40),
  'hostile web nginx': (rng) => hostileWebLines(rng, nginxSite, T, 40),
  'hostile web w3c': (rng) => hostileWebLines(rng, iisSite, T, 40),
  'brute-force logons': (rng) => bruteForceLogons(rng, directory, T, 40),
  'ssh brute force': (rng) => sshBruteForceLines(rng, fleet, T, 40),
  'sso spray': (rng) => ssoPasswordSpray(rng, realm, T, 40),
  'firewall hostile': (rng) => firewallHostileLines(rng, firewall, T, 40),
};

describe('traffic generators', () => {
  it.each(Object.keys(generators))('%s is deterministic for a seed', (name) => {
    const generate = generators[name];
    if (!generate) throw new Error(name);
    expect(generate(new Random(42))).toEqual(generate(new Random(42)));
    expect(generate(new Random(42))).not.toEqual(generate(new Random(43)));
  });

  it('weights citizens by the time of day and officials by office hours', () => {
    const night = Date.UTC(2025, 6, 1, 20, 0, 0); // 03:00 in Hà Nội
    expect(citizenActivity(T)).toBeGreaterThan(citizenActivity(night) * 5);
    expect(officeActivity(T)).toBe(1);
    expect(officeActivity(night)).toBeLessThan(0.1);
    expect(officeActivity(Date.UTC(2025, 6, 6, 2, 30, 0))).toBeLessThan(0.1); // Sunday
  });

  it('writes real-looking access-log lines', () => {
    const [nginx] = portalTrafficLines(new Random(1), nginxSite, T, 1);
    expect(nginx).toMatch(/^\d+\.\d+\.\d+\.\d+ - - \[01\/Jul\/2025:09:29:\d\d \+0700\] "(GET|POST) \S+ HTTP\/(1\.1|2\.0)" \d{3} \d+ "[^"]*" "Mozilla\/5\.0 [^"]+"$/);
    const iis = portalTrafficLines(new Random(1), iisSite, T, 2);
    expect(iis.slice(0, 4)).toEqual([
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2025-07-01 02:30:00',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
    ]);
    expect(iis[4]).toMatch(/^2025-07-01 02:29:\d\d 10\.40\.10\.11 (GET|POST) \/\S* \S+ 443 - [\d.]+ \S+ \S+ \d{3} 0 \d+ \d+$/);
    const ssh = sshBruteForceLines(new Random(3), fleet, T, 3);
    for (const line of ssh) expect(line).toMatch(/^<\d+>Jul {2}1 09:29:\d\d dvc-(web|db)01 sshd\[\d+\]: /);
    const cef = firewallHostileLines(new Random(5), firewall, T, 1)[0];
    expect(cef).toMatch(/^<\d+>Jul {2}1 09:29:\d\d FGT-DNG-01 CEF:0\|Fortinet\|FortiGate\|7\.2\|\d+\|[^|]+\|\d+\|deviceExternalId=FG200FTK21234567 /);
  });
});

function context(stream: StreamState, jsonMapping?: Readonly<Record<string, string>>, tz = 420): NormaliseContext {
  return { receivedAt: T, tzOffsetMinutes: tz, stream, ...(jsonMapping ? { jsonMapping } : {}) };
}

/** Normalises records as ingest would and returns the events; fails on any rejected record. */
function normalise(format: string, records: (string | EcsObject)[], options: { mapping?: Readonly<Record<string, string>>; tz?: number } = {}): EcsEvent[] {
  const normaliser = getNormaliser(format);
  if (!normaliser) throw new Error(`no normaliser ${format}`);
  const stream: StreamState = {};
  const events: EcsEvent[] = [];
  for (const record of records) {
    const raw = typeof record === 'string' ? { text: record } : { text: JSON.stringify(record), json: record };
    const result = normaliser.normalise(raw, context(stream, options.mapping, options.tz));
    if (result === SKIP) continue;
    if (result instanceof Malformed) throw new Error(`${format} rejected ${raw.text}: ${result.reason}`);
    events.push(result);
  }
  return events;
}

describe('generated records pass the project normalisers', () => {
  const rng = (): Random => new Random(7);
  const cases: [string, string, (string | EcsObject)[], { mapping?: Readonly<Record<string, string>>; tz?: number }?][] = [
    ['portal nginx', 'nginx', [...portalTrafficLines(rng(), nginxSite, T, 300), ...hostileWebLines(rng(), nginxSite, T, 200)]],
    ['portal apache', 'apache', [...portalTrafficLines(rng(), apacheSite, T, 300), ...hostileWebLines(rng(), apacheSite, T, 200)]],
    ['portal w3c', 'w3c', [...portalTrafficLines(rng(), iisSite, T, 300), ...hostileWebLines(rng(), iisSite, T, 200)], { tz: 0 }],
    ['windows', 'windows', [...officialWindowsLogons(rng(), directory, T, 200), ...adminWindowsEvents(rng(), directory, T, 200), ...bruteForceLogons(rng(), directory, T, 100)]],
    ['sso json', 'json', [...ssoLoginRecords(rng(), realm, T, 200), ...ssoPasswordSpray(rng(), realm, T, 50)], { mapping: demoJsonMappings['sso'] ?? {} }],
    ['syslog relay (auto)', 'auto', [...adminSyslogLines(rng(), fleet, T, 200), ...sshBruteForceLines(rng(), fleet, T, 100), ...firewallTrafficLines(rng(), firewall, T, 100), ...firewallHostileLines(rng(), firewall, T, 100)]],
  ];

  it.each(cases)('%s → %s', (_name, format, records, options) => {
    const events = normalise(format, records, options);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(Date.parse(event['@timestamp'])).toBeGreaterThan(T - 2000);
      expect(Date.parse(event['@timestamp'])).toBeLessThanOrEqual(T);
      expect(event.event.kind ?? 'event').toMatch(/^(event|alert)$/);
    }
  });

  it('keeps what detections read: addresses, status codes, users, event codes', () => {
    const web = normalise('nginx', portalTrafficLines(rng(), nginxSite, T, 50));
    for (const e of web) {
      expect(getField(e, 'source.ip')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(typeof getField(e, 'http.response.status_code')).toBe('number');
      expect(getField(e, 'user_agent.original')).toBeTruthy();
    }
    const iis = normalise('w3c', hostileWebLines(rng(), iisSite, T, 20), { tz: 0 });
    for (const e of iis) expect(getField(e, 'url.path')).toBeTruthy();
    const win = normalise('windows', bruteForceLogons(rng(), directory, T, 20));
    for (const e of win) {
      expect(['4624', '4625']).toContain(String(getField(e, 'event.code')));
      expect(getField(e, 'source.ip')).toBeTruthy();
      expect(getField(e, 'user.name')).toBeTruthy();
    }
    const sso = normalise('json', ssoLoginRecords(rng(), realm, T, 20), { mapping: demoJsonMappings['sso'] ?? {} });
    for (const e of sso) {
      expect(getField(e, 'user.name')).toBeTruthy();
      expect(getField(e, 'source.ip')).toBeTruthy();
      expect(['success', 'failure']).toContain(getField(e, 'event.outcome'));
    }
    const cef = normalise('auto', firewallHostileLines(rng(), firewall, T, 20));
    for (const e of cef) expect(getField(e, 'source.ip')).toBeTruthy();
    const ssh = normalise('auto', sshBruteForceLines(rng(), fleet, T, 20));
    for (const e of ssh) expect(getField(e, 'host.hostname') ?? getField(e, 'host.name')).toBeTruthy();
  });

  it('builds a whole sensor batch of each profile that normalises', () => {
    const rng2 = new Random(9);
    const portal = buildSensorBatch(rng2, trafficProfile({ name: 'x', orgCode: 'VN-BTC-CT', format: 'w3c', transport: 'http', portalHost: 'thuedientu.gdt.gov.vn' }), T, 30, 10);
    if (portal.kind !== 'text') throw new Error(portal.kind);
    expect(normalise('w3c', portal.lines, { tz: 0 })).toHaveLength(40);
    const relay = buildSensorBatch(rng2, trafficProfile({ name: 'y', orgCode: 'VN-DNG-SKHCN', format: null, transport: 'syslog' }), T, 30, 10);
    if (relay.kind !== 'syslog') throw new Error(relay.kind);
    expect(normalise('auto', [...relay.udp, ...relay.tcp]).length).toBeGreaterThanOrEqual(40);
  });
});

import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { Sensor } from '../../core/model.js';
import { SyslogSensorResolver } from './sensor-resolver.js';

function makeSensor(id: string, overrides: Partial<Sensor> = {}): Sensor {
  return {
    id,
    orgId: `org-${id}`,
    name: `sensor ${id}`,
    format: null,
    jsonMapping: null,
    timezone: null,
    syslogSources: [],
    tlsClientIds: [],
    ratePerSecond: null,
    keyPrefix: 'vk_test',
    enabled: true,
    demo: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function cert(fields: { CN?: string | string[]; fingerprint256?: string }): PeerCertificate {
  return { subject: fields.CN === undefined ? {} : { CN: fields.CN }, fingerprint256: fields.fingerprint256 } as unknown as PeerCertificate;
}

const FP = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

describe('SyslogSensorResolver.bySourceAddress', () => {
  const resolver = new SyslogSensorResolver([
    makeSensor('range16', { syslogSources: ['10.1.0.0/16'] }),
    makeSensor('range24', { syslogSources: ['10.1.2.0/24'] }),
    makeSensor('host', { syslogSources: ['10.1.2.3'] }),
    makeSensor('v6', { syslogSources: ['2001:db8::/32', '::1'] }),
    makeSensor('mapped', { syslogSources: ['::ffff:192.168.0.0/120'] }),
    makeSensor('off', { syslogSources: ['172.16.0.1'], enabled: false }),
    makeSensor('unaligned', { syslogSources: ['203.0.113.77/24'] }),
  ]);

  const cases: [string, string | null][] = [
    ['10.1.2.3', 'host'],
    ['10.1.2.4', 'range24'],
    ['10.1.9.9', 'range16'],
    ['10.2.0.1', null],
    ['::ffff:10.1.2.3', 'host'],
    ['::FFFF:10.1.2.4', 'range24'],
    ['2001:db8:1::5', 'v6'],
    ['::1', 'v6'],
    ['2001:db9::1', null],
    ['192.168.0.200', 'mapped'],
    ['::ffff:192.168.0.1', 'mapped'],
    ['172.16.0.1', null],
    ['203.0.113.1', 'unaligned'],
    ['fe80::1%eth0', null],
    ['not-an-ip', null],
    ['', null],
  ];
  for (const [ip, expected] of cases) {
    it(`${ip || '(empty)'} → ${expected ?? 'unknown'}`, () => {
      expect(resolver.bySourceAddress(ip)?.id ?? null).toBe(expected);
      expect(resolver.bySourceAddress(ip)?.id ?? null).toBe(expected); // cached answer agrees
    });
  }

  it('reports invalid entries and same-range clashes; the first sensor wins a clash', () => {
    const r = new SyslogSensorResolver([
      makeSensor('a', { syslogSources: ['10.0.0.0/8', 'bogus', '10.0.0.0/33', '::ffff:10.0.0.0/64'] }),
      makeSensor('b', { syslogSources: ['10.9.0.0/8'] }),
    ]);
    expect(r.problems.map((p) => [p.sensorId, p.entry])).toEqual([
      ['a', 'bogus'],
      ['a', '10.0.0.0/33'],
      ['a', '::ffff:10.0.0.0/64'],
      ['b', '10.9.0.0/8'],
    ]);
    expect(r.bySourceAddress('10.1.1.1')?.id).toBe('a');
  });

  it('byId knows only enabled sensors', () => {
    expect(resolver.byId('host')?.id).toBe('host');
    expect(resolver.byId('off')).toBeNull();
  });
});

describe('SyslogSensorResolver.byTlsClient', () => {
  const resolver = new SyslogSensorResolver([
    makeSensor('by-cn', { tlsClientIds: ['sensor-a.agency.gov.vn'] }),
    makeSensor('by-fp', { tlsClientIds: [FP.toLowerCase().replace(/:/g, '')] }),
    makeSensor('off', { tlsClientIds: ['disabled.agency.gov.vn'], enabled: false }),
  ]);

  it('matches the subject CN exactly', () => {
    expect(resolver.byTlsClient(cert({ CN: 'sensor-a.agency.gov.vn' }))?.id).toBe('by-cn');
    expect(resolver.byTlsClient(cert({ CN: 'sensor-b.agency.gov.vn' }))).toBeNull();
  });

  it('matches the SHA-256 fingerprint, case-insensitively, colons optional, before the CN', () => {
    expect(resolver.byTlsClient(cert({ fingerprint256: FP }))?.id).toBe('by-fp');
    expect(resolver.byTlsClient(cert({ CN: 'sensor-a.agency.gov.vn', fingerprint256: FP }))?.id).toBe('by-fp');
    const byColonUpper = new SyslogSensorResolver([makeSensor('x', { tlsClientIds: [FP] })]);
    expect(byColonUpper.byTlsClient(cert({ fingerprint256: FP.toLowerCase() }))?.id).toBe('x');
  });

  it('ignores disabled sensors, several CNs and empty certificates', () => {
    expect(resolver.byTlsClient(cert({ CN: 'disabled.agency.gov.vn' }))).toBeNull();
    expect(resolver.byTlsClient(cert({ CN: ['sensor-a.agency.gov.vn', 'other'] }))).toBeNull();
    expect(resolver.byTlsClient({} as PeerCertificate)).toBeNull();
  });

  it('reports a client id claimed by two sensors', () => {
    const r = new SyslogSensorResolver([makeSensor('a', { tlsClientIds: ['dup'] }), makeSensor('b', { tlsClientIds: ['dup'] })]);
    expect(r.problems).toEqual([{ sensorId: 'b', entry: 'dup', reason: 'also a TLS client id of sensor a, which wins' }]);
    expect(r.byTlsClient(cert({ CN: 'dup' }))?.id).toBe('a');
  });
});

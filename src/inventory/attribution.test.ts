import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { SystemAttributor, type AttributableSystem } from './attribution.js';

function system(id: string, orgId: string, patch: Partial<AttributableSystem> = {}): AttributableSystem {
  return { id, orgId, hostnames: [], urls: [], ipRanges: [], sensorIds: [], createdAt: `2026-11-25T00:00:0${id.length % 10}.000Z`, ...patch };
}

function event(orgId: string, fields: Record<string, unknown>): EcsEvent {
  return { '@timestamp': '2026-11-25T08:00:00.000Z', event: { kind: 'event' }, organization: { id: orgId }, ...fields } as EcsEvent;
}

const systems: AttributableSystem[] = [
  system('portal', 'hn', { hostnames: ['dichvucong.hanoi.gov.vn'], urls: ['https://cong.hanoi.gov.vn/dvc'] }),
  system('everything', 'hn', { hostnames: ['*.hanoi.gov.vn'], ipRanges: ['10.0.0.0/8'] }),
  system('sub', 'hn', { hostnames: ['*.noibo.hanoi.gov.vn'], urls: ['https://cong.hanoi.gov.vn/dvc/thanh-toan'] }),
  system('dmz', 'hn', { ipRanges: ['10.20.0.0/16', '2001:db8:10::/48'] }),
  system('db', 'hn', { ipRanges: ['10.20.30.40/32'], sensorIds: ['sen_db'] }),
  system('v6', 'hn', { ipRanges: ['2001:db8:10:20::/64'] }),
  system('shared-a', 'hn', { sensorIds: ['sen_proxy'] }),
  system('shared-b', 'hn', { sensorIds: ['sen_proxy'] }),
  // Another province, using the same private range and host name: tenancy decides.
  system('hcm-portal', 'hcm', { hostnames: ['dichvucong.hanoi.gov.vn', '*.hcm.gov.vn'], ipRanges: ['10.20.30.0/24', '10.20.30.40/32'], sensorIds: ['sen_hcm'] }),
];
const attributor = new SystemAttributor(systems);

describe('attribution of events to information systems', () => {
  it.each([
    ['exact host name beats the wildcard', { url: { domain: 'DichVuCong.HaNoi.gov.vn.' } }, 'portal', 'hostname'],
    ['exact host name beats an address of another system', { host: { name: 'dichvucong.hanoi.gov.vn' }, destination: { ip: '10.20.30.40' } }, 'portal', 'hostname'],
    ['the longest wildcard suffix wins', { destination: { domain: 'a.b.noibo.hanoi.gov.vn' } }, 'sub', 'wildcard'],
    ['a wildcard does not claim its apex', { url: { domain: 'hanoi.gov.vn' } }, null, null],
    ['host of url.full', { url: { full: 'https://x.hanoi.gov.vn:8443/a?b=c' } }, 'everything', 'wildcard'],
    ['wildcard beats a URL prefix', { url: { full: 'https://cong.hanoi.gov.vn/dvc/x' } }, 'everything', 'wildcard'],
    ['an address when no name or URL claims', { url: { domain: 'cong.other.vn' }, destination: { ip: '10.20.30.40' } }, 'db', 'cidr'],
    ['the narrowest range wins', { destination: { ip: '10.20.30.40' } }, 'db', 'cidr'],
    ['the next narrowest', { server: { ip: '10.20.1.1' } }, 'dmz', 'cidr'],
    ['the widest when nothing narrower', { host: { ip: ['192.0.2.1', '10.9.9.9'] } }, 'everything', 'cidr'],
    ['IPv4-mapped IPv6 is the IPv4 host', { destination: { ip: '::ffff:10.20.30.40' } }, 'db', 'cidr'],
    ['IPv6 narrowest', { destination: { ip: '2001:db8:10:20::5' } }, 'v6', 'cidr'],
    ['IPv6 wider', { destination: { ip: '2001:db8:10:99::5' } }, 'dmz', 'cidr'],
    ['IPv6 outside every range', { destination: { ip: '2001:db8:11::5' } }, null, null],
    ['the sensor, last', { observer: { id: 'sen_db' }, destination: { ip: '192.0.2.1' } }, 'db', 'sensor'],
    ['a sensor shared by two systems says nothing', { observer: { id: 'sen_proxy' } }, null, null],
    ['junk is ignored', { destination: { ip: 'not an address', domain: 42 }, url: { full: 'javascript:alert(1)' }, host: 'scalar' }, null, null],
  ])('%s', (_title, fields, systemId, rule) => {
    const found = attributor.attribute(event('hn', fields));
    expect(found?.systemId ?? null).toBe(systemId);
    expect(found?.rule ?? null).toBe(rule);
  });

  it('a URL prefix matches at a segment boundary, the longest first', () => {
    const urls = new SystemAttributor([system('dvc', 'hn', { urls: ['https://cong.hanoi.gov.vn/dvc'] }), system('pay', 'hn', { urls: ['https://cong.hanoi.gov.vn/dvc/thanh-toan'] }), system('root', 'hn', { urls: ['https://other.gov.vn'] }), system('net', 'hn', { ipRanges: ['10.0.0.0/8'] })]);
    const of = (fields: Record<string, unknown>) => urls.systemOf(event('hn', fields));
    expect(of({ url: { full: 'https://cong.hanoi.gov.vn/dvc/thanh-toan/xac-nhan?id=1' } })).toBe('pay');
    expect(of({ url: { full: 'http://cong.hanoi.gov.vn:8080/dvc' } })).toBe('dvc');
    expect(of({ url: { full: 'https://cong.hanoi.gov.vn/dvcx' } })).toBeNull();
    expect(of({ url: { domain: 'cong.hanoi.gov.vn', path: '/dvc/ho-so' } })).toBe('dvc');
    expect(of({ url: { domain: 'cong.hanoi.gov.vn', original: '/dvc?x=1' } })).toBe('dvc');
    expect(of({ url: { original: 'https://OTHER.gov.vn/anything' } })).toBe('root');
    // a URL prefix beats an address
    expect(of({ url: { domain: 'cong.hanoi.gov.vn', path: '/dvc' }, destination: { ip: '10.1.1.1' } })).toBe('dvc');
    expect(of({ url: { domain: 'cong.hanoi.gov.vn', path: '/khac' }, destination: { ip: '10.1.1.1' } })).toBe('net');
  });

  it('never gives an event of one organisation to a system of another', () => {
    // Same host name, same range, same sensor id claimed by Hồ Chí Minh: Hà Nội's event stays Hà Nội's.
    expect(attributor.systemOf(event('hn', { url: { domain: 'dichvucong.hanoi.gov.vn' } }))).toBe('portal');
    expect(attributor.systemOf(event('hcm', { url: { domain: 'dichvucong.hanoi.gov.vn' } }))).toBe('hcm-portal');
    expect(attributor.systemOf(event('hcm', { destination: { ip: '10.20.30.40' } }))).toBe('hcm-portal');
    expect(attributor.systemOf(event('hcm', { destination: { ip: '10.20.31.1' } }))).toBeNull();
    expect(attributor.systemOf(event('hcm', { url: { domain: 'x.noibo.hanoi.gov.vn' } }))).toBeNull();
    expect(attributor.systemOf(event('hn', { url: { domain: 'portal.hcm.gov.vn' } }))).toBeNull();
    expect(attributor.systemOf(event('hn', { observer: { id: 'sen_hcm' } }))).toBeNull();
    expect(attributor.systemOf(event('other', { destination: { ip: '10.20.30.40' } }))).toBeNull();
    // The organisation given explicitly wins over the event's claim.
    expect(attributor.systemOf(event('hcm', { destination: { ip: '10.20.30.40' } }), 'hn')).toBe('db');
    expect(attributor.systemOf({ '@timestamp': '2026-11-25T08:00:00.000Z', event: {}, destination: { ip: '10.20.30.40' } } as EcsEvent)).toBeNull();
  });

  it('two systems of one organisation claiming the same name: the first registered', () => {
    const twice = new SystemAttributor([
      system('later', 'hn', { hostnames: ['a.gov.vn'], createdAt: '2026-02-01T00:00:00.000Z' }),
      system('first', 'hn', { hostnames: ['a.gov.vn'], createdAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    expect(twice.systemOf(event('hn', { url: { domain: 'a.gov.vn' } }))).toBe('first');
  });

  it('is fast: attribution of 200,000 events over 10,000 systems in well under a second', () => {
    const many: AttributableSystem[] = [];
    for (let i = 0; i < 10_000; i++) {
      many.push(system(`s${i}`, `org${i % 1000}`, { hostnames: [`svc${i}.org${i % 1000}.gov.vn`, `*.z${i}.gov.vn`], ipRanges: [`10.${(i >> 8) & 255}.${i & 255}.0/24`] }));
    }
    const big = new SystemAttributor(many);
    const events = Array.from({ length: 1000 }, (_, i) => event(`org${i % 1000}`, { url: { domain: `www.org${i % 1000}.gov.vn` }, destination: { ip: `10.${(i >> 8) & 255}.${i & 255}.9` } }));
    let hits = 0;
    const started = performance.now();
    for (let round = 0; round < 200; round++) for (const e of events) if (big.systemOf(e) !== null) hits++;
    const elapsed = performance.now() - started;
    expect(hits).toBe(200_000);
    expect(elapsed).toBeLessThan(1000);
  });
});

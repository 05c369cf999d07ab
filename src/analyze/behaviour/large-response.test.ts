/**
 * Large responses: a dump from an endpoint that usually sends kilobytes is found; the sizes of
 * normal traffic, document downloads included, are not.
 */
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { localTimeMs, mergeByTime, normalTraffic, replay, webEvent } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';

describe('large response', () => {
  it('finds a dump from a record endpoint and an oversized download, not the usual sizes', () => {
    const at = localTimeMs('2026-03-05', 15, 20);
    const attacks = [
      webEvent({ timeMs: at, orgId, ip: '42.114.8.200', domain, path: '/tra-cuu-ho-so', query: 'ma_ho_so=%27%20OR%201%3D1--', status: 200, bytes: 48_000_000, user: 'vo.thanh.dat' }),
      webEvent({ timeMs: at + 60_000, orgId, ip: '42.114.8.200', domain, path: '/ho-so/5123456/tai-lieu/2', status: 200, bytes: 10_000_000, user: 'vo.thanh.dat' }),
    ];
    const findings = replay(new BehaviourEngine(), mergeByTime(normalTraffic({ seed: 51, orgId, services: [domain], days: 4 }), attacks));
    expect(findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([
      ['large-response', `svc:${domain}/tra-cuu-ho-so`, 'high'],
      ['large-response', `svc:${domain}/ho-so/{id}/tai-lieu/{id}`, 'medium'],
    ]);
    expect(findings[0]?.measures['usualBytes']).toBeGreaterThan(3_000);
    expect(findings[0]?.measures['usualBytes']).toBeLessThan(20_000);
    expect(findings[0]?.measures['z']).toBeGreaterThan(4);
    expect(findings[0]?.summary).toMatch(/^45\.8 MiB response from dichvucong\.hanoi\.gov\.vn\/tra-cuu-ho-so to 42\.114\.8\.200, usually about [\d.]+ KiB \(z = [\d.]+\)$/);
  });

  it('learns before judging: a new endpoint is not judged on its first responses', () => {
    const at = localTimeMs('2026-03-05', 15, 20);
    const events = Array.from({ length: 49 }, (_, i) => webEvent({ timeMs: at + i * 1000, orgId, ip: '42.114.8.201', domain, path: '/bao-cao/xuat', status: 200, bytes: 2_000 + (i % 7) * 100 }));
    events.push(webEvent({ timeMs: at + 60_000, orgId, ip: '42.114.8.201', domain, path: '/bao-cao/xuat', status: 200, bytes: 500_000_000 }));
    expect(replay(new BehaviourEngine(), events)).toEqual([]);
  });
});

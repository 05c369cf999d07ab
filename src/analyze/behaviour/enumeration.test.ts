/**
 * Enumeration: slow walks over record numbers are found within the hour; citizens and clerks opening
 * records the normal way are not.
 */
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { localTimeMs, mergeByTime, normalTraffic, replay, slowEnumeration, webEvent } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';
const day = (seed: number) => normalTraffic({ seed, orgId, services: [domain], days: 1, startDate: '2026-03-04' });

describe('enumeration', () => {
  it('finds a slow walk over /ho-so/{id}, one request every 20–30 s', () => {
    const startMs = localTimeMs('2026-03-04', 13, 0);
    const walk = slowEnumeration({ orgId, domain, startMs, ip: '14.162.7.19', user: 'pham.minh.khoa', requests: 150, minGapMs: 20_000, maxGapMs: 30_000, firstId: 4_200_100, style: 'path' });
    const findings = replay(new BehaviourEngine(), mergeByTime(day(21), walk));
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([['enumeration', 'src:14.162.7.19|/ho-so/{id}|path:2']]);
    const [finding] = findings;
    expect(finding?.measures).toMatchObject({ distinct: 50, threshold: 50, windowMinutes: 60 });
    expect(finding?.measures['walkShare']).toBeGreaterThan(0.9);
    expect(Date.parse(finding?.time ?? '') - startMs).toBeLessThan(40 * 60_000);
    expect(finding?.summary).toMatch(/^50 distinct values path:2 of \/ho-so\/\{id\} served to 14\.162\.7\.19 in 60 min, \d+(\.\d)?% next to another$/);
  });

  it('finds a walk over a query parameter (?ma_ho_so=N)', () => {
    const walk = slowEnumeration({ orgId, domain, startMs: localTimeMs('2026-03-04', 20, 0), ip: '171.231.4.77', requests: 120, minGapMs: 20_000, maxGapMs: 30_000, firstId: 100_000_120, style: 'query' });
    const findings = replay(new BehaviourEngine(), mergeByTime(day(22), walk));
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([['enumeration', 'src:171.231.4.77|/tra-cuu-ho-so|query:ma_ho_so']]);
  });

  it('does not fire for a citizen opening their own three records again and again, or a clerk opening unrelated ones', () => {
    const startMs = localTimeMs('2026-03-04', 9, 0);
    const own = [4_811_204, 4_811_206, 4_811_209];
    const citizen = Array.from({ length: 300 }, (_, i) => webEvent({ timeMs: startMs + i * 12_000, orgId, ip: '113.172.40.8', domain, path: `/ho-so/${own[i % 3]}`, status: 200, bytes: 6_400, user: 'tran.thi.lan' }));
    const clerk = Array.from({ length: 120 }, (_, i) => webEvent({ timeMs: startMs + i * 25_000 + 7, orgId, ip: '203.162.10.21', domain, path: `/quan-tri/ho-so/${1_000_000 + ((i * 7_919_993) % 8_999_999)}`, status: 200, bytes: 15_000, user: 'canbo.le.van.hung' }));
    expect(replay(new BehaviourEngine(), mergeByTime(day(23), citizen, clerk))).toEqual([]);
  });
});

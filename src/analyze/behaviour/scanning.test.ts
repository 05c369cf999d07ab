/**
 * Scanning: a burst of 404/403 over many paths is found; browsers asking again for a missing file
 * are not.
 */
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { localTimeMs, mergeByTime, normalTraffic, replay, scanBurst, webEvent } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';

describe('scanning', () => {
  it('finds a scanner probing many paths in normal traffic, once per window', () => {
    const startMs = localTimeMs('2026-03-04', 2, 13);
    const scan = scanBurst({ orgId, domain, startMs, ip: '185.220.101.33', paths: 60, durationMs: 40_000 });
    const findings = replay(new BehaviourEngine(), mergeByTime(normalTraffic({ seed: 31, orgId, services: [domain], days: 1, startDate: '2026-03-04' }), scan));
    expect(findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([['scanning', 'src:185.220.101.33', 'medium']]);
    expect(findings[0]?.measures['distinctPaths']).toBe(30);
    expect(findings[0]?.fields['user_agent.original']).toBe('Mozilla/5.0 zgrab/0.x');
  });

  it('does not count the same missing path twice', () => {
    const startMs = localTimeMs('2026-03-04', 9, 0);
    const retries = Array.from({ length: 100 }, (_, i) => webEvent({ timeMs: startMs + i * 300, orgId, ip: '27.72.9.1', domain, path: i % 2 === 0 ? '/favicon.ico' : '/apple-touch-icon.png', status: 404, bytes: 500 }));
    expect(replay(new BehaviourEngine(), retries)).toEqual([]);
  });
});

/**
 * Brute force and credential stuffing, hidden in generated normal traffic of a Hanoi portal.
 */
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { authEvent, bruteForceBurst, credentialStuffing, distributedStuffing, localTimeMs, mergeByTime, normalTraffic, replay, webEvent } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';

describe('brute force', () => {
  it('finds exactly the attacker in a full week of normal traffic', () => {
    const attack = bruteForceBurst({ orgId, domain, startMs: localTimeMs('2026-03-04', 10, 7), ip: '203.0.113.7', users: ['nguyen.van.an', 'admin'], attempts: 41, spacingMs: 6_000 });
    const findings = replay(new BehaviourEngine(), mergeByTime(normalTraffic({ seed: 3, orgId, services: [domain], days: 7 }), attack));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'brute-force', orgId, subject: 'src:203.0.113.7', severity: 'medium', fields: { 'source.ip': '203.0.113.7', 'url.domain': domain, 'url.path': '/dang-nhap' } });
    expect(findings[0]?.measures).toMatchObject({ failures: 20, accounts: 2, threshold: 20, windowMinutes: 5 });
    expect(findings[0]?.summary).toBe('20 failed logins for 2 accounts from 203.0.113.7 in 5 min');
    expect(findings[0]?.time).toBe(new Date(localTimeMs('2026-03-04', 10, 7) + 19 * 6_000).toISOString());
  });

  it('fires again for a long attack once per window, with the window start in the alert key', () => {
    const attack = bruteForceBurst({ orgId, domain, startMs: localTimeMs('2026-03-04', 2, 0), ip: '203.0.113.9', users: ['admin'], attempts: 200, spacingMs: 3_000 });
    const findings = replay(new BehaviourEngine(), attack);
    expect(findings.map((f) => f.kind)).toEqual(['brute-force', 'brute-force']);
    expect(new Set(findings.map((f) => f.windowStart)).size).toBe(2);
  });

  it('counts SSO failures and a 200 answered with outcome failure, not a GET of the login page', () => {
    const t0 = localTimeMs('2026-03-04', 10);
    const engine = new BehaviourEngine();
    const events = [
      ...Array.from({ length: 10 }, (_, i) => authEvent({ timeMs: t0 + i * 1000, orgId, ip: '198.51.100.4', host: 'sso.vneid.gov.vn', user: 'le.thi.ha', outcome: 'failure' })),
      ...Array.from({ length: 9 }, (_, i) => webEvent({ timeMs: t0 + 20_000 + i * 1000, orgId, ip: '198.51.100.4', domain, method: 'POST', path: '/dang-nhap', status: 200, bytes: 900, user: 'le.thi.ha', outcome: 'failure' })),
      ...Array.from({ length: 30 }, (_, i) => webEvent({ timeMs: t0 + 40_000 + i * 1000, orgId, ip: '198.51.100.4', domain, path: '/dang-nhap', status: 401, bytes: 900 })),
    ];
    expect(replay(engine, events)).toEqual([]);
    const last = webEvent({ timeMs: t0 + 80_000, orgId, ip: '198.51.100.4', domain, method: 'POST', path: '/api/auth/token', status: 401, bytes: 100 });
    expect(engine.observe(last).map((f) => f.kind)).toEqual(['brute-force']);
  });
});

describe('credential stuffing', () => {
  it('finds one source failing for many accounts', () => {
    const attack = credentialStuffing({ orgId, domain, startMs: localTimeMs('2026-03-03', 21, 30), ip: '45.32.110.8', accounts: 80, spacingMs: 2_500 });
    const findings = replay(new BehaviourEngine(), mergeByTime(normalTraffic({ seed: 4, orgId, services: [domain], days: 2 }), attack));
    expect(findings.map((f) => [f.kind, f.subject, f.severity])).toEqual([['credential-stuffing', 'src:45.32.110.8', 'high']]);
    expect(findings[0]?.measures['accounts']).toBe(10);
    expect(findings[0]?.summary).toMatch(/^10 accounts failed to log in from 45\.32\.110\.8 in 5 min \(\d+ failures\)$/);
  });

  it('finds a botnet spread below every per-source threshold, against the service', () => {
    const startMs = localTimeMs('2026-03-03', 14, 0);
    const attack = distributedStuffing({ orgId, domain, startMs, sources: 150, attempts: 400, durationMs: 280_000 });
    const findings = replay(new BehaviourEngine(), mergeByTime(normalTraffic({ seed: 5, orgId, services: [domain], days: 2 }), attack));
    expect(findings.map((f) => [f.kind, f.subject])).toEqual([['credential-stuffing', `svc:sso.${domain}`]]);
    expect(findings[0]?.windowStart).toBe(new Date(startMs).toISOString());
    expect(findings[0]?.measures['sources']).toBeGreaterThanOrEqual(10);
    expect(findings[0]?.measures['failureRatio']).toBeGreaterThan(0.9);
  });
});

describe('per-organisation isolation', () => {
  it('does not add up failures of one source at two organisations', () => {
    const startMs = localTimeMs('2026-03-04', 10);
    const at = (org: string, offsetMs: number) => bruteForceBurst({ orgId: org, domain, startMs: startMs + offsetMs, ip: '203.0.113.50', users: ['admin'], attempts: 15, spacingMs: 4_000 });
    const engine = new BehaviourEngine();
    expect(replay(engine, mergeByTime(at('org-hanoi', 0), at('org-hue', 1_000)))).toEqual([]);
    const more = replay(engine, at('org-hue', 61_000).slice(0, 5));
    expect(more.map((f) => [f.kind, f.orgId])).toEqual([['brute-force', 'org-hue']]);
  });
});

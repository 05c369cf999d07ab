/**
 * Bounded memory: however many clients, accounts and services arrive, the engine tracks at most its
 * caps; and `stats().approxBytes` is checked against the heap actually used.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BehaviourEngine } from './engine.js';
import { authEvent, localTimeMs, webEvent } from './streams.js';

const orgId = 'org-hanoi';
const t0 = localTimeMs('2026-03-04', 10);
const ip = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('bounded memory', () => {
  it('keeps 200,000 distinct clients, and many accounts and services, within the caps', () => {
    const caps = { maxClients: 20_000, maxAccounts: 5_000, maxServices: 200, maxResponseTemplates: 1_000, maxEnumerationTrackers: 5_000 };
    const engine = new BehaviourEngine(caps);
    // One event object re-used (the engine keeps nothing of it but strings), its source and time changed: the flood costs the engine, not the test.
    const failure = authEvent({ timeMs: t0, orgId, ip: ip(0), host: 'sso.vneid.gov.vn', user: 'admin', outcome: 'failure' });
    const source = failure['source'] as { ip: string };
    for (let i = 0; i < 200_000; i++) {
      failure['@timestamp'] = new Date(t0 + i * 10).toISOString();
      source.ip = ip(i);
      engine.observe(failure);
    }
    for (let i = 0; i < 20_000; i++) {
      engine.observe(webEvent({ timeMs: t0 + 2_000_000 + i * 10, orgId, ip: ip(i), domain: `p${i % 2_000}.gov.vn`, path: `/ho-so/${i}/tai-lieu/${i % 7}`, status: i % 3 === 0 ? 404 : 200, bytes: 5_000, user: `u${i}`, country: 'VN' }));
    }
    const stats = engine.stats();
    expect(stats.trackedClients).toBe(caps.maxClients);
    expect(stats.trackedAccounts).toBe(caps.maxAccounts);
    expect(stats.trackedServices).toBe(caps.maxServices);
    const { evicted } = engine.counters();
    expect(evicted.clients).toBeGreaterThan(180_000);
    expect(evicted.enumeration).toBeGreaterThan(0);
    expect(evicted.responseSizes).toBeGreaterThan(0);
    expect(stats.approxBytes).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('approxBytes', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;

  function measure(count: number, feed: (engine: BehaviourEngine, i: number) => void): { measured: number; approx: number } {
    const engine = new BehaviourEngine();
    // Twice: what the previous measurement left must be gone before this one starts.
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) feed(engine, i);
    gc();
    gc();
    const measured = (process.memoryUsage().heapUsed - before) / count;
    return { measured, approx: engine.stats().approxBytes / count };
  }

  it('is close to the heap used per client, account and service', () => {
    const client = measure(20_000, (engine, i) => engine.observe(authEvent({ timeMs: t0 + i, orgId, ip: ip(i), host: 'sso.vneid.gov.vn', user: `user.${i}`, outcome: 'failure' })));
    const account = measure(20_000, (engine, i) => engine.observe(authEvent({ timeMs: t0 + i, orgId, ip: '14.160.0.1', host: 'sso.vneid.gov.vn', user: `nguyen.van.an.${i}`, outcome: 'success', country: 'VN' })));
    const service = measure(1_000, (engine, i) => {
      for (const timeMs of [t0, t0 + 300_000]) engine.observe(webEvent({ timeMs, orgId, ip: '14.160.0.1', domain: `xa-${i}.hanoi.gov.vn`, path: '/trang-chu', status: 200, bytes: 40_000 }));
    });
    console.log(`bytes per tracked entry, measured / estimated: client ${client.measured.toFixed(0)} / ${client.approx.toFixed(0)}, account ${account.measured.toFixed(0)} / ${account.approx.toFixed(0)}, service (with its page size statistics) ${service.measured.toFixed(0)} / ${service.approx.toFixed(0)}`);
    for (const { measured, approx } of [client, account, service]) {
      expect(approx).toBeGreaterThan(measured / 2);
      expect(approx).toBeLessThan(measured * 2);
    }
  });
});

/**
 * Rate and error anomalies against a seasonal baseline learned over three weeks of a busy portal
 * (about 18,000 requests on a working day). The learned engine is snapshotted once and restored
 * for each scenario.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import { BehaviourEngine } from './engine.js';
import type { BehaviourFinding } from './findings.js';
import { eventTimeMs, localTimeMs, mergeByTime, normalTraffic, replay, requestSpike } from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';
const traffic = { seed: 41, orgId, services: [domain], weekdayVolume: 18_000 };

let learned: string;
let learningFindings: BehaviourFinding[];
/** Monday 2026-03-23, the day after three full weeks. */
let monday: EcsEvent[];

function requestsBetween(events: readonly EcsEvent[], fromMs: number, toMs: number): number {
  return events.filter((e) => {
    const t = eventTimeMs(e);
    return t >= fromMs && t < toMs && (e['url'] as { domain?: string } | undefined)?.domain === domain;
  }).length;
}

beforeAll(() => {
  const engine = new BehaviourEngine();
  learningFindings = replay(engine, normalTraffic({ ...traffic, startDate: '2026-03-02', days: 21 }));
  learned = JSON.stringify(engine.snapshot());
  monday = [...normalTraffic({ ...traffic, startDate: '2026-03-23', days: 1 })];
});

describe('rate anomaly', () => {
  it('learns three weeks of normal traffic, occasional 5xx included, without a single finding', () => {
    expect(learningFindings).toEqual([]);
  });

  it('leaves the Monday 9:00 peak alone but flags the same volume at 3:00, and learns a new service silently', () => {
    const peakStart = localTimeMs('2026-03-23', 9, 0);
    const peak = requestsBetween(monday, peakStart, peakStart + 300_000);
    expect(peak).toBeGreaterThanOrEqual(100);
    const nightStart = localTimeMs('2026-03-23', 3, 0);
    const spike = requestSpike({ orgId, domain, startMs: nightStart, count: peak, durationMs: 270_000 });
    const newService = requestSpike({ orgId, domain: 'tiep-nhan.hanoi.gov.vn', startMs: nightStart, count: 5 * peak, durationMs: 270_000, seed: 3 });
    const findings = replay(BehaviourEngine.restore(JSON.parse(learned)), mergeByTime(monday, spike, newService));
    expect(findings.map((f) => [f.kind, f.subject, f.windowStart])).toEqual([['rate-anomaly', `svc:${domain}`, new Date(nightStart).toISOString()]]);
    const measures = findings[0]?.measures ?? {};
    expect(measures['hour']).toBe(3);
    expect(measures['weekend']).toBe(0);
    expect(measures['usualMean']).toBeLessThan(10);
    expect(measures['threshold']).toBe(100);
    expect(findings[0]?.summary).toMatch(/^101 requests to dichvucong\.hanoi\.gov\.vn in 5 min, usually [\d.]+ ± [\d.]+ on weekdays at 03:00 \(threshold 100\)$/);
  });
});

describe('error anomaly', () => {
  it('flags an outage of 503s after learning, only for the outage buckets', () => {
    const outageStart = localTimeMs('2026-03-23', 10, 0);
    const outage = requestSpike({ orgId, domain, startMs: outageStart, count: 160, durationMs: 600_000, status: 503, seed: 5 });
    const findings = replay(BehaviourEngine.restore(JSON.parse(learned)), mergeByTime(monday, outage));
    expect(findings.map((f) => [f.kind, f.windowStart])).toEqual([
      ['error-anomaly', new Date(outageStart).toISOString()],
      ['error-anomaly', new Date(outageStart + 300_000).toISOString()],
    ]);
    expect(findings[0]?.measures['usualShare']).toBeLessThan(0.02);
    expect(findings[0]?.measures['errors']).toBe(20);
    expect(findings[0]?.fields['http.response.status_code']).toBe('503');
  });
});

/**
 * The engine as a whole: no finding in weeks of normal traffic, hostile input, late events,
 * snapshot and restore, options, texts.
 */
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import { BehaviourEngine } from './engine.js';
import { behaviourKinds, describeFinding, type BehaviourFinding } from './findings.js';
import { BehaviourSnapshotError } from './snapshot.js';
import {
  authEvent,
  bruteForceBurst,
  credentialStuffing,
  distributedStuffing,
  eventTimeMs,
  isoTime,
  localTimeMs,
  mergeByTime,
  normalTraffic,
  replay,
  requestSpike,
  scanBurst,
  slowEnumeration,
  webEvent,
} from './streams.js';

const orgId = 'org-hanoi';
const domain = 'dichvucong.hanoi.gov.vn';

describe('false positives', () => {
  it.each([
    [61, [domain, 'thutuc.hue.gov.vn']],
    [62, [domain]],
    [63, ['thutuc.hue.gov.vn']],
  ])('a normal Monday-to-Monday gives no finding of any kind (seed %i, %j)', (seed, services) => {
    const engine = new BehaviourEngine();
    const findings = replay(engine, normalTraffic({ seed, orgId, services, days: 8, weekdayVolume: 3_000, citizens: 3_000 }));
    expect(findings).toEqual([]);
    expect(engine.counters()).toMatchObject({ dropped: { unusable: 0, late: 0 }, failed: 0 });
  });
});

describe('hostile and malformed events', () => {
  const base = (): EcsEvent => webEvent({ timeMs: localTimeMs('2026-03-04', 10), orgId, ip: '14.160.1.2', domain, path: '/trang-chu', status: 200, bytes: 40_000, user: 'nguyen.van.an', country: 'VN' });
  const huge = 'A'.repeat(1_000_000);
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('hostile getter');
      },
    },
  );
  const rows: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['a string', 'GET / HTTP/1.1'],
    ['an array', [base()]],
    ['an empty object', {}],
    ['no organisation', { ...base(), organization: undefined }],
    ['organisation as an object', { ...base(), organization: { id: { x: 1 } } }],
    ['no timestamp', { ...base(), '@timestamp': undefined }],
    ['timestamp words', { ...base(), '@timestamp': 'yesterday at noon' }],
    ['timestamp out of range', { ...base(), '@timestamp': '1970-01-01T00:00:00Z' }],
    ['timestamp huge', { ...base(), '@timestamp': huge }],
    ['timestamp as a number', { ...base(), '@timestamp': Date.UTC(2026, 2, 4, 3) }],
    ['category as a string', { ...base(), event: { category: 'web' } }],
    ['category of numbers', { ...base(), event: { category: [1, 2] } }],
    ['status and bytes as strings', { ...base(), http: { request: { method: 'GET' }, response: { status_code: '404', body: { bytes: '1234' } } } }],
    ['status and bytes nonsense', { ...base(), http: { request: { method: 7 }, response: { status_code: 'abc', body: { bytes: -5 } } } }],
    ['status out of range', { ...base(), http: { response: { status_code: 99_999, bytes: 1e308 } } }],
    ['http as an array', { ...base(), http: [1, 2, 3] }],
    ['url as a string', { ...base(), url: 'https://x.gov.vn/a?b=1' }],
    ['source as a number', { ...base(), source: 5 }],
    ['huge path, user, ip and domain', { ...base(), url: { path: `/${huge}`, domain: huge, query: `a=${huge}` }, user: { name: huge }, source: { ip: huge } }],
    ['dotted keys only', { '@timestamp': '2026-03-04T03:00:00Z', 'organization.id': orgId, 'event.category': ['web'], 'url.path': '/ho-so/123', 'http.response.status_code': 200 }],
    ['geo as garbage', { ...base(), source: { ip: '1.2.3.4', geo: { country_iso_code: ['VN'] } } }],
    ['throwing getters', throwing],
  ];

  it.each(rows)('%s: never throws', (_name, event) => {
    const engine = new BehaviourEngine();
    expect(() => engine.observe(event as EcsEvent)).not.toThrow();
    expect(engine.observe(event as EcsEvent)).toEqual([]);
  });

  it('counts what it could not use, and reads numbers sent as strings', () => {
    const engine = new BehaviourEngine();
    for (const [, event] of rows) engine.observe(event as EcsEvent);
    const counters = engine.counters();
    expect(counters.received).toBe(rows.length);
    expect(counters.dropped.unusable).toBe(12);
    // The throwing getters: caught and counted.
    expect(counters.failed).toBe(1);
    const t0 = localTimeMs('2026-03-04', 10);
    const probes = Array.from({ length: 30 }, (_, i) => ({ ...webEvent({ timeMs: t0 + i * 1000, orgId, ip: '185.1.2.3', domain, path: `/probe-${i}`, status: 404, bytes: 0 }), http: { response: { status_code: '404' } } }));
    expect(replay(engine, probes).map((f) => f.kind)).toEqual(['scanning']);
  });

  it('keeps tracked strings bounded whatever their size', () => {
    const engine = new BehaviourEngine();
    engine.observe({ ...base(), url: { path: `/${huge}`, domain: huge }, user: { name: huge }, source: { ip: huge } } as EcsEvent);
    expect(engine.stats().approxBytes).toBeLessThan(20_000);
  });
});

describe('event time order', () => {
  it('counts events late by less than a bucket and ignores much older ones for the baselines', () => {
    const engine = new BehaviourEngine();
    const t = localTimeMs('2026-03-04', 10);
    const at = (timeMs: number) => webEvent({ timeMs, orgId, ip: '14.160.1.2', domain, path: '/trang-chu', status: 200, bytes: 40_000 });
    replay(engine, [at(t), at(t + 301_000), at(t + 240_000), at(t + 10_000)]);
    expect(engine.counters().dropped.late).toBe(0);
    const before = JSON.stringify(engine.snapshot().services.entries[0]?.[4].baseline);
    engine.observe(at(t - 3_600_000));
    expect(engine.counters().dropped.late).toBe(1);
    expect(JSON.stringify(engine.snapshot().services.entries[0]?.[4].baseline)).toBe(before);
  });

  it('recovers a service from one event with a clock far in the future', () => {
    const engine = new BehaviourEngine();
    const t = localTimeMs('2026-03-04', 10);
    const at = (timeMs: number) => webEvent({ timeMs, orgId, ip: '14.160.1.2', domain, path: '/trang-chu', status: 200, bytes: 40_000 });
    engine.observe(at(t));
    engine.observe(at(Date.UTC(2099, 0, 1)));
    for (let i = 1; i <= 250; i++) engine.observe(at(t + i * 1000));
    expect(engine.counters().dropped.late).toBe(99);
    const service = engine.snapshot().services.entries[0]?.[4];
    expect(service?.head).toBe(Math.floor(t / 300_000));
    expect(service?.headCount).toBe(151);
  });

  it('counts a late failed login still inside the window, not one older than it', () => {
    const t = localTimeMs('2026-03-04', 10);
    const failure = (timeMs: number) => authEvent({ timeMs, orgId, ip: '203.0.113.70', host: 'sso.vneid.gov.vn', user: 'admin', outcome: 'failure' });
    const burst = Array.from({ length: 19 }, (_, i) => failure(t + i * 1000));
    expect(replay(new BehaviourEngine(), [...burst, failure(t - 600_000)])).toEqual([]);
    expect(replay(new BehaviourEngine(), [...burst, failure(t - 60_000)]).map((f) => f.kind)).toEqual(['brute-force']);
  });
});

let story: { events: EcsEvent[]; splitAt: number } | undefined;

/** Four days of a portal with every kind of finding on the fourth, split at 13:30 in the middle of several attacks. Built once. */
function fullStory(): { events: EcsEvent[]; splitAt: number } {
  story ??= buildStory();
  return story;
}

function buildStory(): { events: EcsEvent[]; splitAt: number } {
  const day4 = '2026-03-05';
  const clerk = (date: string, hour: number, path: string, country = 'VN') => webEvent({ timeMs: localTimeMs(date, hour, 7), orgId, ip: '203.162.10.30', domain, path, status: 200, bytes: 11_000, user: 'canbo.phan.thanh.ha', country });
  const clerkDays = ['2026-03-02', '2026-03-03', '2026-03-04'].flatMap((date) => [8, 9, 10, 11].map((hour) => clerk(date, hour, hour % 2 === 0 ? '/quan-tri/ho-so/3100200' : '/quan-tri/bao-cao')));
  const streams: EcsEvent[][] = [
    clerkDays,
    [clerk(day4, 13, '/quan-tri/cau-hinh/he-thong'), clerk(day4, 14, '/quan-tri/ho-so/3100201', 'SG')],
    requestSpike({ orgId, domain, startMs: localTimeMs(day4, 3, 0), count: 150, durationMs: 240_000 }),
    requestSpike({ orgId, domain, startMs: localTimeMs(day4, 11, 0), count: 60, durationMs: 240_000, status: 502, seed: 9 }),
    bruteForceBurst({ orgId, domain, startMs: localTimeMs(day4, 13, 28), ip: '203.0.113.7', users: ['admin'], attempts: 30, spacingMs: 7_000 }),
    credentialStuffing({ orgId, domain, startMs: localTimeMs(day4, 13, 25), ip: '45.32.110.8', accounts: 40, spacingMs: 9_000 }),
    distributedStuffing({ orgId, domain, startMs: localTimeMs(day4, 16, 0), sources: 120, attempts: 300, durationMs: 280_000 }),
    scanBurst({ orgId, domain, startMs: localTimeMs(day4, 13, 29) + 30_000, ip: '185.220.101.33', paths: 50, durationMs: 50_000 }),
    slowEnumeration({ orgId, domain, startMs: localTimeMs(day4, 13, 0), ip: '14.162.7.19', requests: 150, minGapMs: 20_000, maxGapMs: 30_000, firstId: 4_200_100, style: 'path' }),
    [webEvent({ timeMs: localTimeMs(day4, 15, 3), orgId, ip: '42.114.8.200', domain, path: '/tra-cuu-ho-so', query: 'ma_ho_so=1', status: 200, bytes: 48_000_000 })],
  ];
  const events = [...mergeByTime(normalTraffic({ seed: 71, orgId, services: [domain], days: 4, weekdayVolume: 3_000, citizens: 1_500 }), ...streams.map((s) => s.sort((a, b) => eventTimeMs(a) - eventTimeMs(b))))];
  const split = localTimeMs(day4, 13, 30);
  return { events, splitAt: events.findIndex((e) => eventTimeMs(e) >= split) };
}

describe('snapshot and restore', () => {
  it('continues exactly: a stream split by a JSON round trip gives the same findings and the same state', () => {
    const { events, splitAt } = fullStory();
    const whole = new BehaviourEngine();
    const expected = replay(whole, events);
    expect(new Set(expected.map((f) => f.kind))).toEqual(new Set(behaviourKinds));

    const first = new BehaviourEngine();
    const before = replay(first, events.slice(0, splitAt));
    const restored = BehaviourEngine.restore(JSON.parse(JSON.stringify(first.snapshot())));
    const after = replay(restored, events.slice(splitAt));
    expect([...before, ...after]).toEqual(expected);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(whole.snapshot()));
    expect(restored.counters()).toEqual(whole.counters());
  });

  it('is deterministic: reprocessing gives the same findings, hence the same alert keys', () => {
    const { events } = fullStory();
    const key = (f: BehaviourFinding) => `${f.kind}|${f.orgId}|${f.subject}|${f.windowStart}`;
    expect(replay(new BehaviourEngine(), events).map(key)).toEqual(replay(new BehaviourEngine(), events).map(key));
  });

  it('leaves the engine unaffected by what is done with a snapshot', () => {
    const engine = new BehaviourEngine();
    engine.observe(webEvent({ timeMs: localTimeMs('2026-03-04', 10), orgId, ip: '1.2.3.4', domain, path: '/x', status: 404, bytes: 0 }));
    const snapshot = engine.snapshot();
    snapshot.clients.entries.length = 0;
    expect(engine.stats().trackedClients).toBe(1);
  });

  const valid = (): Record<string, unknown> => {
    const engine = new BehaviourEngine();
    engine.observe(webEvent({ timeMs: localTimeMs('2026-03-04', 10), orgId, ip: '1.2.3.4', domain, path: '/x', status: 404, bytes: 0 }));
    return JSON.parse(JSON.stringify(engine.snapshot())) as Record<string, unknown>;
  };
  const broken = (mutate: (s: { clients: { entries: [string, string, number, number, { scanPaths: { entries: unknown[] } }][] }; counters: { received: unknown } }) => void) => {
    const snapshot = valid();
    mutate(snapshot as never);
    return snapshot;
  };

  it.each([
    ['null', null, 'Invalid behaviour snapshot: expected an object, got null'],
    ['an array', [], 'Invalid behaviour snapshot: expected an object, got an array'],
    ['a string', 'snapshot', 'Invalid behaviour snapshot: expected an object, got string'],
    ['no version', {}, 'Invalid behaviour snapshot: unknown version undefined; this engine reads version 1'],
    ['another version', { version: 2 }, 'Invalid behaviour snapshot: unknown version 2; this engine reads version 1'],
    ['a version only', { version: 1 }, 'Invalid behaviour snapshot: layout: required'],
    ['a counter not a number', broken((s) => (s.counters.received = 'many')), 'Invalid behaviour snapshot: counters.received: expected a count (an integer ≥ 0), got a string'],
    ['a window of another shape', broken((s) => s.clients.entries[0]?.[4].scanPaths.entries.push(5)), 'Invalid behaviour snapshot: clients.entries.0.4.scanPaths.entries: expected a multiple of 3 items, got 4'],
    ['NaN in state', broken((s) => s.clients.entries[0]?.[4].scanPaths.entries.splice(0, 1, Number.NaN)), 'Invalid behaviour snapshot: clients.entries.0.4.scanPaths.entries.0: expected a finite number, got NaN'],
    ['a key too long', broken((s) => s.clients.entries.push(['org', 'x'.repeat(5000), 1, 1, { scanPaths: { entries: [] } }])), 'Invalid behaviour snapshot: clients.entries.1.1: expected at most 4096 characters, got 5000'],
  ])('refuses %s with a clear error', (_name, snapshot, message) => {
    expect(() => BehaviourEngine.restore(snapshot)).toThrow(new BehaviourSnapshotError(message.replace('Invalid behaviour snapshot: ', '')));
  });

  it('refuses a snapshot taken with other bucket or window lengths, accepts other thresholds and bounds', () => {
    const snapshot = valid();
    expect(() => BehaviourEngine.restore(snapshot, { bucketSeconds: 600 })).toThrow(/taken with bucketSeconds = 300, these options have 600/);
    expect(() => BehaviourEngine.restore(snapshot, { utcOffsetMinutes: 0 })).toThrow(BehaviourSnapshotError);
    expect(BehaviourEngine.restore(snapshot, { scanDistinctPaths: 10, maxClients: 5 }).stats().trackedClients).toBe(1);
  });
});

describe('options', () => {
  it('names every invalid option at once', () => {
    expect(() => new BehaviourEngine({ bruteForceFailures: 0, enumerationWalkShare: 2, maxClients: Number.NaN })).toThrow(
      'Invalid behaviour options: bruteForceFailures must be a positive integer, got 0; enumerationWalkShare must be a number in (0, 1], got 2; maxClients must be a positive integer, got NaN',
    );
    expect(() => new BehaviourEngine({ bucketSeconds: 7, maxValuesPerKey: 20 })).toThrow('Invalid behaviour options: bucketSeconds must divide 3600, got 7; enumerationDistinct (50) exceeds maxValuesPerKey (20); scanDistinctPaths (30) exceeds maxValuesPerKey (20)');
  });
});

describe('texts', () => {
  it('says every finding in English and in Vietnamese', () => {
    const { events } = fullStory();
    const findings = replay(new BehaviourEngine(), events);
    for (const finding of findings) {
      expect(finding.summary).toBe(describeFinding(finding, 'en'));
      expect(finding.summary).not.toMatch(/\?|NaN|undefined/);
      expect(describeFinding(finding, 'vi')).not.toMatch(/\?|NaN|undefined/);
    }
    const bruteForce = findings.find((f) => f.kind === 'brute-force');
    expect(bruteForce?.summary).toBe('20 failed logins for 1 account from 203.0.113.7 in 5 min');
    expect(bruteForce && describeFinding(bruteForce, 'vi')).toBe('20 lần đăng nhập thất bại vào 1 tài khoản từ 203.0.113.7 trong 5 phút');
  });

  it('writes timestamps as Date does', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2026, 0, 2); t += 7_777) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });
});

import { describe, expect, it } from 'vitest';
import type { CorrelationHit, CorrelationSpec, RuleMatch } from '../contract.js';
import { CorrelationEngine } from './engine.js';

const t0 = Date.UTC(2025, 0, 1);
const s = 1000;
const minute = 60 * s;

function correlation(fields: Partial<CorrelationSpec> & Pick<CorrelationSpec, 'id' | 'type' | 'rules'>): CorrelationSpec {
  return {
    name: null,
    title: fields.id,
    level: 'high',
    tags: [],
    groupBy: [],
    timespanMs: minute,
    condition: {},
    aliases: {},
    generate: false,
    location: { file: 'correlations.yml', line: 1 },
    ...fields,
  };
}

interface MatchInput {
  rule: string;
  name?: string | null;
  /** Milliseconds after t0. */
  at: number;
  ref?: number;
  fields?: Record<string, unknown>;
}

function match(input: MatchInput): RuleMatch {
  const fields = input.fields ?? {};
  return {
    ruleId: input.rule,
    ruleName: input.name ?? null,
    time: t0 + input.at,
    ref: input.ref ?? input.at,
    value: (field) => (Object.hasOwn(fields, field) ? fields[field] : undefined),
  };
}

function feed(engine: CorrelationEngine, inputs: readonly MatchInput[]): CorrelationHit[] {
  return inputs.flatMap((input) => engine.process(match(input)));
}

/** Refs (= offsets from t0 unless given) of the events that completed a hit. */
function firedAt(hits: readonly CorrelationHit[]): number[] {
  return hits.map((h) => h.ref);
}

describe('event_count', () => {
  const spec = correlation({ id: 'many-failures', type: 'event_count', rules: ['failed_login'], groupBy: ['user'], condition: { gte: 3 } });
  const at = (...times: number[]): MatchInput[] => times.map((time) => ({ rule: 'failed_login', at: time, fields: { user: 'alice' } }));

  it.each([
    { name: 'fires on the third event inside the window', times: [0, 10 * s, 20 * s], fired: [20 * s] },
    { name: 'counts an event exactly one timespan after the first (inclusive edge)', times: [0, 30 * s, minute], fired: [minute] },
    { name: 'does not count an event 1 ms past the edge', times: [0, 30 * s, minute + 1], fired: [] },
    { name: 'slides past old events', times: [0, s, 70 * s, 71 * s], fired: [] },
    { name: 'fires again on three new events after the window slid', times: [0, s, 70 * s, 71 * s, 72 * s], fired: [72 * s] },
    { name: 'starts over after firing (the hit consumed its events)', times: [0, s, 2 * s, 3 * s, 4 * s], fired: [2 * s] },
    { name: 'fires a second time on three more events', times: [0, s, 2 * s, 3 * s, 4 * s, 5 * s], fired: [2 * s, 5 * s] },
  ])('$name', ({ times, fired }) => {
    expect(firedAt(feed(new CorrelationEngine([spec]), at(...times)))).toEqual(fired);
  });

  it('reports the group, the completing event and the events that made it fire', () => {
    const hits = feed(new CorrelationEngine([spec]), at(0, 10 * s, 20 * s));
    expect(hits).toEqual([
      { correlationId: 'many-failures', correlationName: null, ref: 20 * s, time: t0 + 20 * s, group: { user: 'alice' }, refs: [0, 10 * s, 20 * s] },
    ]);
  });

  it('keeps groups apart: two users do not add up', () => {
    const engine = new CorrelationEngine([spec]);
    const hits = feed(engine, [
      { rule: 'failed_login', at: 0, fields: { user: 'alice' } },
      { rule: 'failed_login', at: s, fields: { user: 'bob' } },
      { rule: 'failed_login', at: 2 * s, fields: { user: 'alice' } },
      { rule: 'failed_login', at: 3 * s, fields: { user: 'bob' } },
      { rule: 'failed_login', at: 4 * s, fields: { user: 'bob' } },
    ]);
    expect(hits.map((h) => h.group)).toEqual([{ user: 'bob' }]);
    expect(engine.stats().groups).toBe(2);
  });

  it('groups by several fields together', () => {
    const byPair = correlation({ id: 'pair', type: 'event_count', rules: ['r'], groupBy: ['user', 'domain'], condition: { gte: 2 } });
    const hits = feed(new CorrelationEngine([byPair]), [
      { rule: 'r', at: 0, fields: { user: 'a', domain: 'bc' } },
      { rule: 'r', at: 1, fields: { user: 'ab', domain: 'c' } },
      { rule: 'r', at: 2, fields: { user: 'a', domain: 'bc' } },
    ]);
    expect(hits.map((h) => h.group)).toEqual([{ user: 'a', domain: 'bc' }]);
  });

  it('skips events without a group-by field and counts them', () => {
    const engine = new CorrelationEngine([spec]);
    const hits = feed(engine, [
      { rule: 'failed_login', at: 0, fields: { user: 'alice' } },
      { rule: 'failed_login', at: 1, fields: {} },
      { rule: 'failed_login', at: 2, fields: { user: null } },
      { rule: 'failed_login', at: 3, fields: { user: 'alice' } },
    ]);
    expect(hits).toEqual([]);
    expect(engine.stats().missingGroupField).toBe(2);
  });

  it('with no group-by counts every event in one group', () => {
    const global = correlation({ id: 'global', type: 'event_count', rules: ['r'], condition: { gt: 1 } });
    const hits = feed(new CorrelationEngine([global]), [
      { rule: 'r', at: 0, fields: { user: 'a' } },
      { rule: 'r', at: 1, fields: { user: 'b' } },
    ]);
    expect(hits.map((h) => h.group)).toEqual([{}]);
  });

  it('brute force: 100 failed logins in one minute with gte 10 give 10 hits, not 91', () => {
    const bruteForce = correlation({ id: 'bf', type: 'event_count', rules: ['failed_login'], groupBy: ['source.ip'], condition: { gte: 10 } });
    const engine = new CorrelationEngine([bruteForce]);
    const attempts = Array.from({ length: 100 }, (_, i) => ({ rule: 'failed_login', at: i * 600, fields: { 'source.ip': '203.0.113.7' } }));
    const hits = feed(engine, attempts);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.refs.length === 10)).toBe(true);
    expect(new Set(hits.flatMap((h) => h.refs)).size).toBe(100);
  });
});

describe('rule references', () => {
  it('matches a rules entry by the rule id or by its name', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['uuid-1', 'failed_login'], condition: { gte: 3 } });
    const hits = feed(new CorrelationEngine([spec]), [
      { rule: 'uuid-1', name: 'other_name', at: 0 },
      { rule: 'uuid-2', name: 'failed_login', at: 1 },
      { rule: 'uuid-3', name: null, at: 2 },
      { rule: 'uuid-2', name: 'failed_login', at: 3 },
    ]);
    expect(firedAt(hits)).toEqual([3]);
  });

  it('counts a match once when a rule is listed twice', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['r', 'r'], condition: { gte: 2 } });
    expect(feed(new CorrelationEngine([spec]), [{ rule: 'r', at: 0 }])).toEqual([]);
  });

  it('counts a match once when the correlation lists both its id and its name', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['uuid-1', 'failed_login'], condition: { gte: 2 } });
    const hits = feed(new CorrelationEngine([spec]), [{ rule: 'uuid-1', name: 'failed_login', at: 0 }]);
    expect(hits).toEqual([]);
  });
});

describe('value_count', () => {
  const spec = correlation({
    id: 'spray',
    type: 'value_count',
    rules: ['failed_login'],
    groupBy: ['source.ip'],
    condition: { field: 'user', gte: 3 },
  });
  const attempt = (at: number, user: unknown, ip = '198.51.100.1'): MatchInput => ({ rule: 'failed_login', at, fields: { 'source.ip': ip, user } });

  it.each([
    { name: 'fires on the third distinct value', events: [attempt(0, 'a'), attempt(1, 'b'), attempt(2, 'c')], fired: [2] },
    { name: 'does not count a repeated value twice', events: [attempt(0, 'a'), attempt(1, 'a'), attempt(2, 'b'), attempt(3, 'b')], fired: [] },
    { name: 'ignores events without the field', events: [attempt(0, 'a'), attempt(1, undefined), attempt(2, null), attempt(3, 'b')], fired: [] },
    { name: 'forgets values that slid out of the window', events: [attempt(0, 'a'), attempt(1, 'b'), attempt(minute + 1, 'c')], fired: [] },
    {
      name: 'still has a value whose older copy slid out',
      events: [attempt(0, 'a'), attempt(30 * s, 'a'), attempt(40 * s, 'b'), attempt(minute + 10 * s, 'c')],
      fired: [minute + 10 * s],
    },
    { name: 'keeps groups apart', events: [attempt(0, 'a', 'x'), attempt(1, 'b', 'y'), attempt(2, 'c', 'x')], fired: [] },
  ])('$name', ({ events, fired }) => {
    expect(firedAt(feed(new CorrelationEngine([spec]), events))).toEqual(fired);
  });
});

describe('temporal and temporal_ordered', () => {
  const rules = ['recon_a', 'recon_b', 'recon_c'];
  const temporal = correlation({ id: 'any-order', type: 'temporal', rules, groupBy: ['host'], timespanMs: 5 * minute });
  const ordered = correlation({ id: 'in-order', type: 'temporal_ordered', rules, groupBy: ['host'], timespanMs: 5 * minute });
  const seq = (...steps: [string, number][]): MatchInput[] => steps.map(([rule, at]) => ({ rule, at, fields: { host: 'web-01' } }));

  it.each([
    { name: 'in order', events: seq(['recon_a', 0], ['recon_b', s], ['recon_c', 2 * s]), temporal: [2 * s], ordered: [2 * s] },
    { name: 'wrong order', events: seq(['recon_c', 0], ['recon_b', s], ['recon_a', 2 * s]), temporal: [2 * s], ordered: [] },
    { name: 'two of three', events: seq(['recon_a', 0], ['recon_b', s]), temporal: [], ordered: [] },
    {
      name: 'order completed by a repeat',
      events: seq(['recon_b', 0], ['recon_a', s], ['recon_c', 2 * s], ['recon_b', 3 * s], ['recon_c', 4 * s]),
      temporal: [2 * s],
      ordered: [4 * s],
    },
    {
      name: 'wider than the timespan',
      events: seq(['recon_a', 0], ['recon_b', 2 * minute], ['recon_c', 5 * minute + 1]),
      temporal: [],
      ordered: [],
    },
    {
      name: 'a later start rescues the chain',
      events: seq(['recon_a', 0], ['recon_b', minute], ['recon_a', 3 * minute], ['recon_b', 4 * minute], ['recon_c', 6 * minute]),
      temporal: [6 * minute],
      ordered: [6 * minute],
    },
  ])('$name', ({ events, temporal: firedTemporal, ordered: firedOrdered }) => {
    expect(firedAt(feed(new CorrelationEngine([temporal]), events))).toEqual(firedTemporal);
    expect(firedAt(feed(new CorrelationEngine([ordered]), events))).toEqual(firedOrdered);
  });

  it('requires the same group-by values for all rules', () => {
    const events: MatchInput[] = [
      { rule: 'recon_a', at: 0, fields: { host: 'web-01' } },
      { rule: 'recon_b', at: 1, fields: { host: 'web-02' } },
      { rule: 'recon_c', at: 2, fields: { host: 'web-01' } },
    ];
    expect(feed(new CorrelationEngine([temporal]), events)).toEqual([]);
  });

  it('honours a condition on the number of rules (two of three)', () => {
    const twoOfThree = correlation({ id: 'two', type: 'temporal', rules, groupBy: ['host'], condition: { gte: 2 } });
    expect(firedAt(feed(new CorrelationEngine([twoOfThree]), seq(['recon_c', 0], ['recon_c', 1], ['recon_a', 2])))).toEqual([2]);
  });

  it('aliases: one rule’s destination.ip is the other’s source.ip', () => {
    // The specification's "Field Name Aliases Example", with rules referred to by name.
    const spec = correlation({
      id: 'error-then-connection',
      type: 'temporal',
      rules: ['internal_error', 'new_network_connection'],
      groupBy: ['internal_ip', 'remote_ip'],
      timespanMs: 10 * s,
      aliases: {
        internal_ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' },
        remote_ip: { internal_error: 'source.ip', new_network_connection: 'destination.ip' },
      },
    });
    const error = (at: number, dst: string, src: string): MatchInput => ({
      rule: 'uuid-error',
      name: 'internal_error',
      at,
      fields: { 'destination.ip': dst, 'source.ip': src },
    });
    const connection = (at: number, src: string, dst: string): MatchInput => ({
      rule: 'uuid-conn',
      name: 'new_network_connection',
      at,
      fields: { 'source.ip': src, 'destination.ip': dst },
    });
    const engine = new CorrelationEngine([spec]);
    expect(feed(engine, [error(0, '10.0.0.5', '203.0.113.9'), connection(s, '10.0.0.6', '203.0.113.9')])).toEqual([]);
    const hits = feed(engine, [connection(2 * s, '10.0.0.5', '203.0.113.9')]);
    expect(hits.map((h) => h.group)).toEqual([{ internal_ip: '10.0.0.5', remote_ip: '203.0.113.9' }]);
  });
});

describe('value_sum, value_avg and value_percentile', () => {
  const exfil = (type: CorrelationSpec['type'], condition: CorrelationSpec['condition']): CorrelationSpec =>
    correlation({ id: type, type, rules: ['web_access'], groupBy: ['user'], timespanMs: minute, condition: { field: 'bytes', ...condition } });
  const sent = (...values: unknown[]): MatchInput[] => values.map((bytes, i) => ({ rule: 'web_access', at: i * s, fields: { user: 'u', bytes } }));

  it.each([
    { type: 'value_sum', condition: { gt: 1000 }, values: [400, 400, 200], fired: [] },
    { type: 'value_sum', condition: { gt: 1000 }, values: [400, 400, 201], fired: [2 * s] },
    { type: 'value_sum', condition: { gt: 1000 }, values: ['600', 'lots', 401], fired: [2 * s] },
    { type: 'value_sum', condition: { gt: 1000 }, values: [true, null, { n: 2000 }, ' 2000'], fired: [] },
    { type: 'value_sum', condition: { lte: 10 }, values: [50, 5], fired: [] },
    { type: 'value_sum', condition: { lte: 10 }, values: [4, 5, 50], fired: [0, s] },
    { type: 'value_avg', condition: { gt: 500 }, values: [100, 900, 502], fired: [2 * s] },
    { type: 'value_avg', condition: { gt: 500 }, values: [100, 900, 499], fired: [] },
    { type: 'value_avg', condition: { gt: 500 }, values: [100, 'x', 901], fired: [2 * s] },
    { type: 'value_avg', condition: { lte: 10 }, values: [50, 20, 5], fired: [] },
    { type: 'value_avg', condition: { lte: 10 }, values: [50, 20, 5, 0, 0, 0, 0, 0], fired: [7 * s] },
    { type: 'value_percentile', condition: { percentile: 50, gt: 100 }, values: [1, 2, 3, 500, 600], fired: [] },
    { type: 'value_percentile', condition: { percentile: 50, gt: 100 }, values: [1, 2, 3, 500, 600, 700], fired: [5 * s] },
    { type: 'value_percentile', condition: { percentile: 90, gt: 900 }, values: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10000], fired: [9 * s] },
    { type: 'value_percentile', condition: { percentile: 10, lte: 5 }, values: [100, 90, 80, 1, 2], fired: [4 * s] },
    { type: 'value_percentile', condition: { gt: 100 }, values: [200, 1, 300], fired: [0, 2 * s] },
  ] as const)('$type $condition over $values', ({ type, condition, values, fired }) => {
    expect(firedAt(feed(new CorrelationEngine([exfil(type, condition)]), sent(...values)))).toEqual(fired);
  });

  it('value_sum forgets values that slid out of the window', () => {
    const events: MatchInput[] = [
      { rule: 'web_access', at: 0, fields: { user: 'u', bytes: 900 } },
      { rule: 'web_access', at: minute + 1, fields: { user: 'u', bytes: 200 } },
    ];
    expect(feed(new CorrelationEngine([exfil('value_sum', { gt: 1000 })]), events)).toEqual([]);
  });
});

describe('chained correlations', () => {
  // The specification's example "Failed Logins Followed by Successful Login".
  const many = correlation({
    id: 'a8418a5a',
    name: 'multiple_failed_login',
    type: 'event_count',
    rules: ['failed_login'],
    groupBy: ['User'],
    timespanMs: 10 * minute,
    condition: { gte: 10 },
  });
  const followed = correlation({
    id: 'b180ead8',
    type: 'temporal_ordered',
    rules: ['multiple_failed_login', 'successful_login'],
    groupBy: ['User'],
    timespanMs: 10 * minute,
  });
  const failures = (user: string, from: number, n: number): MatchInput[] =>
    Array.from({ length: n }, (_, i) => ({ rule: 'uuid-failed', name: 'failed_login', at: from + i * s, fields: { User: user } }));
  const success = (user: string, at: number): MatchInput => ({ rule: 'uuid-success', name: 'successful_login', at, fields: { User: user } });

  it('feeds a hit to the correlation that references it by name, in the same call', () => {
    const engine = new CorrelationEngine([followed, many]);
    const before = feed(engine, failures('alice', 0, 10));
    expect(before.map((h) => h.correlationId)).toEqual(['a8418a5a']);
    const hits = feed(engine, [success('alice', minute)]);
    expect(hits).toEqual([
      { correlationId: 'b180ead8', correlationName: null, ref: minute, time: t0 + minute, group: { User: 'alice' }, refs: [9 * s, minute] },
    ]);
  });

  it('does not fire when the success came first or for another user', () => {
    const engine = new CorrelationEngine([many, followed]);
    const hits = feed(engine, [success('alice', 0), ...failures('alice', s, 10), success('bob', minute)]);
    expect(hits.map((h) => h.correlationId)).toEqual(['a8418a5a']);
  });

  it('counts hits of a temporal correlation (event_count of a temporal)', () => {
    const pair = correlation({ id: 'pair', name: 'scan_then_exploit', type: 'temporal', rules: ['scan', 'exploit'], groupBy: ['ip'] });
    const repeated = correlation({ id: 'repeated', type: 'event_count', rules: ['scan_then_exploit'], groupBy: ['ip'], timespanMs: 10 * minute, condition: { gte: 2 } });
    const engine = new CorrelationEngine([pair, repeated]);
    const step = (rule: string, at: number): MatchInput => ({ rule, at, fields: { ip: '192.0.2.1' } });
    const hits = feed(engine, [step('scan', 0), step('exploit', s), step('scan', 2 * minute), step('exploit', 2 * minute + s)]);
    expect(hits.map((h) => [h.correlationId, h.ref])).toEqual([
      ['pair', s],
      ['pair', 2 * minute + s],
      ['repeated', 2 * minute + s],
    ]);
  });

  it('stops at cycles', () => {
    const a = correlation({ id: 'a', type: 'event_count', rules: ['base', 'b'], groupBy: ['k'], condition: { gte: 1 } });
    const b = correlation({ id: 'b', type: 'event_count', rules: ['a'], groupBy: ['k'], condition: { gte: 1 } });
    const self = correlation({ id: 'self', type: 'event_count', rules: ['base', 'self'], groupBy: ['k'], condition: { gte: 1 } });
    const hits = new CorrelationEngine([a, b, self]).process(match({ rule: 'base', at: 0, fields: { k: 'x' } }));
    expect(hits.map((h) => h.correlationId)).toEqual(['a', 'b', 'self']);
  });
});

describe('out-of-order events', () => {
  const spec = correlation({ id: 'c', type: 'event_count', rules: ['r'], groupBy: ['u'], condition: { gte: 3 } });
  const ev = (at: number): MatchInput => ({ rule: 'r', at, fields: { u: 'x' } });

  it('counts a late event within one timespan of the newest seen', () => {
    expect(firedAt(feed(new CorrelationEngine([spec]), [ev(0), ev(50 * s), ev(20 * s)]))).toEqual([20 * s]);
  });

  it('drops and counts an event later than that', () => {
    const engine = new CorrelationEngine([spec]);
    expect(feed(engine, [ev(2 * minute), ev(2 * minute + s), ev(30 * s)])).toEqual([]);
    expect(engine.stats().late).toBe(1);
  });

  it('measures lateness per group: a lagging sensor is correlated on its own time', () => {
    const engine = new CorrelationEngine([spec]);
    const lagging = (at: number): MatchInput => ({ rule: 'r', at, fields: { u: 'lagging' } });
    const hits = feed(engine, [ev(10 * minute), lagging(0), ev(10 * minute + s), lagging(s), lagging(2 * s)]);
    expect(hits.map((h) => [h.group, h.ref])).toEqual([[{ u: 'lagging' }, 2 * s]]);
    expect(engine.stats().late).toBe(0);
  });

  it('judges temporal_ordered by event time, not arrival', () => {
    const ordered = correlation({ id: 'o', type: 'temporal_ordered', rules: ['a', 'b'], groupBy: ['u'] });
    const step = (rule: string, at: number): MatchInput => ({ rule, at, fields: { u: 'x' } });
    expect(firedAt(feed(new CorrelationEngine([ordered]), [step('b', 10 * s), step('a', 5 * s)]))).toEqual([5 * s]);
    expect(feed(new CorrelationEngine([ordered]), [step('a', 10 * s), step('b', 5 * s)])).toEqual([]);
  });
});

describe('bounded state', () => {
  it('evicts the least recently updated group beyond maxGroupsPerCorrelation', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['r'], groupBy: ['u'], condition: { gte: 2 } });
    const engine = new CorrelationEngine([spec], { maxGroupsPerCorrelation: 3 });
    const ev = (u: string, at: number): MatchInput => ({ rule: 'r', at, fields: { u } });
    feed(engine, [ev('a', 0), ev('b', 1), ev('c', 2)]);
    // b is updated last, so a and then c are the least recently updated when d and e arrive.
    expect(feed(engine, [ev('b', 5)]).map((h) => h.group)).toEqual([{ u: 'b' }]);
    feed(engine, [ev('d', 6), ev('e', 7)]);
    expect(engine.stats()).toMatchObject({ groups: 3, evicted: 2 });
    // a was evicted, so its earlier event is forgotten: one more does not fire.
    expect(feed(engine, [ev('a', 8)])).toEqual([]);
  });

  it('retains at most maxEventsPerGroup events per group', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['r'], condition: { gte: 6 } });
    const engine = new CorrelationEngine([spec], { maxEventsPerGroup: 5 });
    const hits = feed(engine, Array.from({ length: 20 }, (_, i) => ({ rule: 'r', at: i })));
    expect(hits).toEqual([]);
    const state = engine.snapshot();
    expect(state.correlations[0]?.groups[0]?.times).toHaveLength(5);
  });

  it('prunes groups whose events expired, a few per event', () => {
    const spec = correlation({ id: 'c', type: 'event_count', rules: ['r'], groupBy: ['u'], condition: { gte: 100 } });
    const engine = new CorrelationEngine([spec]);
    feed(engine, Array.from({ length: 50 }, (_, i) => ({ rule: 'r', at: i, fields: { u: `old-${i}` } })));
    expect(engine.stats().groups).toBe(50);
    feed(engine, Array.from({ length: 30 }, (_, i) => ({ rule: 'r', at: 2 * minute + i, fields: { u: `new-${i}` } })));
    expect(engine.stats().groups).toBe(30);
  });
});

describe('construction', () => {
  it.each([
    { name: 'non-positive timespan', spec: correlation({ id: 'x', type: 'event_count', rules: ['r'], timespanMs: 0 }), error: /timespan/ },
    { name: 'no rules', spec: correlation({ id: 'x', type: 'event_count', rules: [] }), error: /at least one rule/ },
    { name: 'value_count without field', spec: correlation({ id: 'x', type: 'value_count', rules: ['r'], condition: { gte: 2 } }), error: /requires condition.field/ },
    {
      name: 'percentile out of range',
      spec: correlation({ id: 'x', type: 'value_percentile', rules: ['r'], condition: { field: 'f', percentile: 100, gt: 1 } }),
      error: /percentile must be between 1 and 99/,
    },
  ])('rejects $name, naming the rule file and line', ({ spec, error }) => {
    expect(() => new CorrelationEngine([spec])).toThrow(error);
    expect(() => new CorrelationEngine([spec])).toThrow(/correlations\.yml:1/);
  });

  it('rejects two correlations with one id', () => {
    const spec = correlation({ id: 'x', type: 'event_count', rules: ['r'] });
    expect(() => new CorrelationEngine([spec, spec])).toThrow(/same id/);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new CorrelationEngine([], { maxEventsPerGroup: 0 })).toThrow(/maxEventsPerGroup/);
  });
});

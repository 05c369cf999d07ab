import { describe, expect, it } from 'vitest';
import type { CorrelationSpec, RuleMatch } from '../contract.js';
import { CorrelationEngine } from './engine.js';
import { CorrelationStateError, correlationStateVersion, parseCorrelationState } from './state.js';

const t0 = Date.UTC(2025, 0, 1);
const s = 1000;

function correlation(fields: Partial<CorrelationSpec> & Pick<CorrelationSpec, 'id' | 'type' | 'rules'>): CorrelationSpec {
  return {
    name: null,
    title: fields.id,
    level: 'high',
    tags: [],
    groupBy: ['user'],
    timespanMs: 60 * s,
    condition: {},
    aliases: {},
    generate: false,
    location: { file: 'correlations.yml', line: 1 },
    ...fields,
  };
}

function match(rule: string, at: number, fields: Record<string, unknown>): RuleMatch {
  return { ruleId: rule, ruleName: null, time: t0 + at, ref: at, value: (f) => (Object.hasOwn(fields, f) ? fields[f] : undefined) };
}

/** Snapshot, through JSON text as the pipeline would persist it, into a new engine. */
function restart(engine: CorrelationEngine, specs: CorrelationSpec[], options?: ConstructorParameters<typeof CorrelationEngine>[1]): CorrelationEngine {
  return CorrelationEngine.restore(specs, JSON.parse(JSON.stringify(engine.snapshot())), options);
}

const failures = correlation({ id: 'failures', type: 'event_count', rules: ['failed_login'], condition: { gte: 3 } });
const spray = correlation({ id: 'spray', type: 'value_count', rules: ['failed_login'], groupBy: ['ip'], condition: { field: 'user', gte: 3 } });
const ordered = correlation({ id: 'ordered', type: 'temporal_ordered', rules: ['a', 'b'] });
const avg = correlation({ id: 'avg', type: 'value_avg', rules: ['web'], condition: { field: 'bytes', gt: 100 } });

describe('snapshot and restore', () => {
  it('continues counting after a restart, for every type', () => {
    const specs = [failures, spray, ordered, avg];
    const before = new CorrelationEngine(specs);
    for (const m of [
      match('failed_login', 0, { user: 'alice', ip: '192.0.2.1' }),
      match('failed_login', s, { user: 'bob', ip: '192.0.2.1' }),
      match('failed_login', 2 * s, { user: 'alice', ip: '192.0.2.2' }),
      match('a', 3 * s, { user: 'carol' }),
      match('web', 4 * s, { user: 'dave', bytes: 10 }),
      match('web', 5 * s, { user: 'dave', bytes: 150 }),
    ]) {
      expect(before.process(m)).toEqual([]);
    }
    const after = restart(before, specs);
    expect(after.stats()).toEqual(before.stats());
    expect(after.snapshot()).toEqual(before.snapshot());

    const hits = [
      match('failed_login', 6 * s, { user: 'alice', ip: '192.0.2.1' }),
      match('failed_login', 7 * s, { user: 'erin', ip: '192.0.2.1' }),
      match('b', 8 * s, { user: 'carol' }),
      match('web', 9 * s, { user: 'dave', bytes: 150 }),
    ].flatMap((m) => after.process(m));
    expect(hits.map((h) => [h.correlationId, h.group, h.refs])).toEqual([
      ['failures', { user: 'alice' }, [0, 2 * s, 6 * s]],
      ['spray', { ip: '192.0.2.1' }, [0, s, 6 * s, 7 * s]],
      ['ordered', { user: 'carol' }, [3 * s, 8 * s]],
      ['avg', { user: 'dave' }, [4 * s, 5 * s, 9 * s]],
    ]);
  });

  it('keeps each group’s latest time, so a late event stays late', () => {
    const before = new CorrelationEngine([failures]);
    before.process(match('failed_login', 120 * s, { user: 'alice' }));
    const after = restart(before, [failures]);
    expect(after.process(match('failed_login', 10 * s, { user: 'alice' }))).toEqual([]);
    expect(after.stats().late).toBe(1);
  });

  it('ignores the state of correlations that are gone or whose shape changed', () => {
    const before = new CorrelationEngine([failures, spray]);
    before.process(match('failed_login', 0, { user: 'alice', ip: '192.0.2.1' }));
    const regrouped = { ...spray, groupBy: ['user'] };
    const after = restart(before, [regrouped]);
    expect(after.stats().groups).toBe(0);
    expect(after.snapshot().correlations.map((c) => c.id)).toEqual(['spray']);
  });

  it('keeps the state when only the threshold or timespan changed', () => {
    const before = new CorrelationEngine([failures]);
    before.process(match('failed_login', 0, { user: 'alice' }));
    const after = restart(before, [{ ...failures, condition: { gte: 2 }, timespanMs: 120 * s }]);
    expect(after.process(match('failed_login', s, { user: 'alice' })).map((h) => h.refs)).toEqual([[0, s]]);
  });

  it('applies the limits of the new engine', () => {
    const before = new CorrelationEngine([failures]);
    for (let i = 0; i < 5; i++) before.process(match('failed_login', i, { user: `u${i}` }));
    const after = restart(before, [failures], { maxGroupsPerCorrelation: 2 });
    expect(after.stats()).toMatchObject({ groups: 2, evicted: 3 });
    expect(after.snapshot().correlations[0]?.groups.map((g) => g.values)).toEqual([['u3'], ['u4']]);
  });
});

describe('state validation', () => {
  const valid = () => {
    const engine = new CorrelationEngine([failures, ordered]);
    engine.process(match('failed_login', 0, { user: 'alice' }));
    engine.process(match('a', 0, { user: 'alice' }));
    return JSON.parse(JSON.stringify(engine.snapshot())) as {
      version: number;
      correlations: { id: string; groups: Record<string, unknown>[]; [k: string]: unknown }[];
    };
  };
  type Mutable = ReturnType<typeof valid>;

  it.each<{ name: string; mutate: (state: Mutable) => unknown; path: string }>([
    { name: 'not an object', mutate: () => [], path: '$' },
    { name: 'another version', mutate: (st) => ({ ...st, version: 2 }), path: '$.version' },
    { name: 'no correlations', mutate: (st) => ({ version: st.version }), path: '$.correlations' },
    {
      name: 'a counter that is not a count',
      mutate: (st) => {
        if (st.correlations[0]) st.correlations[0].evicted = -1;
        return st;
      },
      path: '$.correlations[0].evicted',
    },
    {
      name: 'times out of order',
      mutate: (st) => {
        const g = st.correlations[0]?.groups[0];
        if (g) Object.assign(g, { times: [t0 + 5, t0], refs: [0, 1], payloads: [0, 0] });
        return st;
      },
      path: '$.correlations[0].groups[0].times[1]',
    },
    {
      name: 'columns of different lengths',
      mutate: (st) => {
        const g = st.correlations[0]?.groups[0];
        if (g) g.refs = [];
        return st;
      },
      path: '$.correlations[0].groups[0]',
    },
    {
      name: 'a rule index outside the rules',
      mutate: (st) => {
        const g = st.correlations[1]?.groups[0];
        if (g) g.payloads = [7];
        return st;
      },
      path: '$.correlations[1].groups[0].payloads[0]',
    },
    {
      name: 'a group time before its newest event',
      mutate: (st) => {
        const g = st.correlations[0]?.groups[0];
        if (g) g.maxTime = t0 - 1;
        return st;
      },
      path: '$.correlations[0].groups[0].maxTime',
    },
    {
      name: 'the wrong number of group-by values',
      mutate: (st) => {
        const g = st.correlations[0]?.groups[0];
        if (g) g.values = ['alice', 'extra'];
        return st;
      },
      path: '$.correlations[0].groups[0].values',
    },
  ])('rejects $name at $path', ({ mutate, path }) => {
    const state = mutate(valid());
    let error: unknown;
    try {
      CorrelationEngine.restore([failures, ordered], state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorrelationStateError);
    expect((error as CorrelationStateError).location).toEqual({ field: path });
    expect((error as CorrelationStateError).code).toBe('VIGIL_ERR_VALIDATION');
  });

  it('accepts an empty state', () => {
    expect(parseCorrelationState({ version: correlationStateVersion, correlations: [] })).toEqual({ version: 1, correlations: [] });
  });
});

import { it } from 'vitest';
import type { CorrelationSpec, CorrelationType, RuleMatch } from '../contract.js';
import { CorrelationEngine } from './engine.js';

const types: CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile'];
function spec(i: number, rules: string[]): CorrelationSpec {
  const type = types[i % types.length] ?? 'event_count';
  return { id: `c${i}`, name: null, title: '', level: null, tags: [], type, rules, groupBy: ['user'], timespanMs: 300_000,
    condition: type === 'temporal' || type === 'temporal_ordered' ? {} : { field: type === 'value_count' ? 'ip' : 'bytes', gte: 1e12 },
    aliases: {}, generate: false, location: { file: 'b', line: 1 } };
}
function run(label: string, specs: CorrelationSpec[], ruleCount: number, users: number, n: number): void {
  const engine = new CorrelationEngine(specs);
  const matches: RuleMatch[] = [];
  for (let i = 0; i < n; i++) {
    const fields: Record<string, unknown> = { user: `user-${(i * 7919) % users}`, ip: `10.0.${i % 50}.${i % 200}`, bytes: i % 1000 };
    matches.push({ ruleId: `r${(i * 31) % ruleCount}`, ruleName: null, time: 1_700_000_000_000 + i * 10, ref: i, value: (f) => fields[f] });
  }
  let hits = 0;
  for (let i = 0; i < Math.min(n, 50_000); i++) hits += engine.process(matches[i]!).length; // warm-up on a fresh engine
  const engine2 = new CorrelationEngine(specs);
  const start = performance.now();
  for (const m of matches) hits += engine2.process(m).length;
  const ms = performance.now() - start;
  console.log(`${label}: ${n} matches in ${ms.toFixed(0)} ms = ${Math.round(n / (ms / 1000)).toLocaleString('en')} matches/s; hits ${hits}; stats ${JSON.stringify(engine2.stats())}; heap ${(process.memoryUsage().heapUsed/1e6).toFixed(0)} MB`);
}
it('bench', () => {
  run('A: 100 correlations, 2 of 200 rules each, 10k users', Array.from({ length: 100 }, (_, i) => spec(i, [`r${(i * 2) % 200}`, `r${(i * 2 + 1) % 200}`])), 200, 10_000, 1_000_000);
  run('B: 100 correlations all on r0 + r1, 1k users', Array.from({ length: 100 }, (_, i) => spec(i, ['r0', 'r1'])), 2, 1000, 200_000);
  run('C: 100 event_count on one rule, one user (brute force)', Array.from({ length: 100 }, (_, i) => ({ ...spec(0, ['r0']), id: `e${i}`, condition: { gte: 10 } })), 1, 1, 200_000);
}, 300_000);

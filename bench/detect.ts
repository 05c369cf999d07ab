/**
 * @module bench/detect
 * `npm run bench:detect`: detection throughput on one core — events/s through logsource routing,
 * the atom prefilter and the compiled matchers (and the correlation engine) — with
 *  (a) the built-in pack (`rules/`), and
 *  (b) a directory of SigmaHQ rules (BENCH_SIGMA_DIR, default ../sigma-ref/sigma/rules: take a
 *      copy of github.com/SigmaHQ/sigma; nothing of it is part of Vigil),
 * plus rule-load time and RSS. The events are the demo sensors' traffic normalised by the real
 * normalisers: portal access logs, Windows logons and process creations, Linux auth, firewalls.
 * Environment: BENCH_EVENTS (default 100000).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { EcsEvent } from '../src/core/event.js';
import { RuleIndex } from '../src/detect/rule-index.js';
import { loadRulePaths } from '../src/detect/rule-loader.js';
import { builtinRulesDir } from '../src/detect/rule-watcher.js';
import type { CompiledRule, FieldGetter } from '../src/detect/sigma/contract.js';
import { CorrelationEngine } from '../src/detect/sigma/correlation/engine.js';
import { fieldGetterFor } from '../src/detect/sigma/fields/getter.js';
import { detectionCorpus } from './detect-corpus.js';

const eventCount = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const sigmaDir = resolve(process.env['BENCH_SIGMA_DIR'] ?? '../sigma-ref/sigma/rules');

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function run(label: string, dir: string, events: EcsEvent[]): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const loadStarted = performance.now();
  const { ruleSet, files } = await loadRulePaths([dir]);
  const loadMs = performance.now() - loadStarted;
  const refused = files.filter((f) => !f.ok).length;
  const index = new RuleIndex(ruleSet.rules.map((rule: CompiledRule) => ({ rule, get: fieldGetterFor(rule.logsource) as FieldGetter })));
  const correlation = new CorrelationEngine([...ruleSet.correlations]);
  const rssLoaded = process.memoryUsage().rss;

  const pass = (): { matches: number; hits: number; evaluated: number } => {
    let matches = 0;
    let hits = 0;
    let evaluated = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as EcsEvent;
      const time = Date.parse(event['@timestamp']);
      for (const { rule, get } of index.candidates(event)) {
        evaluated++;
        if (!rule.matches(event, get)) continue;
        matches++;
        hits += correlation.process({ ruleId: rule.id, ruleName: rule.name, time, ref: i, value: (f) => get(event, f) }).length;
      }
    }
    return { matches, hits, evaluated };
  };
  pass(); // warm-up: JIT, routing and prefilter caches
  const started = process.hrtime.bigint();
  const result = pass();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${ruleSet.rules.length} detection rules + ${ruleSet.correlations.length} correlations from ${files.length - refused} files (${refused} refused)`);
  console.log(`  load ${(loadMs / 1000).toFixed(2)} s; RSS ${mib(rssLoaded)} (+${mib(rssLoaded - rssBefore)} for the rules)`);
  console.log(`  ${Math.round(events.length / seconds).toLocaleString('en')} events/s on one core (${events.length.toLocaleString('en')} events; ${(result.evaluated / events.length).toFixed(1)} rule evaluations per event after routing and prefilter; ${result.matches} matches, ${result.hits} correlation hits)`);
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const events = detectionCorpus(eventCount);
  const datasets = new Map<string, number>();
  for (const e of events) datasets.set(String(e.event.dataset), (datasets.get(String(e.event.dataset)) ?? 0) + 1);
  console.log(`events: ${[...datasets].map(([d, n]) => `${d} ${n}`).join(', ')}`);
  await run('(a) built-in pack', builtinRulesDir(), events);
  if (existsSync(sigmaDir)) await run(`(b) SigmaHQ ${sigmaDir}`, sigmaDir, events);
  else console.log(`(b) skipped: ${sigmaDir} not found (clone github.com/SigmaHQ/sigma beside Vigil or set BENCH_SIGMA_DIR)`);
  console.log(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

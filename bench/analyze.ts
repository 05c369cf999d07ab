/**
 * @module bench/analyze
 * `npm run bench:analyze`: the web-transaction analyser against the labelled corpus
 * (`src/analyze/corpus`) — detection rate per class (verdict says attack) and right-class rate
 * (the label among the verdict's classes), detection of evaded attacks per evasion, overall
 * detection, false-positive rate on benign traffic, and transactions/s on one core (a warm-up pass,
 * then timed passes), with the machine.
 * Environment: BENCH_SEED, BENCH_BENIGN (default 5000), BENCH_ATTACKS (per class, default 300),
 * BENCH_SHOW_MISSES=n (print the first n missed attacks of each class).
 * `--jsonl <file>`: also write the corpus as CLI-contract JSONL to <file> and its labels to
 * <file minus .jsonl>.labels.jsonl (to run the same corpus through ModSecurity/CRS).
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { TransactionAnalyzer } from '../src/analyze/analyzer.js';
import type { Verdict } from '../src/analyze/contract.js';
import { detectors } from '../src/analyze/detectors/index.js';
import { corpusJsonl, labelledCorpus } from '../src/analyze/corpus/index.js';
import type { LabelledTransaction } from '../src/analyze/corpus/index.js';
import { computeMetrics, formatMetrics } from '../src/analyze/corpus/metrics.js';

const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && process.env[name] !== undefined && process.env[name] !== '' ? value : fallback;
};

const seed = envNumber('BENCH_SEED', 20241125);
const benign = envNumber('BENCH_BENIGN', 5000);
const attacksPerClass = envNumber('BENCH_ATTACKS', 300);
const jsonlAt = process.argv.indexOf('--jsonl');
const jsonlFile = jsonlAt >= 0 ? process.argv[jsonlAt + 1] : undefined;
if (jsonlAt >= 0 && jsonlFile === undefined) {
  console.error('usage: node dist/bench/analyze.js [--jsonl <file>]');
  process.exit(2);
}

const built = performance.now();
const corpus: LabelledTransaction[] = labelledCorpus({ seed, benign, attacksPerClass });
const buildMs = performance.now() - built;
const cpu = cpus()[0];
console.log(`machine: ${cpu?.model ?? 'unknown CPU'} (${cpus().length} logical cores), ${platform()} ${release()} ${arch()}, Node ${process.version}`);
console.log(`corpus: ${corpus.length} transactions (${benign} benign, ${attacksPerClass} per attack class), seed ${seed}, built in ${buildMs.toFixed(0)} ms`);

if (jsonlFile !== undefined) {
  const { transactions, labels } = corpusJsonl(corpus);
  const labelsFile = `${jsonlFile.replace(/\.jsonl$/, '')}.labels.jsonl`;
  writeFileSync(jsonlFile, transactions);
  writeFileSync(labelsFile, labels);
  console.log(`wrote ${jsonlFile} and ${labelsFile}`);
}

const analyzer = new TransactionAnalyzer(detectors);
const pass = (): Verdict[] => corpus.map(({ transaction }) => analyzer.analyze(transaction));

const verdicts = pass(); // warm-up: JIT and caches; its verdicts are the ones scored
let timed = 0;
let passes = 0;
while (passes < 1 || timed < 2000) {
  const started = performance.now();
  pass();
  timed += performance.now() - started;
  passes++;
}
const perSecond = (corpus.length * passes) / (timed / 1000);

const labels = corpus.map((x) => x.label);
const metrics = computeMetrics(labels, verdicts);
console.log('');
console.log(formatMetrics(metrics));

// Evaded attacks, per evasion.
const byEvasion = new Map<string, { total: number; detected: number }>();
corpus.forEach(({ label, evasion }, i) => {
  if (label === 'benign' || evasion === null) return;
  const counts = byEvasion.get(evasion) ?? { total: 0, detected: 0 };
  counts.total++;
  if (verdicts[i]?.attack === true) counts.detected++;
  byEvasion.set(evasion, counts);
});
console.log('\nevasion                     total  detected');
for (const [evasion, c] of [...byEvasion.entries()].sort((a, b) => b[1].total - a[1].total)) console.log(`${evasion.padEnd(26)} ${String(c.total).padStart(6)}  ${((c.detected / c.total) * 100).toFixed(2).padStart(6)} %`);

// A few false positives, to look at.
const falsePositives = corpus.flatMap(({ label, transaction }, i) => {
  const verdict = verdicts[i];
  return label === 'benign' && verdict?.attack === true ? [{ transaction, verdict }] : [];
});
if (falsePositives.length > 0) {
  console.log('\nfalse positives (first 10):');
  for (const { transaction, verdict } of falsePositives.slice(0, 10)) {
    const evidence = verdict.evidence[0];
    console.log(`  ${transaction.id} ${transaction.method} ${transaction.uri.slice(0, 80)} → ${verdict.classes.join(',')} score ${verdict.score}${evidence === undefined ? '' : ` at ${evidence.location}: ${evidence.decoded.slice(0, 80)}`}`);
  }
}

const showMisses = envNumber('BENCH_SHOW_MISSES', 0);
if (showMisses > 0) {
  const shown = new Map<string, number>();
  console.log('\nmissed attacks:');
  corpus.forEach(({ label, evasion, transaction }, i) => {
    if (label === 'benign' || verdicts[i]?.attack === true || (shown.get(label) ?? 0) >= showMisses) return;
    shown.set(label, (shown.get(label) ?? 0) + 1);
    console.log(`  [${label}${evasion === null ? '' : ` / ${evasion}`}] ${transaction.method} ${transaction.uri.slice(0, 160)}${transaction.body === null ? '' : ` body: ${transaction.body.slice(0, 160).replace(/\s+/g, ' ')}`}`);
  });
}

console.log(`\nthroughput: ${Math.round(perSecond).toLocaleString('en-US')} transactions/s on one core (${passes} timed passes after a warm-up, ${(timed / 1000).toFixed(2)} s)`);

/**
 * @module analyze/corpus/metrics
 * Detection metrics of the analyser over the labelled corpus: per class detection rate (verdict
 * says attack) and right-class rate (the label is among the verdict's classes), overall detection,
 * and the false-positive rate on benign transactions. Classes come in the contract's order.
 */
import { attackClasses } from '../contract.js';
import type { Verdict } from '../contract.js';
import type { CorpusLabel } from './index.js';

export interface ClassMetrics {
  label: CorpusLabel;
  total: number;
  detected: number;
  rightClass: number;
  detectionRate: number;
  rightClassRate: number;
}

export interface AnalyzeMetrics {
  perClass: ClassMetrics[];
  attacks: { total: number; detected: number; rightClass: number; detectionRate: number; rightClassRate: number };
  benign: { total: number; falsePositives: number; falsePositiveRate: number };
}

const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);

/** Metrics from labels and the verdicts for the same transactions, in the same order. */
export function computeMetrics(labels: readonly CorpusLabel[], verdicts: readonly Pick<Verdict, 'attack' | 'classes'>[]): AnalyzeMetrics {
  if (labels.length !== verdicts.length) throw new Error(`${labels.length} labels but ${verdicts.length} verdicts`);
  const byClass = new Map<CorpusLabel, { total: number; detected: number; rightClass: number }>();
  let benignTotal = 0;
  let falsePositives = 0;
  labels.forEach((label, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined) return;
    if (label === 'benign') {
      benignTotal++;
      if (verdict.attack) falsePositives++;
      return;
    }
    const counts = byClass.get(label) ?? { total: 0, detected: 0, rightClass: 0 };
    counts.total++;
    if (verdict.attack) counts.detected++;
    if (verdict.attack && verdict.classes.includes(label)) counts.rightClass++;
    byClass.set(label, counts);
  });
  const order = (label: CorpusLabel): number => attackClasses.indexOf(label as (typeof attackClasses)[number]);
  const perClass = [...byClass.entries()]
    .sort((a, b) => order(a[0]) - order(b[0]))
    .map(([label, c]) => ({ label, ...c, detectionRate: rate(c.detected, c.total), rightClassRate: rate(c.rightClass, c.total) }));
  const total = perClass.reduce((s, c) => s + c.total, 0);
  const detected = perClass.reduce((s, c) => s + c.detected, 0);
  const rightClass = perClass.reduce((s, c) => s + c.rightClass, 0);
  return {
    perClass,
    attacks: { total, detected, rightClass, detectionRate: rate(detected, total), rightClassRate: rate(rightClass, total) },
    benign: { total: benignTotal, falsePositives, falsePositiveRate: rate(falsePositives, benignTotal) },
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(2).padStart(6)} %`;

/** A plain-text table of the metrics. */
export function formatMetrics(m: AnalyzeMetrics): string {
  const lines = ['class       total  detected  right-class'];
  for (const c of m.perClass) lines.push(`${c.label.padEnd(10)} ${String(c.total).padStart(6)}  ${pct(c.detectionRate)}  ${pct(c.rightClassRate)}`);
  lines.push(`${'ALL'.padEnd(10)} ${String(m.attacks.total).padStart(6)}  ${pct(m.attacks.detectionRate)}  ${pct(m.attacks.rightClassRate)}`);
  lines.push(`benign ${m.benign.total}: ${m.benign.falsePositives} false positives (${pct(m.benign.falsePositiveRate).trim()})`);
  return lines.join('\n');
}

/**
 * @module analyze/analyzer
 * One transaction in, one verdict out: the inputs are extracted once, every detector inspects
 * them, and the findings are combined. The score is the strongest finding (0–10); a transaction is
 * an attack at `attackScore` or above, and its classes and evidence are those of the findings
 * that reach it, so a verdict never names a class it does not call an attack. A detector that
 * throws is counted and skipped: one buggy detector must not silence the others.
 */
import { attackClasses, type AttackClass, type Detector, type Finding, type Input, type Transaction, type Verdict } from './contract.js';
import { isQuiet, skipsQuietInputs } from './detectors/facts.js';
import { extractInputs } from './inputs.js';

/** A finding at this score or above is an attack on its own (contract: `Finding.score`). */
export const attackScore = 5;
export const maxEvidence = 20;
export const maxEvidenceLength = 256;

const classOrder = new Map<AttackClass, number>(attackClasses.map((c, i) => [c, i]));

export interface AnalyzerCounters {
  transactions: number;
  attacks: number;
  /** Exceptions thrown by each detector, by name. */
  detectorFailures: Record<string, number>;
}

function clampScore(score: number): number {
  return Number.isFinite(score) ? Math.min(10, Math.max(0, score)) : 0;
}

export class TransactionAnalyzer {
  readonly counters: AnalyzerCounters = { transactions: 0, attacks: 0, detectorFailures: {} };

  /** Per detector: whether it is given only the inputs that are not quiet (`skipsQuietInputs`). */
  private readonly loudOnly: readonly boolean[];

  constructor(private readonly detectors: readonly Detector[]) {
    this.loudOnly = detectors.map((d) => skipsQuietInputs.has(d));
  }

  analyze(transaction: Transaction): Verdict {
    const inputs = extractInputs(transaction);
    let loud: Input[] | undefined;
    const findings: Finding[] = [];
    const detectors = this.detectors;
    for (let d = 0; d < detectors.length; d++) {
      const detector = detectors[d] as Detector;
      try {
        const given = this.loudOnly[d] === true ? (loud ??= inputs.filter((input) => !isQuiet(input))) : inputs;
        const found = detector.inspect(transaction, given);
        for (let f = 0; f < found.length; f++) findings.push(found[f] as Finding);
      } catch {
        this.counters.detectorFailures[detector.name] = (this.counters.detectorFailures[detector.name] ?? 0) + 1;
      }
    }
    const verdict = combineFindings(transaction.id, findings);
    this.counters.transactions++;
    if (verdict.attack) this.counters.attacks++;
    return verdict;
  }
}

/** The verdict of a transaction's findings (exported for tests and for the pipeline). */
export function combineFindings(id: string, findings: readonly Finding[]): Verdict {
  // Most transactions: nothing found.
  if (findings.length === 0) return { id, attack: false, classes: [], score: 0, evidence: [] };
  let score = 0;
  const bestByClass = new Map<AttackClass, number>();
  const bestByPlace = new Map<string, Finding & { score: number }>();
  for (const finding of findings) {
    if (!classOrder.has(finding.class)) continue;
    const findingScore = clampScore(finding.score);
    score = Math.max(score, findingScore);
    bestByClass.set(finding.class, Math.max(bestByClass.get(finding.class) ?? 0, findingScore));
    if (findingScore < attackScore) continue;
    const key = `${finding.class}\u0000${finding.location}`;
    const previous = bestByPlace.get(key);
    if (!previous || findingScore > previous.score) bestByPlace.set(key, { ...finding, score: findingScore });
  }
  const classes = [...bestByClass.entries()]
    .filter(([, best]) => best >= attackScore)
    .map(([c]) => c)
    .sort((a, b) => (classOrder.get(a) ?? 0) - (classOrder.get(b) ?? 0));
  const evidence = [...bestByPlace.values()]
    .sort((a, b) => b.score - a.score || (classOrder.get(a.class) ?? 0) - (classOrder.get(b.class) ?? 0))
    .slice(0, maxEvidence)
    .map((f) => ({ location: f.location, class: f.class, decoded: f.decoded.length > maxEvidenceLength ? f.decoded.slice(0, maxEvidenceLength) : f.decoded }));
  return { id, attack: score >= attackScore, classes, score, evidence };
}

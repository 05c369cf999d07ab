/**
 * @module analyze/corpus
 * The labelled corpus the analyser is held to: benign Vietnamese public-service traffic and attacks
 * of every class, a share of them hidden with evasions. Deterministic: the same seed and sizes give
 * the same corpus, transaction for transaction.
 */
import type { AttackClass, Transaction } from '../contract.js';
import { attackTransaction, corpusClasses } from './attacks.js';
import { benignTransaction } from './benign.js';
import { mulberry32 } from './prng.js';

export type CorpusLabel = 'benign' | AttackClass;

export interface LabelledTransaction {
  transaction: Transaction;
  label: CorpusLabel;
  /** The evasion applied to the payload, or null. */
  evasion: string | null;
}

export interface CorpusOptions {
  seed?: number;
  /** Benign transactions (default 5,000). */
  benign?: number;
  /** Attacks per class (default 300). */
  attacksPerClass?: number;
  /** Share of attacks for which an evasion is attempted (default 0.45; not every payload fits one). */
  evasionShare?: number;
}

export { corpusClasses } from './attacks.js';
export type { CorpusAttackClass } from './attacks.js';

/** Benign and attack transactions, shuffled, with neutral ids `t-000001`… in corpus order. */
export function labelledCorpus(options: CorpusOptions = {}): LabelledTransaction[] {
  const seed = options.seed ?? 20241125;
  const benign = options.benign ?? 5000;
  const perClass = options.attacksPerClass ?? 300;
  const evasionShare = options.evasionShare ?? 0.45;
  const rng = mulberry32(seed);
  const drafts: { draft: Omit<Transaction, 'id'>; label: CorpusLabel; evasion: string | null }[] = [];
  for (let i = 0; i < benign; i++) drafts.push({ draft: benignTransaction(rng), label: 'benign', evasion: null });
  for (const cls of corpusClasses) {
    for (let i = 0; i < perClass; i++) {
      const { draft, evasion } = attackTransaction(rng, cls, rng.chance(evasionShare));
      drafts.push({ draft, label: cls, evasion });
    }
  }
  rng.shuffle(drafts);
  return drafts.map(({ draft, label, evasion }, i) => ({ transaction: { id: `t-${String(i + 1).padStart(6, '0')}`, ...draft }, label, evasion }));
}

/**
 * The corpus as the CLI contract's input (one `{"id","method","uri","headers","body"}` per line)
 * and a labels file (one `{"id","label","evasion"}` per line), e.g. to feed ModSecurity/CRS.
 */
export function corpusJsonl(corpus: readonly LabelledTransaction[]): { transactions: string; labels: string } {
  let transactions = '';
  let labels = '';
  for (const { transaction, label, evasion } of corpus) {
    const { id, method, uri, headers, body } = transaction;
    transactions += `${JSON.stringify({ id, method, uri, headers, body })}\n`;
    labels += `${JSON.stringify({ id, label, evasion })}\n`;
  }
  return { transactions, labels };
}

/**
 * @module cli/analyze
 * `vigil analyze http --input <file.jsonl | ->`, a contract (issue 4; its output is read by tools,
 * exactly): one transaction per input line — the CLI's shape or an ECS web event — and one JSON
 * verdict per input line, in the same order, `{"id","attack","classes","score","evidence"}`. A
 * line that is not a transaction still gets its line, with `"error"` saying why, so the n-th
 * output always answers the n-th input.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { TransactionAnalyzer } from '../analyze/analyzer.js';
import type { Detector } from '../analyze/contract.js';
import { detectors as builtinDetectors } from '../analyze/detectors/index.js';
import { transactionFromJson } from '../analyze/transaction.js';

export interface AnalyzeHttpOptions {
  /** A JSONL file, or `-` for standard input. */
  input: string;
  write(line: string): void;
  warn(line: string): void;
  /** The detectors to run (default: all of `analyze/detectors`). */
  detectors?: readonly Detector[];
}

function errorLine(id: string, error: string): string {
  return JSON.stringify({ id, attack: false, classes: [], score: 0, evidence: [], error });
}

export async function analyzeHttpCommand(options: AnalyzeHttpOptions): Promise<{ transactions: number; attacks: number }> {
  const analyzer = new TransactionAnalyzer(options.detectors ?? builtinDetectors);
  const stream: Readable = options.input === '-' ? process.stdin : createReadStream(options.input, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    if (options.input === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  await opened;
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let failed = 0;
  for await (const line of lines) {
    lineNumber++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const why = line.trim() === '' ? 'empty line' : `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
      options.write(errorLine(String(lineNumber), why));
      options.warn(`line ${lineNumber}: ${why}`);
      failed++;
      continue;
    }
    const transaction = transactionFromJson(value, lineNumber);
    if ('error' in transaction) {
      options.write(errorLine(String(lineNumber), transaction.error));
      options.warn(`line ${lineNumber}: ${transaction.error}`);
      failed++;
      continue;
    }
    options.write(JSON.stringify(analyzer.analyze(transaction)));
  }
  for (const [name, count] of Object.entries(analyzer.counters.detectorFailures)) options.warn(`detector ${name} failed on ${count} transactions`);
  if (failed > 0) options.warn(`${failed} of ${lineNumber} lines were not transactions`);
  return { transactions: analyzer.counters.transactions, attacks: analyzer.counters.attacks };
}

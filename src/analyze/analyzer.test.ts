import { describe, expect, it } from 'vitest';
import { TransactionAnalyzer, combineFindings } from './analyzer.js';
import type { AttackClass, Detector, Finding, Input, Transaction } from './contract.js';

const transaction: Transaction = { id: 't1', method: 'GET', uri: '/a?id=1&q=x', headers: {}, body: null };

function fake(name: string, findings: (inputs: readonly Input[]) => Finding[]): Detector {
  return { name, inspect: (_t, inputs) => findings(inputs) };
}

function f(cls: AttackClass, score: number, location: string, decoded = 'x'): Finding {
  return { class: cls, score, location, decoded, reason: `${cls}:test` };
}

describe('TransactionAnalyzer', () => {
  it('no detectors, no findings: a quiet verdict', () => {
    expect(new TransactionAnalyzer([]).analyze(transaction)).toEqual({ id: 't1', attack: false, classes: [], score: 0, evidence: [] });
  });

  it('gives every detector the extracted inputs and combines their findings', () => {
    const seen: string[][] = [];
    const a = fake('a', (inputs) => {
      seen.push(inputs.map((i) => i.location));
      return [f('xss', 6, 'args.q'), f('sqli', 4, 'args.id')];
    });
    const b = fake('b', () => [f('sqli', 9, 'args.id', "1' or 1=1"), f('sqli', 7, 'args.id')]);
    const verdict = new TransactionAnalyzer([a, b]).analyze(transaction);
    expect(seen).toEqual([['path', 'args.id', 'args.q', 'args_names', 'args_names']]);
    expect(verdict).toEqual({
      id: 't1', attack: true, classes: ['sqli', 'xss'], score: 9,
      evidence: [{ location: 'args.id', class: 'sqli', decoded: "1' or 1=1" }, { location: 'args.q', class: 'xss', decoded: 'x' }],
    });
  });

  it('weak findings raise the score but name no class', () => {
    const verdict = new TransactionAnalyzer([fake('weak', () => [f('rce', 3, 'args.q')])]).analyze(transaction);
    expect(verdict).toEqual({ id: 't1', attack: false, classes: [], score: 3, evidence: [] });
  });

  it('counts a throwing detector and keeps the others', () => {
    const analyzer = new TransactionAnalyzer([
      fake('broken', () => {
        throw new Error('bug');
      }),
      fake('ok', () => [f('lfi', 8, 'path')]),
    ]);
    expect(analyzer.analyze(transaction)).toMatchObject({ attack: true, classes: ['lfi'] });
    expect(analyzer.counters).toEqual({ transactions: 1, attacks: 1, detectorFailures: { broken: 1 } });
  });
});

describe('combineFindings', () => {
  it('at most 20 evidence items, strongest first, decoded cut at 256 characters', () => {
    const findings = Array.from({ length: 30 }, (_, i) => f('xss', 5 + (i % 5), `args.p${i}`, 'A'.repeat(1000)));
    const verdict = combineFindings('x', findings);
    expect(verdict.evidence).toHaveLength(20);
    expect(verdict.evidence[0]?.decoded).toHaveLength(256);
    expect(verdict.evidence[0]?.location).toBe('args.p4');
  });

  it('classes in the contract order; scores clamped to 0–10', () => {
    const verdict = combineFindings('x', [f('scanner', 50, 'headers.user-agent'), f('ssrf', 6, 'args.u'), f('sqli', Number.NaN, 'args.id')]);
    expect(verdict.classes).toEqual(['ssrf', 'scanner']);
    expect(verdict.score).toBe(10);
  });
});

/**
 * @module analyze/corpus/metrics.test
 * The arithmetic of the bench's metrics.
 */
import { describe, expect, it } from 'vitest';
import { computeMetrics, formatMetrics } from './metrics.js';
import type { CorpusLabel } from './index.js';

const v = (attack: boolean, ...classes: ('sqli' | 'xss' | 'lfi')[]): { attack: boolean; classes: ('sqli' | 'xss' | 'lfi')[] } => ({ attack, classes });

describe('computeMetrics', () => {
  const labels: CorpusLabel[] = ['benign', 'benign', 'benign', 'benign', 'sqli', 'sqli', 'sqli', 'sqli', 'xss', 'xss'];
  const verdicts = [v(false), v(true, 'xss'), v(false), v(false), v(true, 'sqli'), v(true, 'xss'), v(false), v(true, 'sqli', 'xss'), v(true, 'xss'), v(false)];
  const m = computeMetrics(labels, verdicts);

  it('counts detection and right class per class', () => {
    expect(m.perClass.find((c) => c.label === 'sqli')).toEqual({ label: 'sqli', total: 4, detected: 3, rightClass: 2, detectionRate: 0.75, rightClassRate: 0.5 });
    expect(m.perClass.find((c) => c.label === 'xss')).toEqual({ label: 'xss', total: 2, detected: 1, rightClass: 1, detectionRate: 0.5, rightClassRate: 0.5 });
  });

  it('sums attacks overall and false positives on benign', () => {
    expect(m.attacks).toEqual({ total: 6, detected: 4, rightClass: 3, detectionRate: 4 / 6, rightClassRate: 0.5 });
    expect(m.benign).toEqual({ total: 4, falsePositives: 1, falsePositiveRate: 0.25 });
  });

  it('does not count a class without attack as detected', () => {
    expect(computeMetrics(['lfi'], [v(false, 'lfi')]).perClass[0]?.rightClass).toBe(0);
  });

  it('is zero, not NaN, on empty input, and refuses mismatched lengths', () => {
    const empty = computeMetrics([], []);
    expect(empty.attacks.detectionRate).toBe(0);
    expect(empty.benign.falsePositiveRate).toBe(0);
    expect(() => computeMetrics(['benign'], [])).toThrow();
  });

  it('formats a table', () => {
    const text = formatMetrics(m);
    expect(text).toContain('sqli');
    expect(text).toContain('75.00 %');
    expect(text).toContain('1 false positives (25.00 %)');
  });
});

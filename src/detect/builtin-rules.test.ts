/**
 * The built-in rule pack (`rules/`): every file loads and compiles, and every rule's samples
 * behave — each `match` event matches, no `nomatch` event does, and each correlation sequence
 * fires exactly as its `expect` says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulePaths, ruleFilesOf } from './rule-loader.js';
import { CorrelationEngine } from './sigma/correlation/engine.js';
import { flatGetter } from './sigma/fields/getter.js';

const rulesDir = join(import.meta.dirname, '..', '..', 'rules');
const files = ruleFilesOf(rulesDir);

interface DetectionSamples {
  match: Record<string, unknown>[];
  nomatch: Record<string, unknown>[];
}
interface SequenceSamples {
  sequences: { description?: string; events: Record<string, unknown>[]; expect: { rule: string; count: number }[] }[];
}

describe('built-in rule pack', () => {
  it('loads every file', async () => {
    const { files: statuses, ruleSet } = await loadRulePaths([rulesDir]);
    expect(statuses.filter((f) => !f.ok)).toEqual([]);
    expect(ruleSet.rules.length).toBeGreaterThanOrEqual(30);
    expect(files.length).toBe(statuses.length);
  });

  describe.each(files)('$name', ({ file, name }) => {
    it('behaves as its samples say', async () => {
      const samples = JSON.parse(readFileSync(file.replace(/\.ya?ml$/, '.samples.json'), 'utf8')) as Partial<DetectionSamples & SequenceSamples>;
      const { ruleSet } = await loadRulePaths([file]);
      if (samples.sequences) {
        for (const sequence of samples.sequences) {
          const engine = new CorrelationEngine([...ruleSet.correlations]);
          const fired = new Map<string, number>();
          sequence.events.forEach((event, index) => {
            const time = Date.parse(String(event['@timestamp']));
            for (const rule of ruleSet.rules) {
              if (!rule.matches(event, flatGetter)) continue;
              for (const hit of engine.process({ ruleId: rule.id, ruleName: rule.name, time, ref: index, value: (f) => flatGetter(event, f) })) {
                fired.set(hit.correlationId, (fired.get(hit.correlationId) ?? 0) + 1);
              }
            }
          });
          for (const expectation of sequence.expect) {
            expect({ sequence: sequence.description ?? '', rule: expectation.rule, count: fired.get(expectation.rule) ?? 0 }).toEqual({ sequence: sequence.description ?? '', rule: expectation.rule, count: expectation.count });
          }
        }
        return;
      }
      const rule = ruleSet.rules[0];
      expect(rule, `${name} has a detection rule`).toBeDefined();
      if (!rule) return;
      expect(samples.match?.length ?? 0).toBeGreaterThanOrEqual(2);
      expect(samples.nomatch?.length ?? 0).toBeGreaterThanOrEqual(3);
      for (const event of samples.match ?? []) expect({ event, matched: rule.matches(event, flatGetter) }).toEqual({ event, matched: true });
      for (const event of samples.nomatch ?? []) expect({ event, matched: rule.matches(event, flatGetter) }).toEqual({ event, matched: false });
    });
  });
});

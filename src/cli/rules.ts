/**
 * @module cli/rules
 * `vigil rules validate|match|list`. `validate` and `match` are a contract (their output is read
 * by tools, exactly): one JSON object per line on stdout, exit 0.
 *  - validate: `{"file","ok","error"?}` per *.yml/*.yaml under a directory; ok only when every
 *    document of the file compiled into something the engine runs.
 *  - match: flat events (one JSON object per line, in time order) against rules, ignoring
 *    logsources: `{"rule_id","event"}` per detection match and, for a correlation, the line of the
 *    event that completed it plus `"group"`. Rules that a correlation refers to without
 *    `generate: true` report no matches of their own (Sigma correlation specification,
 *    "Generate": by default only the correlation is generated).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadRulePaths } from '../detect/rule-loader.js';
import type { RuleMatch } from '../detect/sigma/contract.js';
import { CorrelationEngine } from '../detect/sigma/correlation/engine.js';
import { flatGetter } from '../detect/sigma/fields/getter.js';

export async function validateRulesCommand(dir: string, write: (line: string) => void, placeholders: Record<string, string[]> = {}): Promise<void> {
  const { files } = await loadRulePaths([dir], { placeholders });
  for (const file of files) {
    write(JSON.stringify(file.ok ? { file: file.file, ok: true } : { file: file.file, ok: false, error: file.error ?? 'not compiled' }));
  }
}

const timeFields = ['@timestamp', 'timestamp', 'Timestamp', 'UtcTime', 'TimeCreated', 'SystemTime', 'EventTime', 'time', 'date'];

function eventTime(event: Record<string, unknown>, field: string | undefined, line: number, previous: number): number {
  const candidates = field ? [field] : timeFields;
  for (const name of candidates) {
    const value = flatGetter(event, name);
    if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
    if (typeof value === 'string') {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  // No time on the event: keep it in sequence, one millisecond after the previous one.
  return previous === Number.NEGATIVE_INFINITY ? line : previous + 1;
}

export interface MatchOptions {
  rules: string;
  events: string;
  timeField?: string;
  placeholders?: Record<string, string[]>;
  write: (line: string) => void;
  warn: (line: string) => void;
}

export async function matchRulesCommand(options: MatchOptions): Promise<{ events: number; matches: number }> {
  const { ruleSet, files } = await loadRulePaths([options.rules], { placeholders: options.placeholders ?? {} });
  for (const file of files) if (!file.ok) options.warn(`${file.file}: ${file.error ?? 'refused'}`);
  const silenced = new Set<string>();
  for (const correlation of ruleSet.correlations) if (!correlation.generate) for (const ref of correlation.rules) silenced.add(ref);
  const rules = ruleSet.rules.map((rule) => ({ rule, reports: !silenced.has(rule.id) && !(rule.name !== null && silenced.has(rule.name)) }));
  const engine = new CorrelationEngine([...ruleSet.correlations]);
  const input = createInterface({ input: createReadStream(options.events), crlfDelay: Infinity });
  let line = -1;
  let matches = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for await (const text of input) {
    line++;
    if (text.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      options.warn(`events line ${line}: not JSON`);
      continue;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      options.warn(`events line ${line}: not a JSON object`);
      continue;
    }
    const time = eventTime(event as Record<string, unknown>, options.timeField, line, previous);
    previous = time;
    for (const { rule, reports } of rules) {
      if (!rule.matches(event, flatGetter)) continue;
      if (reports) {
        options.write(JSON.stringify({ rule_id: rule.id, event: line }));
        matches++;
      }
      const match: RuleMatch = { ruleId: rule.id, ruleName: rule.name, time, ref: line, value: (field) => flatGetter(event, field) };
      for (const hit of engine.process(match)) {
        if (silenced.has(hit.correlationId) || (hit.correlationName !== null && silenced.has(hit.correlationName))) continue;
        options.write(JSON.stringify({ rule_id: hit.correlationId, event: hit.ref, group: hit.group }));
        matches++;
      }
    }
  }
  return { events: line + 1, matches };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../analyze/contract.js';
import { analyzeHttpCommand } from './analyze.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-analyze-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Flags any input whose decoded value contains `<script`. */
const scriptTag: Detector = {
  name: 'script-tag',
  inspect: (_t, inputs) =>
    inputs.filter((i) => i.decoded.toLowerCase().includes('<script')).map((i) => ({ class: 'xss' as const, score: 8, location: i.location, decoded: i.decoded, reason: 'xss:test' })),
};

async function run(content: string, detectors: readonly Detector[] = [scriptTag]): Promise<{ lines: Record<string, unknown>[]; warnings: string[]; result: { transactions: number; attacks: number } }> {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, content);
  const out: string[] = [];
  const warnings: string[] = [];
  const result = await analyzeHttpCommand({ input: file, write: (l) => out.push(l), warn: (l) => warnings.push(l), detectors });
  return { lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), warnings, result };
}

describe('analyzeHttpCommand', () => {
  it('one verdict per line, in order, with errors in place', async () => {
    const content = [
      JSON.stringify({ id: 'a', method: 'GET', uri: '/tim-kiem?q=%253Cscript%253Ealert(1)' }),
      '{not json',
      JSON.stringify({ id: 7, method: 'GET', uri: '/dich-vu?ten=%C4%91%C4%83ng+k%C3%BD+khai+sinh' }),
      JSON.stringify({ method: 'GET', uri: 5 }),
      '',
      JSON.stringify({ event: { id: 'ecs-1' }, http: { request: { method: 'POST', body: { content: 'x=<script>' } } }, url: { path: '/p' } }),
    ].join('\n');
    const { lines, warnings, result } = await run(`${content}\n`);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({ id: 'a', attack: true, classes: ['xss'], score: 8, evidence: [{ location: 'args.q', class: 'xss', decoded: '<script>alert(1)' }] });
    expect(lines[1]).toMatchObject({ id: '2', attack: false, classes: [], score: 0, evidence: [] });
    expect(String(lines[1]?.['error'])).toMatch(/^invalid JSON/);
    expect(lines[2]).toEqual({ id: '7', attack: false, classes: [], score: 0, evidence: [] });
    expect(lines[3]).toEqual({ id: '4', attack: false, classes: [], score: 0, evidence: [], error: '"uri" must be a string' });
    expect(lines[4]).toMatchObject({ id: '5', error: 'empty line' });
    expect(lines[5]).toMatchObject({ id: 'ecs-1', attack: true, classes: ['xss'] });
    expect(result).toEqual({ transactions: 3, attacks: 2 });
    expect(warnings).toContain('3 of 6 lines were not transactions');
  });

  it('output keys in the contract order', async () => {
    const { lines } = await run(`${JSON.stringify({ id: 'x', method: 'GET', uri: '/' })}\n`);
    expect(Object.keys(lines[0] ?? {})).toEqual(['id', 'attack', 'classes', 'score', 'evidence']);
  });

  it('runs the registered detectors by default and never throws on odd transactions', async () => {
    const odd = [
      { id: '1', method: 'POST', uri: '/?a=%', headers: { 'Content-Type': 'application/json' }, body: '['.repeat(3000) },
      { id: '2', method: 'POST', uri: '/', headers: { 'Content-Type': 'multipart/form-data; boundary=' }, body: '--\r\n\r\n' },
      { id: '3', method: 'GET', uri: `/${'%c0%ae'.repeat(5000)}`, headers: { Cookie: ';;=;' } },
    ];
    const file = join(dir, 'odd.jsonl');
    writeFileSync(file, odd.map((o) => JSON.stringify(o)).join('\n'));
    const out: string[] = [];
    await analyzeHttpCommand({ input: file, write: (l) => out.push(l), warn: () => undefined });
    expect(out.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['1', '2', '3']);
  });

  it('a missing file is an error', async () => {
    await expect(analyzeHttpCommand({ input: join(dir, 'none.jsonl'), write: () => undefined, warn: () => undefined })).rejects.toThrow(/ENOENT/);
  });
});

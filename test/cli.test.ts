/**
 * The `vigil` command as a user runs it: help, configuration checking with located problems, and
 * replaying a historic log file (gzip) through the ingest API — twice, storing it once.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import { call, startTestCentre, type TestCentre } from './support.js';

const run = promisify(execFile);
const main = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');

async function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { env: { ...process.env, VIGIL_CONFIG: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let t: TestCentre;
let sensor: { id: string; key: string };

beforeAll(async () => {
  t = await startTestCentre();
  const created = await call<{ id: string; key: string }>(t.centre.url, 'POST', '/api/v1/sensors', { token: t.adminToken, body: { orgId: t.rootOrgId, name: 'archive', format: 'nginx' } });
  sensor = created.body;
});

afterAll(async () => {
  await t?.stop();
});

describe('vigil', () => {
  it('lists every command in --help', async () => {
    const { stdout, code } = await vigil(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'check-config', 'replay', 'formats', 'set-password']) expect(stdout).toContain(command);
  });

  it('reports every configuration problem with its line, and fails', async () => {
    const file = join(t.dir, 'broken.yaml');
    writeFileSync(file, 'server:\n  port: 99999\nstore:\n  retentionDays: -1\n  colour: red\n');
    const { code, stderr } = await vigil(['check-config', '--config', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:2:9 server.port`);
    expect(stderr).toContain(`${file}:4:18 store.retentionDays`);
    expect(stderr).toContain(`${file}:5:3 store.colour: unknown setting colour`);
  });

  it('replays a gzip log file once, however often it is run', async () => {
    const stamp = new Date(Date.now() - 3_600_000);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const p = (n: number) => String(n).padStart(2, '0');
    const clf = `${p(stamp.getUTCDate())}/${months[stamp.getUTCMonth()]}/${stamp.getUTCFullYear()}:${p(stamp.getUTCHours())}:${p(stamp.getUTCMinutes())}:${p(stamp.getUTCSeconds())} +0000`;
    const lines = Array.from({ length: 2500 }, (_, i) => `14.161.${i % 250}.9 - - [${clf}] "GET /replayed/${i} HTTP/1.1" 200 99 "-" "Mozilla/5.0"`);
    lines.splice(1200, 0, 'a line that is not an access log');
    const file = join(t.dir, 'access.log.gz');
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
    const args = ['replay', file, '--format', 'nginx', '--sensor', sensor.id, '--key', sensor.key, '--url', t.centre.url, '--batch', '1000', '--no-progress'];
    const first = await vigil(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2501 lines in 3 batches: 2500 accepted, 1 rejected');
    expect(first.stderr).toContain('line 1201: VIGIL_ERR_PARSE');
    const second = await vigil(args);
    expect(second.stdout).toContain('3 batches already loaded');
    const stored = await call<{ items: unknown[] }>(t.centre.url, 'GET', '/api/v1/events?q=%2Freplayed%2F&limit=1000', { token: t.adminToken });
    expect(stored.body.items).toHaveLength(1000);
    const count = t.centre.store.events.count(Scope.system('test: count the replayed events'));
    expect(count).toBe(2500);
  });

  it('refuses a key that belongs to another sensor', async () => {
    const file = join(t.dir, 'one.log');
    writeFileSync(file, 'x\n');
    const { code, stderr } = await vigil(['replay', file, '--format', 'nginx', '--sensor', 'sen_other', '--key', sensor.key, '--url', t.centre.url, '--no-progress']);
    expect(code).toBe(1);
    expect(stderr).toContain(`the key belongs to sensor ${sensor.id}, not sen_other`);
  });
});

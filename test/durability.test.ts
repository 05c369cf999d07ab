/**
 * A batch acknowledged with 202 survives the process being killed outright: the real `vigil
 * start` is spawned, sent batches, killed with SIGKILL right after the acknowledgement, started
 * again on the same data directory — and every acknowledged event is there, once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support.js';

const main = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
let dir: string;
let configFile: string;

function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [main, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${output}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build (npm test does it first)`);
  dir = mkdtempSync(join(tmpdir(), 'vigil-kill-'));
  configFile = join(dir, 'vigil.yaml');
  writeFileSync(configFile, [`dataDir: ${JSON.stringify(join(dir, 'data'))}`, 'server: { host: 127.0.0.1, port: 0, logLevel: warn }', 'demo: { enabled: false }'].join('\n'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every batch acknowledged with 202 across SIGKILL and restart', async () => {
    const first = await start();
    const password = /with password (\S+)/.exec(first.output())?.[1] as string;
    const login = await call<{ token: string; user: { orgId: string } }>(first.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password } });
    const sensor = await call<{ id: string; key: string }>(first.url, 'POST', '/api/v1/sensors', { token: login.body.token, body: { orgId: login.body.user.orgId, name: 'durable', format: 'ecs' } });
    const acknowledged: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ '@timestamp': new Date().toISOString(), event: { kind: 'event' }, message: `durable-${batch}-${i}` }));
      const reply = await call<{ accepted: number }>(first.url, 'POST', '/api/v1/ingest', { token: sensor.body.key, raw: lines.join('\n'), headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': `durable-${batch}` } });
      expect(reply.status).toBe(202);
      expect(reply.body.accepted).toBe(200);
      acknowledged.push(...lines);
    }
    await kill(first.child);

    const second = await start();
    try {
      const relogin = await call<{ token: string }>(second.url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password } });
      let cursor: string | null = null;
      const seen = new Set<string>();
      let total = 0;
      do {
        const page: { body: { items: { event: { message: string } }[]; next: string | null } } = await call(second.url, 'GET', `/api/v1/events?q=durable-&limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: relogin.body.token });
        for (const item of page.body.items) seen.add(item.event.message);
        total += page.body.items.length;
        cursor = page.body.next;
      } while (cursor);
      expect(total).toBe(acknowledged.length);
      expect(seen.size).toBe(acknowledged.length);
      // A sender that never saw the last 202 retries it: stored once, not twice.
      const retry = await call<{ duplicate: boolean }>(second.url, 'POST', '/api/v1/ingest', { token: sensor.body.key, raw: acknowledged.slice(800).join('\n'), headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'durable-4' } });
      expect(retry.body.duplicate).toBe(true);
    } finally {
      await kill(second.child);
    }
  });
});

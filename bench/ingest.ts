/**
 * @module bench/ingest
 * `npm run bench:ingest`: ingest throughput.
 *  1. parse+normalise alone, one core: nginx combined lines and ECS JSON events;
 *  2. end to end: the real centre (`vigil start` in a child process, SQLite store with the default
 *     synchronous=FULL) receiving HTTP batches of 500 nginx lines (about 3% hostile) from
 *     concurrent clients — events/s, p50/p99 batch latency, and the server's peak RSS — once with
 *     detection off (ingest alone) and once with it on (the whole pipeline).
 * Environment: BENCH_SECONDS (default 20), BENCH_CONCURRENCY (default 8), BENCH_SYNCHRONOUS (full|normal).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { getNormaliser } from '../src/parse/registry.js';
import type { NormaliseContext, RawRecord } from '../src/parse/normaliser.js';
import { ecsJsonLine, nginxLine } from './fixtures.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const synchronous = process.env['BENCH_SYNCHRONOUS'] === 'normal' ? 'normal' : 'full';
const BATCH = 500;

function benchNormaliser(format: string, lines: string[]): number {
  const normaliser = getNormaliser(format);
  if (!normaliser) throw new Error(`no normaliser ${format}`);
  const ctx: NormaliseContext = { receivedAt: Date.now(), tzOffsetMinutes: 420, stream: {} };
  const records: RawRecord[] = lines.map((text) => ({ text }));
  let failures = 0;
  for (let round = 0; round < 2; round++) for (const r of records) normaliser.normalise(r, ctx); // warm-up
  const rounds = 5;
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    for (const record of records) {
      const result = normaliser.normalise(record, ctx);
      if (typeof result !== 'object' || !('@timestamp' in result)) failures++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (failures > 0) throw new Error(`${format}: ${failures} lines failed to normalise`);
  return (records.length * rounds) / elapsed;
}

async function startServer(dataDir: string, detection: boolean): Promise<{ url: string; admin: string; pid: number; stop: () => Promise<void> }> {
  const configFile = join(dataDir, 'vigil.yaml');
  writeFileSync(configFile, [
    `dataDir: ${JSON.stringify(join(dataDir, 'data'))}`,
    'server: { host: 127.0.0.1, port: 0, logLevel: warn }',
    `store: { synchronous: ${synchronous} }`,
    'ingest: { ratePerSecond: 100000000, rateBurst: 100000000 }',
    'demo: { enabled: false }',
    `detection: { enabled: ${detection} }`,
  ].join('\n'));
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  // BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const flags = (process.env['BENCH_SERVER_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...flags, main, 'start', '--config', configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const ready = await new Promise<{ url: string; admin: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const admin = /with password (\S+)/.exec(output)?.[1];
      if (url && admin) resolve({ url, admin });
    });
  });
  return {
    ...ready,
    pid: child.pid as number,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function json<T>(url: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }): Promise<T> {
  const response = await request(url, { method: init.method ?? 'GET', ...(init.headers ? { headers: init.headers } : {}), ...(init.body !== undefined ? { body: init.body } : {}) });
  const body = (await response.body.json()) as T;
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${JSON.stringify(body)}`);
  return body;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function benchEndToEnd(detection: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const server = await startServer(dir, detection);
  try {
    const login = await json<{ token: string; user: { orgId: string } }>(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: server.admin }),
    });
    const sensor = await json<{ key: string }>(`${server.url}/api/v1/sensors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ orgId: login.user.orgId, name: 'bench nginx', format: 'nginx' }),
    });
    const base = Date.now() - 3_600_000;
    const bodies: string[] = [];
    for (let b = 0; b < 64; b++) {
      const lines: string[] = [];
      for (let i = 0; i < BATCH; i++) lines.push(nginxLine(b * BATCH + i, base));
      bodies.push(lines.join('\n'));
    }
    const pool = new Pool(server.url, { connections: concurrency });
    const latencies: number[] = [];
    let accepted = 0;
    let sent = 0;
    const post = async (): Promise<void> => {
      const body = bodies[sent % bodies.length] as string;
      const key = `bench-${sent++}`;
      const t0 = performance.now();
      const response = await pool.request({ path: '/api/v1/ingest', method: 'POST', body, headers: { authorization: `Bearer ${sensor.key}`, 'content-type': 'text/plain', 'idempotency-key': key } });
      const reply = (await response.body.json()) as { accepted: number };
      if (response.statusCode !== 202) throw new Error(`ingest answered ${response.statusCode}: ${JSON.stringify(reply)}`);
      latencies.push(performance.now() - t0);
      accepted += reply.accepted;
    };
    const run = async (durationMs: number): Promise<void> => {
      const end = performance.now() + durationMs;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) await post();
      }));
    };
    await run(2000); // warm-up
    latencies.length = 0;
    accepted = 0;
    const started = performance.now();
    await run(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    await pool.close();
    console.log(`end-to-end HTTP ingest, detection ${detection ? 'on (built-in pack and web analyser, on their own thread)' : 'off'} (batches of ${BATCH} nginx lines, ${concurrency} concurrent clients, synchronous=${synchronous}, ${seconds}s):`);
    console.log(`  ${Math.round(accepted / elapsed).toLocaleString('en')} events/s stored; batch latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} batches)`);
    console.log(`  server peak RSS ${peakRssMiB(server.pid).toFixed(0)} MiB`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const base = Date.now() - 3_600_000;
  const nginxLines = Array.from({ length: 100_000 }, (_, i) => nginxLine(i, base));
  const jsonLines = Array.from({ length: 100_000 }, (_, i) => ecsJsonLine(i, base));
  console.log('parse+normalise, one core:');
  console.log(`  nginx combined: ${Math.round(benchNormaliser('nginx', nginxLines)).toLocaleString('en')} lines/s`);
  console.log(`  ECS JSON:       ${Math.round(benchNormaliser('ecs', jsonLines)).toLocaleString('en')} events/s`);
  await benchEndToEnd(false);
  await benchEndToEnd(true);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * @module cli/replay
 * `vigil replay <file>`: loads historic logs through the centre's real ingest path (HTTP, the
 * sensor's key), in batches, with a progress bar. Each batch's idempotency key is derived from the
 * file's identity and the batch's byte offset, so running the same replay again after an
 * interruption stores nothing twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SingleBar } from 'cli-progress';
import { request } from 'undici';

export interface ReplayOptions {
  file: string;
  format: string;
  sensor: string;
  key: string;
  url: string;
  batchSize: number;
  progress: boolean;
  print: (text: string) => void;
}

export interface ReplayResult {
  lines: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  batches: number;
}

interface BatchReply {
  accepted: number;
  rejected: { line: number; code: string; reason: string }[];
  duplicate: boolean;
}

export async function replayFile(options: ReplayOptions): Promise<ReplayResult> {
  const base = options.url.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.key}` };
  const who = await request(`${base}/api/v1/ingest/whoami`, { headers });
  const identity = (await who.body.json()) as { sensorId?: string; message?: string };
  if (who.statusCode !== 200) throw new Error(`the centre refused the key: ${identity.message ?? who.statusCode}`);
  if (identity.sensorId !== options.sensor) throw new Error(`the key belongs to sensor ${identity.sensorId}, not ${options.sensor}`);

  const stat = statSync(options.file);
  const fileId = createHash('sha256').update(`${basename(options.file)}:${stat.size}:${stat.mtimeMs}:${options.format}`).digest('hex').slice(0, 24);
  const bar = options.progress ? new SingleBar({ format: 'replay [{bar}] {percentage}% | {value}/{total} bytes | {lines} lines | {accepted} accepted | {rejected} rejected', noTTYOutput: true, notTTYSchedule: 5000 }) : null;
  bar?.start(stat.size, 0, { lines: 0, accepted: 0, rejected: 0 });

  const raw = createReadStream(options.file);
  const input = options.file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const result: ReplayResult = { lines: 0, accepted: 0, rejected: 0, duplicates: 0, batches: 0 };
  let batch: string[] = [];
  let firstLine = 1;

  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const body = batch.join('\n');
    const idempotencyKey = `replay-${fileId}-${firstLine}`;
    const reply = await postWithRetry(`${base}/api/v1/ingest?format=${encodeURIComponent(options.format)}`, body, { ...headers, 'content-type': 'text/plain', 'idempotency-key': idempotencyKey });
    result.batches++;
    result.accepted += reply.accepted;
    result.rejected += reply.rejected.length;
    if (reply.duplicate) result.duplicates++;
    for (const rejection of reply.rejected.slice(0, 3)) {
      options.print(`line ${firstLine + rejection.line - 1}: ${rejection.code} ${rejection.reason}`);
    }
    firstLine += batch.length;
    batch = [];
    bar?.update(raw.bytesRead, { lines: result.lines, accepted: result.accepted, rejected: result.rejected });
  };

  for await (const line of lines) {
    result.lines++;
    batch.push(line);
    if (batch.length >= options.batchSize) await send();
  }
  await send();
  bar?.update(stat.size, { lines: result.lines, accepted: result.accepted, rejected: result.rejected });
  bar?.stop();
  return result;
}

/** Retries network errors, 429 and 5xx with backoff, always with the same idempotency key. */
async function postWithRetry(url: string, body: string, headers: Record<string, string>): Promise<BatchReply> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await request(url, { method: 'POST', body, headers });
      const payload = (await response.body.json()) as BatchReply & { message?: string };
      if (response.statusCode === 202) return payload;
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      if (!retryable || attempt >= 8) throw new Error(`the centre answered ${response.statusCode}: ${payload.message ?? ''}`);
      const after = Number(response.headers['retry-after'] ?? 0);
      await sleep(after > 0 ? after * 1000 : backoff(attempt));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the centre answered')) throw error;
      if (attempt >= 8) throw error;
      await sleep(backoff(attempt));
    }
  }
}

const backoff = (attempt: number): number => Math.min(30_000, 250 * 2 ** attempt);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

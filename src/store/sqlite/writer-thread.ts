/**
 * @module store/sqlite/writer-thread
 * The worker side of the SQLite writer thread: it opens its own connection to the store's file
 * and commits the ingest batches the main thread sends, one transaction each, replying with the
 * commit result or the error. Errors cross the thread as `{ code, params }` and become
 * `VigilError`s again on the other side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VigilError } from '../../core/errors.js';
import { Scope } from '../../core/scope.js';
import type { CommitResult } from '../store.js';
import type { EncodedBatch, GroupItem } from './ingest.js';
import { openSqliteStore } from './open.js';

export interface WriterData {
  path: string;
  synchronous: 'full' | 'normal';
}

export type WriterRequest = { id: number; batch: EncodedBatch } | { id: number; close: true };

export type WriterReply =
  | { id: number; result: CommitResult }
  | { id: number; closed: true }
  | { id: number; error: { message: string; code?: string; params?: Record<string, string | number> } };

const port = parentPort;
if (port === null) throw new Error('writer-thread must run as a worker thread');
const { path, synchronous } = workerData as WriterData;
const store = openSqliteStore({ path, synchronous });

type ErrorReply = Extract<WriterReply, { error: unknown }>['error'];

function describe(error: unknown): ErrorReply {
  return error instanceof VigilError
    ? { message: error.message, code: error.code, params: { ...error.params } }
    : { message: error instanceof Error ? error.message : String(error) };
}

/*
 * Group commit: batches that arrive while a commit is running queue up and are committed together
 * in the next transaction (each in its own savepoint), so under load the cost of a commit — the
 * WAL write and its fsync — is shared by several batches instead of paid by each.
 */
let queue: { id: number; item: GroupItem }[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const taken = queue;
  queue = [];
  let results: (CommitResult | Error)[];
  try {
    results = store.ingest.commitGroup(taken.map((entry) => entry.item));
  } catch (error) {
    const reply = describe(error);
    for (const entry of taken) port?.postMessage({ id: entry.id, error: reply } satisfies WriterReply);
    return;
  }
  taken.forEach((entry, i) => {
    const result = results[i] as CommitResult | Error;
    port?.postMessage(result instanceof Error ? { id: entry.id, error: describe(result) } : { id: entry.id, result });
  });
}

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    if (queue.length > 0) flush();
    store.close();
    port.postMessage({ id: request.id, closed: true } satisfies WriterReply);
    port.close();
    return;
  }
  // A batch is one sensor's, so one organisation's: the same scope the sensor writes with.
  queue.push({ id: request.id, item: { scope: Scope.single(request.batch.orgId), batch: request.batch } });
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});

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
import type { BatchToCommit, CommitResult } from '../store.js';
import { openSqliteStore } from './open.js';

export interface WriterData {
  path: string;
  synchronous: 'full' | 'normal';
}

export type WriterRequest = { id: number; batch: BatchToCommit } | { id: number; close: true };

export type WriterReply =
  | { id: number; result: CommitResult }
  | { id: number; closed: true }
  | { id: number; error: { message: string; code?: string; params?: Record<string, string | number> } };

const port = parentPort;
if (port === null) throw new Error('writer-thread must run as a worker thread');
const { path, synchronous } = workerData as WriterData;
const store = openSqliteStore({ path, synchronous });

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    store.close();
    port.postMessage({ id: request.id, closed: true } satisfies WriterReply);
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    // A batch is one sensor's, so one organisation's: the same scope the sensor writes with.
    reply = { id: request.id, result: store.ingest.commit(Scope.single(request.batch.orgId), request.batch) };
  } catch (error) {
    reply = error instanceof VigilError
      ? { id: request.id, error: { message: error.message, code: error.code, params: { ...error.params } } }
      : { id: request.id, error: { message: error instanceof Error ? error.message : String(error) } };
  }
  port.postMessage(reply);
});

/**
 * @module store/sqlite/batch-writer
 * Where ingest batches are committed. `startWriterThread` runs the commits on a worker thread
 * with its own SQLite connection: the main thread keeps receiving, decoding and normalising the
 * next batches while SQLite writes the previous one, which is what lets the embedded centre use
 * both cores. SQLite in WAL mode lets the main thread's connection read meanwhile; only this
 * thread writes events, so the sequence numbers stay strictly increasing in commit order.
 * `inlineCommitter` commits on the calling thread (in-memory stores, tests).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { VigilError, type ErrorCode } from '../../core/errors.js';
import { Scope } from '../../core/scope.js';
import type { BatchCommitter, BatchToCommit, CommitResult, Store } from '../store.js';
import { encodeBatch } from './ingest.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-thread.js';

export function inlineCommitter(store: Store): BatchCommitter {
  return {
    commit: async (batch) => store.ingest.commit(Scope.single(batch.orgId), batch),
    close: async () => {},
  };
}

interface Pending {
  resolve: (result: CommitResult) => void;
  reject: (error: Error) => void;
}

/** The compiled worker file; the writer thread runs from the build (`npm run build`). */
export function writerThreadFile(): URL {
  const here = new URL('./writer-thread.js', import.meta.url);
  if (existsSync(here)) return here;
  // Running from TypeScript sources (tests): use the build beside them.
  return new URL('../../../dist/src/store/sqlite/writer-thread.js', import.meta.url);
}

export class WriterThread implements BatchCommitter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing = false;

  constructor(private readonly data: WriterData) {}

  private start(): Worker {
    const file = writerThreadFile();
    if (!existsSync(file)) throw new VigilError('VIGIL_ERR_INTERNAL');
    const worker = new Worker(file, { workerData: this.data });
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    // A crashed writer fails what it was given (nothing of it was acknowledged) and is restarted
    // on the next commit.
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the store writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if ('result' in reply) pending.resolve(reply.result);
    else if ('error' in reply) {
      const { code, params, message } = reply.error;
      pending.reject(code ? new VigilError(code as ErrorCode, params ?? {}) : new Error(message));
    } else pending.resolve({ status: 'stored', summary: { batchId: '', received: 0, accepted: 0, rejected: [], firstSeq: null, lastSeq: null } });
  }

  commit(batch: BatchToCommit): Promise<CommitResult> {
    if (this.closing) return Promise.reject(new Error('the store writer is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<CommitResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Encoded here, on the calling thread: the JSON of each document is the costly part, and
      // strings cross to the worker more cheaply than nested objects.
      worker.postMessage({ id, batch: encodeBatch(batch) } satisfies WriterRequest);
    });
  }

  /** Waits for the commits in flight, closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      worker.postMessage({ id, close: true } satisfies WriterRequest);
    });
    await worker.terminate();
    this.worker = null;
  }
}

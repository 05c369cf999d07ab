/**
 * @module detect/detection-client
 * The main thread's handle on the detection thread: it starts the thread, wakes it when batches
 * are stored, tells it when exceptions or settings change, and keeps its own copy of the rule set
 * for the rules API (loaded from the same directories, reloaded on the same changes).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Bus } from '../bus/bus.js';
import type { Notification } from '../warn/notification.js';
import type { DetectionCommand, DetectionReport, DetectionThreadData } from './detection-thread.js';
import type { DetectionsReport } from './detections-report.js';
import { emptyRuleSet, type DetectionControl, type RuleSet, type RuleSink } from './rule-set.js';
import { RuleWatcher } from './rule-watcher.js';

/** The compiled worker file (the thread runs from the build, like the store writer). */
function threadFile(): URL {
  const here = new URL('./detection-thread.js', import.meta.url);
  return existsSync(here) ? here : new URL('../../dist/src/detect/detection-thread.js', import.meta.url);
}

export class DetectionThread implements DetectionControl, RuleSink {
  private worker: Worker | null = null;
  private ruleSet: RuleSet = emptyRuleSet;
  private readonly watcher: RuleWatcher;
  private unsubscribe: (() => void) | null = null;
  private stopped: Promise<void> | null = null;
  /** Last seq the thread reported processed. */
  processed = 0;

  constructor(
    private readonly data: DetectionThreadData,
    private readonly bus: Bus,
    private readonly log: (message: string) => void,
    /** The thread queued notifications (campaign warnings): wake the delivery worker, show them on the live stream. */
    private readonly onQueued?: (notifications: readonly Notification[]) => void,
    /** The thread raised alerts or opened/grew incidents: show them on the live stream. */
    private readonly onDetections?: (report: DetectionsReport) => void,
  ) {
    this.watcher = new RuleWatcher(data.ruleDirs, this, { placeholders: data.placeholders, log: () => {} });
  }

  setRules(ruleSet: RuleSet): void {
    this.ruleSet = ruleSet;
  }

  rules(): RuleSet {
    return this.ruleSet;
  }

  reloadControls(): void {
    this.send({ type: 'controls' });
  }

  async start(): Promise<void> {
    await this.watcher.load();
    if (this.data.hotReload) this.watcher.watch();
    const worker = new Worker(threadFile(), { workerData: this.data });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (report: DetectionReport) => {
        if (report.type === 'ready') resolve();
        else if (report.type === 'log') this.log(report.message);
        else if (report.type === 'batch') this.processed = report.lastSeq;
        else if (report.type === 'queued') this.onQueued?.(report.notifications);
        else if (report.type === 'detections') this.onDetections?.(report.report);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the detection thread exited with code ${code}`)));
    });
    worker.on('error', (error) => this.log(`detection thread failed: ${error.message}`));
    this.unsubscribe = this.bus.subscribe('events.stored', () => this.send({ type: 'wake' }));
  }

  private send(command: DetectionCommand): void {
    this.worker?.postMessage(command);
  }

  /** Lets the thread finish its batch and save its cursor and windows, then ends it. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.unsubscribe?.();
      this.watcher.close();
      const worker = this.worker;
      if (!worker) return;
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        worker.on('message', (report: DetectionReport) => {
          if (report.type === 'stopped') done();
        });
        worker.once('exit', done);
        worker.postMessage({ type: 'stop' } satisfies DetectionCommand);
      });
      await worker.terminate();
      this.worker = null;
    })();
    return this.stopped;
  }
}

/**
 * @module detect/detection-thread
 * Detection on its own thread. The main thread receives, parses and acknowledges batches; the
 * store writer thread commits them; this thread reads the committed events after its cursor,
 * matches them and stores the alerts — so detection never takes time from ingest. It has its own
 * SQLite connection, its own copy of the rules (reloaded on change) and of the organisation tree.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MemoryBus } from '../bus/memory/memory-bus.js';
import { systemClock } from '../core/clock.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from '../orgs/tree.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { DetectionService } from './detection-service.js';
import type { DetectionsReport } from './detections-report.js';
import { RuleWatcher } from './rule-watcher.js';
import type { CampaignOptions } from '../warn/campaigns.js';
import { DeliveryOutbox } from '../warn/delivery-outbox.js';
import type { Notification } from '../warn/notification.js';
import type { EscalationOptions } from '../warn/warning-service.js';
import type { IncidentGroupingOptions } from '../warn/incident-grouper.js';
import type { BehaviourOptions } from '../analyze/behaviour/index.js';
import { buildWarningLists, type WarningListSpec } from '../intel/warning-lists.js';

export interface DetectionThreadData {
  dbPath: string;
  synchronous: 'full' | 'normal';
  ruleDirs: string[];
  placeholders: Record<string, string[]>;
  hotReload: boolean;
  batchSize: number;
  webAnalysis: boolean;
  behaviour: false | Partial<BehaviourOptions>;
  incidents: false | Partial<IncidentGroupingOptions>;
  campaigns: false | Partial<CampaignOptions>;
  escalation: Partial<EscalationOptions>;
  /** Digest interval of delivery: campaign warnings are queued to the outbox from this thread. */
  digestIntervalMs: number;
  /** The configuration's `intel` settings; the warning lists are built in the thread. */
  intel: false | { warningLists: { builtin?: string[] | undefined; lists: WarningListSpec[] }; retroDays: number };
}

/** Main → detection thread. */
export type DetectionCommand =
  | { type: 'wake' }
  | { type: 'controls' }
  | { type: 'stop' };

/** Detection thread → main. */
export type DetectionReport =
  | { type: 'ready' }
  | { type: 'log'; message: string }
  | { type: 'batch'; events: number; alerts: number; lastSeq: number }
  /** Notifications were queued to the outbox (campaign warnings): the delivery worker may look now, the live stream shows them. */
  | { type: 'queued'; notifications: readonly Notification[] }
  /** New alerts and incidents, summarised and bounded (detections-report): the live stream shows them. */
  | { type: 'detections'; report: DetectionsReport }
  | { type: 'stopped' };

const port = parentPort;
if (port === null) throw new Error('detection-thread must run as a worker thread');
const data = workerData as DetectionThreadData;
const post = (report: DetectionReport): void => port.postMessage(report);
const log = (message: string): void => post({ type: 'log', message });

const store = openSqliteStore({ path: data.dbPath, synchronous: data.synchronous });
const orgScope = Scope.system('detection thread: organisation tree');
let tree = new OrgTree(store.orgs.list(orgScope));
const bus = new MemoryBus((error) => log(`detection: ${String(error)}`));
const detection = new DetectionService(store, bus, systemClock, () => tree, {
  batchSize: data.batchSize,
  webAnalysis: data.webAnalysis,
  behaviour: data.behaviour,
  incidents: data.incidents,
  campaigns: data.campaigns,
  escalation: data.escalation,
  notifications: new DeliveryOutbox(store, systemClock, { digestIntervalMs: data.digestIntervalMs, onQueued: (queued) => post({ type: 'queued', notifications: queued }) }),
  intel: data.intel === false ? false : { warningLists: buildWarningLists(data.intel.warningLists.lists, data.intel.warningLists.builtin), retroDays: data.intel.retroDays },
  log,
  onBatch: (info) => post({ type: 'batch', ...info }),
  onDetections: (report) => post({ type: 'detections', report }),
});
const watcher = new RuleWatcher(data.ruleDirs, detection, { placeholders: data.placeholders, log });
// Organisations are added rarely; the tree is re-read with the controls and every few seconds.
const treeTimer = setInterval(() => {
  tree = new OrgTree(store.orgs.list(orgScope));
}, 5_000);

await watcher.load();
if (data.hotReload) watcher.watch();
detection.start();
post({ type: 'ready' });

port.on('message', (command: DetectionCommand) => {
  switch (command.type) {
    case 'wake':
      detection.wake();
      break;
    case 'controls':
      tree = new OrgTree(store.orgs.list(orgScope));
      detection.reloadControls();
      detection.wake();
      break;
    case 'stop':
      clearInterval(treeTimer);
      watcher.close();
      void detection.stop().then(() => {
        store.close();
        post({ type: 'stopped' });
        port.close();
      });
      break;
  }
});

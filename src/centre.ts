/**
 * @module centre
 * The composition root: opens the store, wires ingest, the syslog listeners, the API and — in
 * demo mode — the demo tree and the traffic simulator, then runs housekeeping (retention) on a
 * timer. `startCentre` is what `vigil start` and the end-to-end tests call.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api/server.js';
import { bootstrapCentre, type BootstrapResult } from './bootstrap.js';
import { MemoryBus } from './bus/memory/memory-bus.js';
import { systemClock, type Clock } from './core/clock.js';
import type { LoadedConfig, VigilConfig } from './core/config.js';
import { Metrics } from './core/metrics.js';
import { Scope } from './core/scope.js';
import { demoJsonMappings, formatDemoBanner, seedDemo, type DemoSeed } from './demo/seed.js';
import { startSimulator } from './demo/simulator.js';
import { DetectionThread } from './detect/detection-client.js';
import { DetectionService } from './detect/detection-service.js';
import type { DetectionsReport } from './detect/detections-report.js';
import { builtinRulesDir, RuleWatcher } from './detect/rule-watcher.js';
import { IngestService } from './ingest/ingest-service.js';
import { RateLimiter } from './ingest/rate-limit.js';
import { SensorAuthenticator } from './ingest/sensor-auth.js';
import { startSyslogListeners, type SyslogListeners } from './ingest/syslog/listeners.js';
import { SyslogSensorResolver } from './ingest/syslog/sensor-resolver.js';
import { Directory, hashPassword } from './orgs/directory.js';
import { inlineCommitter, WriterThread } from './store/sqlite/batch-writer.js';
import { openSqliteStore } from './store/sqlite/open.js';
import type { Store } from './store/store.js';
import { behaviourOptionsFromConfig } from './analyze/behaviour-alerts.js';
import { buildWarningLists } from './intel/warning-lists.js';
import { FeedScheduler } from './intel/feed-scheduler.js';
import type { TaxiiFeed } from './intel/taxii-poller.js';
import { ConfigError } from './core/errors.js';
import type { Organization } from './core/model.js';
import { WarningService } from './warn/warning-service.js';
import { DeliveryOutbox } from './warn/delivery-outbox.js';
import { DeliveryWorker } from './warn/delivery-worker.js';
import { detectionEvents, LiveStream, notificationEvent } from './warn/live-stream.js';
import type { Notification, NotificationSink } from './warn/notification.js';

export interface CentreOptions {
  loaded: LoadedConfig;
  clock?: Clock;
  /** Log lines for the operator (start-up banner, problems); defaults to stdout. */
  print?: (text: string) => void;
  /** Fastify request logging (off in tests). */
  httpLogger?: boolean;
}

export interface Centre {
  url: string;
  config: Readonly<VigilConfig>;
  store: Store;
  directory: Directory;
  api: FastifyInstance;
  syslog: SyslogListeners | null;
  /** In-process detection (`detection.thread: false`), or null. */
  detection: DetectionService | null;
  /** Detection on its own thread (`detection.thread: true`, the default), or null. */
  detectionThread: DetectionThread | null;
  demo: DemoSeed | null;
  bootstrap: BootstrapResult;
  /** Where the warning side hands notifications (warn/delivery-outbox). */
  notifications: NotificationSink;
  /** The dashboard's live stream: `publish` shows an event to the users whose scope includes its organisation. */
  liveStream: LiveStream;
  /** Sends the outbox; started unless `delivery.enabled` is false. */
  deliveryWorker: DeliveryWorker;
  /** Escalates what is overdue now (also run every `warn.escalation.checkSeconds`); returns what it sent. */
  escalate(): Notification[];
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const housekeepingScope = Scope.system('retention and expiry');
const syslogScope = Scope.system('syslog sensor resolution');

export async function startCentre(options: CentreOptions): Promise<Centre> {
  const clock = options.clock ?? systemClock;
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const demoMode = options.loaded.demo;
  const config = effectiveConfig(options.loaded.config, demoMode);
  mkdirSync(config.dataDir, { recursive: true });

  const dbPath = join(config.dataDir, 'vigil.db');
  const store = openSqliteStore({ path: dbPath, synchronous: config.store.synchronous, clock });
  const committer = config.store.writerThread ? new WriterThread({ path: dbPath, synchronous: config.store.synchronous }) : inlineCommitter(store);
  const metrics = new Metrics();
  const bus = new MemoryBus((error, topic) => print(`bus subscriber failed on ${topic}: ${String(error)}`));
  const directory = new Directory(store, clock, config.auth.sessionTtlHours * 3_600_000);
  const ingest = new IngestService(store, committer, bus, metrics, clock, config);
  const rateLimiter = new RateLimiter(clock);
  // Delivery: the outbox the warning side enqueues into, the worker that sends it, the live stream.
  const liveStream = new LiveStream();
  const deliveryWorker = new DeliveryWorker(store, config.delivery, { clock, log: print, metrics });
  const notifications = new DeliveryOutbox(store, clock, { digestIntervalMs: config.delivery.digestMinutes * 60_000, stream: liveStream, onQueued: () => deliveryWorker.poke(), metrics });

  const demo = demoMode ? await seedDemo(store, { dataDir: config.dataDir, hashPassword, clock }) : null;
  const bootstrap = demoMode ? { created: false } : await bootstrapCentre(directory);

  const detectionConfig = config.detection;
  const ruleDirs = [...(detectionConfig.builtinRules ? [builtinRulesDir()] : []), ...detectionConfig.ruleDirs];
  const behaviour = behaviourOptionsFromConfig(detectionConfig.behaviour);
  const { enabled: incidentsOn, ...incidentOptions } = config.warn.incidents;
  const incidents = incidentsOn ? incidentOptions : false;
  const { enabled: campaignsOn, ...campaignOptions } = config.warn.campaigns;
  const campaigns = campaignsOn ? campaignOptions : false;
  const escalation = { stepMinutes: config.warn.escalation.stepMinutes };
  const warningLists = buildWarningLists(config.intel.warningLists.lists, config.intel.warningLists.builtin);
  const inProcess = detectionConfig.enabled && !detectionConfig.thread;
  const publishDetections = (report: DetectionsReport): void => {
    for (const event of detectionEvents(report)) liveStream.publish(event);
  };
  const detection = inProcess
    ? new DetectionService(store, bus, clock, () => directory.tree(), { batchSize: detectionConfig.batchSize, webAnalysis: detectionConfig.webAnalysis, behaviour, incidents, campaigns, escalation, notifications, intel: config.intel.enabled ? { warningLists, retroDays: config.intel.retroDays } : false, log: print, onDetections: publishDetections })
    : null;
  const ruleWatcher = detection ? new RuleWatcher(ruleDirs, detection, { placeholders: detectionConfig.placeholders, log: print }) : null;
  if (ruleWatcher && detection) {
    await ruleWatcher.load();
    if (detectionConfig.hotReload) ruleWatcher.watch();
    detection.start();
  }
  const detectionThread = detectionConfig.enabled && detectionConfig.thread
    ? new DetectionThread(
        { dbPath, synchronous: config.store.synchronous, ruleDirs, placeholders: detectionConfig.placeholders, hotReload: detectionConfig.hotReload, batchSize: detectionConfig.batchSize, webAnalysis: detectionConfig.webAnalysis, behaviour, incidents, campaigns, escalation, digestIntervalMs: config.delivery.digestMinutes * 60_000, intel: config.intel.enabled ? { warningLists: config.intel.warningLists, retroDays: config.intel.retroDays } : false },
        bus,
        print,
        (queued) => {
          for (const n of queued) liveStream.publish(notificationEvent(n));
          deliveryWorker.poke();
        },
        publishDetections,
      )
    : null;
  await detectionThread?.start();

  let resolver = new SyslogSensorResolver(store.sensors.list(syslogScope));
  const resolverTimer = setInterval(() => {
    resolver = new SyslogSensorResolver(store.sensors.list(syslogScope));
  }, config.syslog.sensorRefreshMs);
  resolverTimer.unref();

  const syslogConfig = config.syslog;
  const wantSyslog = syslogConfig.udp.enabled || syslogConfig.tcp.enabled || syslogConfig.tls.enabled;
  const syslog = wantSyslog
    ? await startSyslogListeners({
        ...(syslogConfig.udp.enabled ? { udp: { host: syslogConfig.udp.host, port: syslogConfig.udp.port } } : {}),
        ...(syslogConfig.tcp.enabled ? { tcp: { host: syslogConfig.tcp.host, port: syslogConfig.tcp.port } } : {}),
        ...(syslogConfig.tls.enabled
          ? {
              tls: {
                host: syslogConfig.tls.host,
                port: syslogConfig.tls.port,
                cert: readFileSync(syslogConfig.tls.cert as string),
                key: readFileSync(syslogConfig.tls.key as string),
                ...(syslogConfig.tls.ca ? { ca: readFileSync(syslogConfig.tls.ca) } : {}),
                requireClientCert: syslogConfig.tls.requireClientCert,
              },
            }
          : {}),
        maxMessageBytes: syslogConfig.maxMessageBytes,
        flushIntervalMs: syslogConfig.flushIntervalMs,
        maxBatch: syslogConfig.maxBatch,
        sink: ingest,
        resolveSensors: () => resolver,
        onUnknownSource: (_peer, transport) => metrics.syslogDropped.inc({ transport, reason: 'unknown_source' }),
        log: (msg, fields) => print(fields ? `${msg} ${JSON.stringify(fields)}` : msg),
      })
    : null;

  // Before the API, which manages the feeds; started once the centre is up.
  const taxii = taxiiFeeds(config.intel.taxii.feeds, store.orgs.list(housekeepingScope), process.env);
  const feedScheduler = new FeedScheduler(store, taxii, {
    clock,
    log: print,
    allowPrivateNetworks: config.intel.feeds.allowPrivateNetworks,
    metrics,
    onChange: () => (detection ?? detectionThread)?.reloadControls(),
  });

  const api = await buildApi(
    {
      config,
      store,
      directory,
      ingest,
      metrics,
      clock,
      rateLimiter,
      sensorAuth: new SensorAuthenticator(store, clock),
      detection: detection ?? detectionThread,
      warningLists,
      intelFeeds: feedScheduler,
      notifications,
      delivery: { stream: liveStream, wake: () => deliveryWorker.poke() },
      health: () => ({
        demo: demoMode,
        syslog: syslog ? { udpPort: syslog.udpPort ?? null, tcpPort: syslog.tcpPort ?? null, tlsPort: syslog.tlsPort ?? null } : null,
      }),
    },
    { logger: options.httpLogger ?? false },
  );
  const address = await api.listen({ host: config.server.host, port: config.server.port });
  const url = address.replace('[::]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');

  const housekeeping = (): void => {
    const now = clock.now();
    const retentionStart = Math.floor((now - config.store.retentionDays * DAY_MS) / DAY_MS) * DAY_MS;
    store.events.dropBefore(housekeepingScope, retentionStart);
    store.deadLetters.dropBefore(housekeepingScope, now - config.store.deadLetterRetentionDays * DAY_MS);
    store.ingest.expireBatches(housekeepingScope, now - config.ingest.idempotencyTtlHours * 3_600_000);
    store.credentials.expireSessions(housekeepingScope, now);
  };
  housekeeping();
  const housekeepingTimer = setInterval(housekeeping, 3_600_000);
  housekeepingTimer.unref();
  // Overdue acknowledgements and remediations: escalated on a schedule (warn/warning-service).
  const escalator = new WarningService(store, notifications, clock, escalation);
  const escalate = (): Notification[] => {
    try {
      return escalator.escalate();
    } catch (error) {
      print(`escalation failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const escalationTimer = setInterval(escalate, config.warn.escalation.checkSeconds * 1000);
  escalationTimer.unref();

  if (bootstrap.admin) {
    print(`First start: created the national centre and user "${bootstrap.admin.username}" with password ${bootstrap.admin.password} — change it now.`);
  }
  const simulator = demo
    ? startSimulator({
        ingestUrl: `${url}/api/v1/ingest`,
        ...(syslog ? { syslog: { host: '127.0.0.1', ...(syslog.udpPort ? { udpPort: syslog.udpPort } : {}), ...(syslog.tcpPort ? { tcpPort: syslog.tcpPort } : {}) } } : {}),
        sensors: demo.sensors,
        eventsPerSecond: config.demo.eventsPerSecond,
        hostileShare: config.demo.hostileShare,
        clock,
        log: (msg) => print(`simulator: ${msg}`),
      })
    : null;
  if (demo) print(formatDemoBanner(demo, url));

  feedScheduler.start();
  if (config.delivery.enabled) deliveryWorker.start();

  let closed = false;
  return {
    url,
    config,
    store,
    directory,
    api,
    syslog,
    detection,
    detectionThread,
    demo,
    bootstrap,
    notifications,
    escalate,
    liveStream,
    deliveryWorker,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(resolverTimer);
      clearInterval(housekeepingTimer);
      clearInterval(escalationTimer);
      await simulator?.stop();
      await feedScheduler.stop();
      await deliveryWorker.stop();
      await syslog?.close();
      await api.close();
      ruleWatcher?.close();
      await detection?.stop();
      await detectionThread?.stop();
      await committer.close();
      await bus.close();
      store.close();
    },
  };
}

/** Demo mode listens for syslog on the loopback and knows the demo sensors' JSON mappings. */
function effectiveConfig(config: Readonly<VigilConfig>, demo: boolean): Readonly<VigilConfig> {
  if (!demo) return config;
  const loopback = (listener: VigilConfig['syslog']['udp']) => (listener.enabled ? listener : { ...listener, enabled: true, host: '127.0.0.1' });
  return Object.freeze({
    ...config,
    syslog: { ...config.syslog, udp: loopback(config.syslog.udp), tcp: loopback(config.syslog.tcp) },
    parsers: { ...config.parsers, json: { mappings: { ...demoJsonMappings, ...config.parsers.json.mappings } } },
  });
}

/** The configured TAXII feeds, their owners resolved by code or id and their tokens read from the environment. */
function taxiiFeeds(feeds: VigilConfig['intel']['taxii']['feeds'], orgs: readonly Organization[], env: NodeJS.ProcessEnv): TaxiiFeed[] {
  const problems: { path: string; message: string }[] = [];
  const resolved: TaxiiFeed[] = [];
  feeds.forEach((feed, i) => {
    const owner = orgs.find((o) => o.id === feed.ownerOrg || o.code === feed.ownerOrg);
    const token = env[feed.tokenEnv];
    if (!owner) problems.push({ path: `intel.taxii.feeds[${i}].ownerOrg`, message: `no organisation with code or id ${feed.ownerOrg}` });
    if (!token) problems.push({ path: `intel.taxii.feeds[${i}].tokenEnv`, message: `environment variable ${feed.tokenEnv} is not set` });
    if (owner && token) resolved.push({ id: feed.id, url: feed.url, collectionId: feed.collectionId, token, tokenEnv: feed.tokenEnv, everyMinutes: feed.everyMinutes, ownerOrgId: owner.id, tlpDefault: feed.tlpDefault });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}


/**
 * @module intel/feed-scheduler
 * Runs every intelligence feed on its own schedule: those of the configuration file
 * (`intel.taxii.feeds`, read-only, their position in consumer state as always) and those managed
 * over the API (the store's `intel_feeds`, re-read at every look, so a feed added, changed, paused
 * or deleted takes effect without a restart). A feed is due when enabled and its `nextRunAt` has
 * passed (or it has none yet); after a run the next is `everyMinutes` after its start, after a
 * failure sooner but backing off (`retryDelayMs`), on top of the retries each TAXII request makes
 * (intel/taxii-client). A feed never runs twice at once: a second request joins the running one.
 *
 * Time comes from the injected clock; the timer only says when to look (`tick`), so tests move the
 * clock and call `tick` themselves.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Metrics } from '../core/metrics.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import { assertPublicDestination, type HostLookup } from './feed-destination.js';
import { emptyRunState, mayUseTokenEnv, type IntelFeedRunState, type StoredIntelFeed } from './feed-model.js';
import { emptyProgress, runFeed, type FeedRunProgress } from './feed-runner.js';
import { configuredFeedState, type TaxiiClientSettings, type TaxiiFeed } from './taxii-poller.js';

/** A feed as the API shows it: where it is defined, and whether it is running now. */
export type FeedView = Omit<StoredIntelFeed, 'createdAt' | 'updatedAt'> & {
  /** Null for feeds of the configuration file. */
  createdAt: string | null;
  updatedAt: string | null;
  source: 'api' | 'config';
  running: boolean;
};

export interface FeedRunResult {
  feedId: string;
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  added: number;
  updated: number;
  read: number;
  skipped: number;
  cursor: string | null;
  /** Why it failed, or the first problems of a run that went through with some; null when clean. */
  error: string | null;
  nextRunAt: string | null;
}

export interface FeedSchedulerOptions {
  clock?: Clock;
  /** Where `tokenEnv` names are read (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
  /** Called after a run stored indicators (the matcher reloads). */
  onChange?: () => void;
  /** TAXII client settings shared by every feed (retries, timeouts, page size). */
  taxii?: TaxiiClientSettings;
  /** Per HTTP request of the other kinds, ms (default 30 s). */
  timeoutMs?: number;
  /** How often the timer looks for due feeds (default 30 s). */
  lookEveryMs?: number;
  /**
   * Let feeds managed over the API read private, loopback and other special-purpose addresses
   * (intel/feed-destination); off by default. Configured feeds are the operator's and always may.
   */
  allowPrivateNetworks?: boolean;
  /** How host names are resolved for that check (tests). */
  lookup?: HostLookup;
  /** Runs at once, at most (default 4): a STIX bundle is parsed whole, a hundred at once would not fit. */
  maxConcurrentRuns?: number;
  /** Runs and their indicators are counted here (`/metrics`). */
  metrics?: Pick<Metrics, 'intelFeedRuns' | 'intelFeedIndicators'>;
}

/** The wait after `failures` failed runs in a row: 1, 2, 4 … minutes, never more than the feed's interval. */
export function retryDelayMs(failures: number, everyMinutes: number): number {
  return Math.min(everyMinutes * 60_000, 60_000 * 2 ** Math.min(Math.max(failures - 1, 0), 20));
}

const feedsScope = Scope.system('the feed scheduler reads every organisation’s feeds and runs each in its owner’s scope');

interface ConfiguredFeed {
  feed: TaxiiFeed;
  state: IntelFeedRunState;
}

export class FeedScheduler {
  private readonly configured: ReadonlyMap<string, ConfiguredFeed>;
  private readonly running = new Map<string, Promise<FeedRunResult>>();
  private readonly clock: Clock;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    configuredFeeds: readonly TaxiiFeed[],
    private readonly options: FeedSchedulerOptions = {},
  ) {
    this.configured = new Map(configuredFeeds.map((feed) => [feed.id, { feed, state: { ...emptyRunState } }]));
    this.clock = options.clock ?? systemClock;
    this.env = options.env ?? process.env;
  }

  /** Looks now and then every `lookEveryMs`; the timer does not keep the process alive. */
  start(): void {
    this.stopped = false;
    this.nudge();
    this.timer = setInterval(() => this.nudge(), this.options.lookEveryMs ?? 30_000);
    this.timer.unref();
  }

  /** Stops looking and waits for runs in flight (call before closing the store). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Looks for due feeds soon (after a feed was added or changed over the API). */
  nudge(): void {
    if (this.stopped) return;
    this.tick().catch((err: unknown) => this.options.log?.(`intel feeds: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * Runs the due feeds, at most `maxConcurrentRuns` at a time (with those already running), and
   * returns their results; when some had to wait, the scheduler looks again as soon as one ends.
   */
  async tick(): Promise<FeedRunResult[]> {
    const now = this.clock.now();
    const isDue = (enabled: boolean, nextRunAt: string | null) => enabled && (nextRunAt === null || Date.parse(nextRunAt) <= now);
    const due: string[] = [];
    for (const { feed, state } of this.configured.values()) if (!this.running.has(feed.id) && isDue(true, state.nextRunAt)) due.push(feed.id);
    for (const feed of this.store.intelFeeds.list(feedsScope)) {
      if (!this.configured.has(feed.id) && !this.running.has(feed.id) && isDue(feed.enabled, feed.nextRunAt)) due.push(feed.id);
    }
    const slots = Math.max(0, (this.options.maxConcurrentRuns ?? 4) - this.running.size);
    const waiting = due.length > slots;
    const runs = due.slice(0, slots).map((id) => this.start1(id).finally(() => (waiting ? this.nudge() : undefined)));
    const settled = await Promise.allSettled(runs);
    return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /** Feeds the scope covers (their owner is in it), configured ones first. */
  list(scope: Scope): FeedView[] {
    const views: FeedView[] = [];
    for (const c of this.configured.values()) if (scope.includes(c.feed.ownerOrgId)) views.push(this.configuredView(c));
    for (const feed of this.store.intelFeeds.list(scope)) if (!this.configured.has(feed.id)) views.push(this.storedView(feed));
    return views;
  }

  get(scope: Scope, id: string): FeedView | null {
    const c = this.configured.get(id);
    if (c) return scope.includes(c.feed.ownerOrgId) ? this.configuredView(c) : null;
    const feed = this.store.intelFeeds.get(scope, id);
    return feed ? this.storedView(feed) : null;
  }

  /** True for a feed of the configuration file (read-only over the API). */
  isConfigured(id: string): boolean {
    return this.configured.has(id);
  }

  /** Runs a feed of the scope now, enabled or not; joins the run in progress if there is one. */
  runNow(scope: Scope, id: string): Promise<FeedRunResult> {
    if (this.get(scope, id) === null) return Promise.reject(new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id }));
    return this.start1(id);
  }

  private start1(id: string): Promise<FeedRunResult> {
    const current = this.running.get(id);
    if (current) return current;
    const run = this.run(id).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private configuredView(c: ConfiguredFeed): FeedView {
    const f = c.feed;
    return {
      id: f.id, orgId: f.ownerOrgId, name: f.id, kind: 'taxii', url: f.url, collectionId: f.collectionId, tokenEnv: f.tokenEnv ?? null,
      everyMinutes: f.everyMinutes, tlpDefault: f.tlpDefault, enabled: true, createdAt: null, updatedAt: null,
      ...c.state, cursor: configuredFeedState.load(this.store, f.id), source: 'config', running: this.running.has(f.id),
    };
  }

  private storedView(feed: StoredIntelFeed): FeedView {
    return { ...feed, source: 'api', running: this.running.has(feed.id) };
  }

  private async run(id: string): Promise<FeedRunResult> {
    const configured = this.configured.get(id);
    const started = this.clock.now();
    const startedAt = new Date(started).toISOString();
    let outcome: { progress: FeedRunProgress; error: string | null; everyMinutes: number; failures: number };
    let next: Partial<IntelFeedRunState> & { nextRunAt: string };
    if (configured) {
      const { feed, state } = configured;
      const progress = emptyProgress(configuredFeedState.load(this.store, id));
      const error = await this.attempt(() =>
        runFeed(this.store, { id, orgId: feed.ownerOrgId, kind: 'taxii', url: feed.url, collectionId: feed.collectionId, tlpDefault: feed.tlpDefault }, {
          ...this.settings(progress),
          token: feed.token,
          saveCursor: (cursor) => configuredFeedState.save(this.store, id, cursor),
        }),
      );
      outcome = { progress, error, everyMinutes: feed.everyMinutes, failures: error === null ? 0 : state.failures + 1 };
      next = this.nextState(outcome, started);
      Object.assign(state, next);
    } else {
      const feed = this.store.intelFeeds.get(feedsScope, id);
      if (!feed) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id });
      const scope = Scope.single(feed.orgId);
      const progress = emptyProgress(feed.cursor);
      // A run keeps its cursor only while the feed still reads the same place it started on.
      const sameSource = () => {
        const now = this.store.intelFeeds.get(scope, id);
        return now !== null && now.url === feed.url && now.collectionId === feed.collectionId;
      };
      const error = await this.attempt(async () => {
        if (!this.options.allowPrivateNetworks) await assertPublicDestination(feed.url, this.options.lookup);
        return runFeed(this.store, feed, {
          ...this.settings(progress),
          token: this.tokenOf(feed),
          saveCursor: (cursor) => {
            if (sameSource()) this.store.intelFeeds.recordRun(scope, id, { cursor });
          },
        });
      });
      outcome = { progress, error, everyMinutes: feed.everyMinutes, failures: error === null ? 0 : feed.failures + 1 };
      next = this.nextState(outcome, started);
      if (sameSource()) this.store.intelFeeds.recordRun(scope, id, next);
      else this.store.intelFeeds.recordRun(scope, id, { lastRunAt: next.lastRunAt, lastError: next.lastError });
    }
    const { progress, error } = outcome;
    if (progress.added + progress.updated > 0) this.options.onChange?.();
    this.count(id, progress, error === null);
    this.options.log?.(`intel feed ${id}: ${error === null ? 'ok' : `failed (${error})`}; ${progress.read} read, ${progress.added} added, ${progress.updated} updated, ${progress.skipped} skipped`);
    return {
      feedId: id, ok: error === null, startedAt, finishedAt: new Date(this.clock.now()).toISOString(), added: progress.added, updated: progress.updated,
      read: progress.read, skipped: progress.skipped, cursor: progress.cursor, error: error ?? problemsOf(progress), nextRunAt: next.nextRunAt,
    };
  }

  private count(id: string, progress: FeedRunProgress, ok: boolean): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    metrics.intelFeedRuns.inc({ feed: id, outcome: ok ? 'ok' : 'failed' });
    for (const [result, n] of [['added', progress.added], ['updated', progress.updated], ['skipped', progress.skipped]] as const) {
      if (n > 0) metrics.intelFeedIndicators.inc({ feed: id, result }, n);
    }
  }

  private settings(progress: FeedRunProgress) {
    return {
      clock: this.clock,
      cursor: progress.cursor,
      progress,
      ...(this.options.taxii ? { taxii: this.options.taxii } : {}),
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
    };
  }

  /** Null when the run went through, else why not. */
  private async attempt(run: () => Promise<unknown>): Promise<string | null> {
    try {
      await run();
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** The run state after a run; a failed run leaves the last success as it was. */
  private nextState(outcome: { progress: FeedRunProgress; error: string | null; everyMinutes: number; failures: number }, started: number): Partial<IntelFeedRunState> & { nextRunAt: string } {
    const { progress, error, everyMinutes, failures } = outcome;
    const lastRunAt = new Date(started).toISOString();
    const wait = error === null ? everyMinutes * 60_000 : retryDelayMs(failures, everyMinutes);
    return {
      lastRunAt,
      ...(error === null ? { lastSuccessAt: lastRunAt } : {}),
      lastError: error ?? problemsOf(progress),
      lastAdded: progress.added,
      lastUpdated: progress.updated,
      failures,
      nextRunAt: new Date(started + wait).toISOString(),
      cursor: progress.cursor,
    };
  }

  /** A stored feed's token: only from a variable its organisation may name (intel/feed-model). */
  private tokenOf(feed: StoredIntelFeed): string | null {
    if (feed.tokenEnv === null) return null;
    const org = this.store.orgs.get(feedsScope, feed.orgId);
    const codes = this.store.orgs.list(feedsScope).map((o) => o.code);
    if (!org || !mayUseTokenEnv(org.code, feed.tokenEnv, codes)) throw new Error(`tokenEnv ${feed.tokenEnv} is not one this organisation’s feeds may use`);
    const token = this.env[feed.tokenEnv];
    if (!token) throw new Error(`environment variable ${feed.tokenEnv} is not set`);
    return token;
  }
}

function problemsOf(progress: FeedRunProgress): string | null {
  if (progress.problemCount === 0) return null;
  return `${progress.problemCount} problem(s), the run went on: ${progress.problems.join('; ')}`;
}

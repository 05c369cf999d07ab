/**
 * @module intel/taxii-poller
 * Scheduled, incremental import of TAXII 2.1 collections (intel/taxii-client.ts). Each feed keeps
 * the last `X-TAXII-Date-Added-Last` it has stored (TAXII 2.1 §3.2) in the store's consumer state
 * (`taxii:<feed id>`), saved after every page, and asks for `added_after` it next time, so a
 * restart neither loses nor re-reads much. STIX indicators of the simple pattern form become
 * Vigil indicators owned by the feed's organisation with source `taxii:<feed id>`, their TLP from
 * their markings (the feed's default when unmarked); identity and marking-definition objects are
 * kept across pages of a poll to resolve references; other objects are counted and skipped.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import type { Indicator, Tlp } from './model.js';
import { normaliseIndicator } from './normalise.js';
import { indicatorsFromStix } from './stix/convert.js';
import { newBundleId } from './stix/ids.js';
import { indicatorSchema, validateBundle, type StixObject } from './stix/objects.js';
import { pollCollection, type PollCollectionOptions } from './taxii-client.js';

export interface TaxiiFeed {
  id: string;
  /** The API root URL. */
  url: string;
  collectionId: string;
  token: string;
  everyMinutes: number;
  ownerOrgId: string;
  tlpDefault: Tlp;
}

export interface PollResult {
  feedId: string;
  pages: number;
  objects: number;
  added: number;
  updated: number;
  /** Objects not stored: other types, invalid ones, patterns Vigil cannot store. */
  skipped: number;
  /** The `added_after` the next poll will send; null while nothing was ever received. */
  addedAfter: string | null;
}

export interface TaxiiPollerOptions {
  clock?: Clock;
  log?: (line: string) => void;
  /** Called after a poll stored indicators (the matcher reloads). */
  onChange?: () => void;
  /** Client settings shared by every feed (retries, timeouts, page size, dispatcher). */
  client?: Omit<PollCollectionOptions, 'url' | 'collectionId' | 'token' | 'addedAfter'>;
}

const CONTEXT_TYPES = new Set(['identity', 'marking-definition']);

export class TaxiiPoller {
  private readonly feeds: ReadonlyMap<string, TaxiiFeed>;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<PollResult>>();
  private readonly clock: Clock;
  private readonly scope: Scope;

  constructor(
    private readonly store: Store,
    feeds: readonly TaxiiFeed[],
    private readonly options: TaxiiPollerOptions = {},
  ) {
    this.feeds = new Map(feeds.map((f) => [f.id, f]));
    this.clock = options.clock ?? systemClock;
    this.scope = Scope.system('TAXII feeds import into their configured owner organisations');
  }

  /** Polls every feed now and then every `everyMinutes`; the timers do not keep the process alive. */
  start(): void {
    for (const feed of this.feeds.values()) {
      const run = () => {
        this.pollOnce(feed.id).catch((err: unknown) => this.options.log?.(`taxii feed ${feed.id}: ${err instanceof Error ? err.message : String(err)}`));
      };
      run();
      const timer = setInterval(run, Math.max(1, feed.everyMinutes) * 60_000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Stops the schedule and waits for polls in flight (call before closing the store). */
  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.allSettled([...this.running.values()]);
  }

  /** One incremental poll of a feed; a poll already running for it is joined, not doubled. */
  pollOnce(feedId: string): Promise<PollResult> {
    const feed = this.feeds.get(feedId);
    if (!feed) return Promise.reject(new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'TAXII feed', id: feedId }));
    const current = this.running.get(feedId);
    if (current) return current;
    const poll = this.poll(feed).finally(() => this.running.delete(feedId));
    this.running.set(feedId, poll);
    return poll;
  }

  private stateKey(feed: TaxiiFeed): string {
    return `taxii:${feed.id}`;
  }

  private loadAddedAfter(feed: TaxiiFeed): string | null {
    const raw = this.store.consumerState.get(this.scope, this.stateKey(feed));
    if (raw === null) return null;
    try {
      const parsed = JSON.parse(raw) as { addedAfter?: unknown };
      return typeof parsed.addedAfter === 'string' ? parsed.addedAfter : null;
    } catch {
      return null;
    }
  }

  private async poll(feed: TaxiiFeed): Promise<PollResult> {
    let addedAfter = this.loadAddedAfter(feed);
    const result: PollResult = { feedId: feed.id, pages: 0, objects: 0, added: 0, updated: 0, skipped: 0, addedAfter };
    const context = new Map<string, StixObject>();
    const pages = pollCollection({ ...this.options.client, url: feed.url, collectionId: feed.collectionId, token: feed.token, ...(addedAfter !== null ? { addedAfter } : {}) });
    for await (const page of pages) {
      result.pages++;
      result.objects += page.objects.length;
      const validated = validateBundle({ type: 'bundle', id: newBundleId(), objects: page.objects });
      result.skipped += validated.rejected.length;
      for (const o of validated.objects) if (CONTEXT_TYPES.has(o.type)) context.set(o.id, o);
      const indicators = this.convert(feed, validated.objects, [...context.values()], result);
      if (indicators.length > 0) {
        const stored = this.store.indicators.upsert(this.scope, indicators);
        result.added += stored.added;
        result.updated += stored.updated;
      }
      if (page.dateAddedLast !== null) {
        addedAfter = page.dateAddedLast;
        this.store.consumerState.save(this.scope, this.stateKey(feed), 0, JSON.stringify({ addedAfter }));
      }
    }
    result.addedAfter = addedAfter;
    if (result.added + result.updated > 0) this.options.onChange?.();
    this.options.log?.(`taxii feed ${feed.id}: ${result.objects} objects in ${result.pages} pages, ${result.added} added, ${result.updated} updated, ${result.skipped} skipped`);
    return result;
  }

  private convert(feed: TaxiiFeed, objects: readonly StixObject[], related: readonly StixObject[], result: PollResult): Indicator[] {
    const at = new Date(this.clock.now()).toISOString();
    const out: Indicator[] = [];
    for (const object of objects) {
      if (CONTEXT_TYPES.has(object.type)) continue;
      const parsed = object.type === 'indicator' ? indicatorSchema.safeParse(object) : null;
      if (!parsed?.success) {
        result.skipped++;
        continue;
      }
      let drafts;
      try {
        drafts = indicatorsFromStix(parsed.data, { source: `taxii:${feed.id}`, related, defaultTlp: feed.tlpDefault });
      } catch {
        result.skipped++;
        continue;
      }
      if (drafts.length === 0) result.skipped++;
      for (const draft of drafts) {
        const normalised = normaliseIndicator(draft.type, draft.value);
        if ('error' in normalised) continue;
        out.push({ ...draft, value: normalised.value, id: newId('ind'), ownerOrgId: feed.ownerOrgId, sharedWith: [], createdAt: at, updatedAt: at });
      }
    }
    return out;
  }
}

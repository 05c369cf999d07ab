/**
 * @module intel/taxii-poller
 * One incremental import of a TAXII 2.1 collection (intel/taxii-client.ts); intel/feed-scheduler
 * decides when. A poll starts from the last `X-TAXII-Date-Added-Last` stored (TAXII 2.1 §3.2),
 * asks for `added_after` it, and hands each page's new position to `saveAddedAfter` after the
 * page is stored, so a restart neither loses nor re-reads much. Configured feeds keep their
 * position in the store's consumer state (`taxii:<feed id>`, `configuredFeedState`), feeds managed
 * over the API in their own row. STIX indicators of the simple pattern form become Vigil
 * indicators owned by the feed's organisation with source `taxii:<feed id>`, their TLP from their
 * markings (the feed's default when unmarked); identity and marking-definition objects are kept
 * across pages of a poll to resolve references; other objects are counted and skipped.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import type { Indicator, Tlp } from './model.js';
import { normaliseIndicator } from './normalise.js';
import { indicatorsFromStix } from './stix/convert.js';
import { newBundleId } from './stix/ids.js';
import { indicatorSchema, validateBundle, type StixObject } from './stix/objects.js';
import { pollCollection, type PollCollectionOptions } from './taxii-client.js';

/** A feed of the configuration file (`intel.taxii.feeds`), its owner and token resolved. */
export interface TaxiiFeed {
  id: string;
  /** The API root URL. */
  url: string;
  collectionId: string;
  /** The bearer token; empty for none. */
  token: string;
  /** The variable the token was read from (shown by the API; never the token). */
  tokenEnv?: string;
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

/** Client settings shared by every feed (retries, timeouts, page size, dispatcher). */
export type TaxiiClientSettings = Omit<PollCollectionOptions, 'url' | 'collectionId' | 'token' | 'addedAfter'>;

export interface PollTaxiiOptions {
  /** Where to resume; null: from the start of the collection. */
  addedAfter: string | null;
  /** Called after each page whose indicators are stored, with the position after it. */
  saveAddedAfter: (addedAfter: string) => void;
  clock?: Clock;
  client?: TaxiiClientSettings;
  /** Counted as pages are stored, so a poll that fails half-way still says what it stored. */
  progress?: PollResult;
}

const CONTEXT_TYPES = new Set(['identity', 'marking-definition']);
const stateScope = Scope.system('configured TAXII feeds keep their position in consumer state');

/** The saved position of a configured feed (the key configured feeds always used). */
export const configuredFeedState = {
  key: (feedId: string): string => `taxii:${feedId}`,
  load(store: Store, feedId: string): string | null {
    const raw = store.consumerState.get(stateScope, configuredFeedState.key(feedId));
    if (raw === null) return null;
    try {
      const parsed = JSON.parse(raw) as { addedAfter?: unknown };
      return typeof parsed.addedAfter === 'string' ? parsed.addedAfter : null;
    } catch {
      return null;
    }
  },
  save(store: Store, feedId: string, addedAfter: string): void {
    store.consumerState.save(stateScope, configuredFeedState.key(feedId), 0, JSON.stringify({ addedAfter }));
  },
};

/** One incremental poll of a feed into the store, its indicators written in the owner's scope only. */
export async function pollTaxiiFeed(store: Store, feed: Omit<TaxiiFeed, 'everyMinutes'>, options: PollTaxiiOptions): Promise<PollResult> {
  let addedAfter = options.addedAfter;
  const clock = options.clock ?? systemClock;
  const scope = Scope.single(feed.ownerOrgId);
  const result: PollResult = options.progress ?? { feedId: feed.id, pages: 0, objects: 0, added: 0, updated: 0, skipped: 0, addedAfter };
  result.addedAfter = addedAfter;
  const context = new Map<string, StixObject>();
  const pages = pollCollection({ ...options.client, url: feed.url, collectionId: feed.collectionId, token: feed.token, ...(addedAfter !== null ? { addedAfter } : {}) });
  for await (const page of pages) {
    result.pages++;
    result.objects += page.objects.length;
    const validated = validateBundle({ type: 'bundle', id: newBundleId(), objects: page.objects });
    result.skipped += validated.rejected.length;
    for (const o of validated.objects) if (CONTEXT_TYPES.has(o.type)) context.set(o.id, o);
    const indicators = convert(feed, validated.objects, [...context.values()], result, clock);
    if (indicators.length > 0) {
      const stored = store.indicators.upsert(scope, indicators);
      result.added += stored.added;
      result.updated += stored.updated;
    }
    if (page.dateAddedLast !== null) {
      addedAfter = page.dateAddedLast;
      result.addedAfter = addedAfter;
      options.saveAddedAfter(addedAfter);
    }
  }
  return result;
}

function convert(feed: Omit<TaxiiFeed, 'everyMinutes'>, objects: readonly StixObject[], related: readonly StixObject[], result: PollResult, clock: Clock): Indicator[] {
  const at = new Date(clock.now()).toISOString();
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

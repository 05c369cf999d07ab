/**
 * @module intel/feed-runner
 * One run of one feed, whatever its kind, into the indicator store: TAXII collections through
 * intel/taxii-poller (incremental by `added_after`, TAXII 2.1 §3.2), MISP feeds, STIX bundles, CSV
 * and plain lists through intel/importer (MISP incremental by the manifest's timestamps). The
 * indicators are written in the scope of the feed's organisation alone, with its TLP default and
 * its source (`taxii:<id>`, `feed:<id>`). Only http(s) locations are read: a feed never reads a
 * file of the centre's disk. When to run and what to remember is intel/feed-scheduler's.
 */
import type { Clock } from '../core/clock.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import { feedSource, type IntelFeed } from './feed-model.js';
import { importIntelFile, type ResolvedIntelFormat } from './importer.js';
import { isUrl } from './misp-feed.js';
import { pollTaxiiFeed, type PollResult, type TaxiiClientSettings } from './taxii-poller.js';

export type FeedDefinition = Pick<IntelFeed, 'id' | 'orgId' | 'kind' | 'url' | 'collectionId' | 'tlpDefault'>;

/** What a run did so far: filled as it goes, so a run that fails half-way still tells. */
export interface FeedRunProgress {
  added: number;
  updated: number;
  /** Objects (TAXII, STIX), attributes (MISP) or values (CSV, text) read. */
  read: number;
  skipped: number;
  /** The position after what is stored; the cursor the run started from until it moves. */
  cursor: string | null;
  /** Problems that did not stop the run (a bad line, a MISP event that could not be read). */
  problems: string[];
  problemCount: number;
}

export interface FeedRunSettings {
  clock: Clock;
  /** The bearer token (TAXII), or null for none. */
  token: string | null;
  /** Where an incremental run resumes. */
  cursor: string | null;
  /** Called as the cursor moves within a run (TAXII: after each stored page). */
  saveCursor: (cursor: string) => void;
  progress: FeedRunProgress;
  taxii?: TaxiiClientSettings;
  /** Per HTTP request of the importers, ms. */
  timeoutMs?: number;
}

const importFormats: Readonly<Record<Exclude<IntelFeed['kind'], 'taxii'>, ResolvedIntelFormat>> = {
  'misp-feed': 'misp-feed',
  'stix-url': 'stix',
  'csv-url': 'csv',
  'text-url': 'text',
};

export function emptyProgress(cursor: string | null): FeedRunProgress {
  return { added: 0, updated: 0, read: 0, skipped: 0, cursor, problems: [], problemCount: 0 };
}

/** Runs the feed once; throws when it could not be read (the progress says what was stored before). */
export async function runFeed(store: Store, feed: FeedDefinition, settings: FeedRunSettings): Promise<FeedRunProgress> {
  const progress = settings.progress;
  if (!isUrl(feed.url)) throw new Error(`feed ${feed.id}: ${feed.url} is not an http(s) URL`);
  if (feed.kind === 'taxii') {
    if (!feed.collectionId) throw new Error(`feed ${feed.id}: a TAXII feed needs a collection id`);
    const poll: PollResult = { feedId: feed.id, pages: 0, objects: 0, added: 0, updated: 0, skipped: 0, addedAfter: settings.cursor };
    const mirror = () => {
      progress.added = poll.added;
      progress.updated = poll.updated;
      progress.read = poll.objects;
      progress.skipped = poll.skipped;
      progress.cursor = poll.addedAfter;
    };
    try {
      await pollTaxiiFeed(
        store,
        { id: feed.id, url: feed.url, collectionId: feed.collectionId, token: settings.token ?? '', ownerOrgId: feed.orgId, tlpDefault: feed.tlpDefault },
        {
          addedAfter: settings.cursor,
          clock: settings.clock,
          progress: poll,
          ...(settings.taxii ? { client: settings.taxii } : {}),
          saveAddedAfter: (addedAfter) => {
            mirror();
            settings.saveCursor(addedAfter);
          },
        },
      );
    } finally {
      mirror();
    }
    return progress;
  }

  const scope = Scope.single(feed.orgId);
  const format = importFormats[feed.kind];
  const since = format === 'misp-feed' && settings.cursor !== null && /^\d+$/.test(settings.cursor) ? Number(settings.cursor) : undefined;
  const summary = await importIntelFile(feed.url, {
    format,
    ownerOrgId: feed.orgId,
    tlp: feed.tlpDefault,
    source: feedSource(feed),
    now: () => settings.clock.now(),
    ...(since !== undefined ? { since } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    upsert: (batch) => {
      const stored = store.indicators.upsert(scope, batch);
      progress.added += stored.added;
      progress.updated += stored.updated;
      return stored;
    },
  });
  progress.read = summary.read;
  progress.skipped = Object.values(summary.skipped).reduce((sum, n) => sum + n, 0);
  progress.problemCount = summary.errorCount;
  progress.problems = summary.errors.slice(0, 5).map((e) => `${e.where}: ${e.reason}`);
  if (summary.since !== undefined) {
    progress.cursor = String(summary.since);
    settings.saveCursor(progress.cursor);
  }
  return progress;
}

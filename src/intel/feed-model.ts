/**
 * @module intel/feed-model
 * Intelligence feeds as data: what a feed is (where it is read from, in which format, for which
 * organisation, how often) and what its last runs left (when, with what result, and the cursor an
 * incremental run resumes from). Feeds come from the configuration (`intel.taxii.feeds`, read-only)
 * or are managed over the API and kept in the store (`intel_feeds`). A feed never holds a secret:
 * a bearer token is named by the environment variable that holds it (`tokenEnv`).
 */
import type { Tlp } from './model.js';

/**
 * - `taxii`: a TAXII 2.1 collection, read incrementally by `added_after` (TAXII 2.1 §3.2, §5.4);
 * - `misp-feed`: a MISP feed (`manifest.json` + one file per event), incremental by the manifest's timestamps;
 * - `stix-url`: a STIX 2.1 bundle at a URL; `csv-url`: a CSV list; `text-url`: one value per line.
 */
export const intelFeedKinds = ['taxii', 'misp-feed', 'stix-url', 'csv-url', 'text-url'] as const;
export type IntelFeedKind = (typeof intelFeedKinds)[number];

/** A feed id names the indicators' source (`taxii:<id>`, `feed:<id>`), so it is a short slug. */
export const FEED_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** An environment variable name (POSIX: upper case, digits, underscore, not starting with a digit). */
export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

export interface IntelFeed {
  id: string;
  /** The organisation that owns the feed and every indicator it brings. */
  orgId: string;
  name: string;
  kind: IntelFeedKind;
  /** http(s): a TAXII API root, a MISP feed's base URL, or the file's URL. */
  url: string;
  /** TAXII only: the collection read. */
  collectionId: string | null;
  /** The environment variable holding the bearer token (TAXII), or null for none. */
  tokenEnv: string | null;
  everyMinutes: number;
  /** The TLP of what the feed brings unmarked. */
  tlpDefault: Tlp;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the runs of a feed left behind. */
export interface IntelFeedRunState {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** The last run's failure, or its partial problems; null after a clean run. */
  lastError: string | null;
  lastAdded: number;
  lastUpdated: number;
  /** Failed runs in a row: the next one waits longer (see intel/feed-scheduler `retryDelayMs`). */
  failures: number;
  /** Null: as soon as the scheduler next looks. */
  nextRunAt: string | null;
  /** Where an incremental run resumes: `added_after` (TAXII), the manifest `since` (MISP). */
  cursor: string | null;
}

export type StoredIntelFeed = IntelFeed & IntelFeedRunState;

export type IntelFeedPatch = Partial<Pick<IntelFeed, 'name' | 'url' | 'collectionId' | 'tokenEnv' | 'everyMinutes' | 'tlpDefault' | 'enabled'>>;

export const emptyRunState: Readonly<IntelFeedRunState> = Object.freeze({
  lastRunAt: null, lastSuccessAt: null, lastError: null, lastAdded: 0, lastUpdated: 0, failures: 0, nextRunAt: null, cursor: null,
});

/** The indicators' `source` of a feed: TAXII feeds keep the `taxii:<id>` the configured ones always used. */
export function feedSource(feed: Pick<IntelFeed, 'id' | 'kind'>): string {
  return feed.kind === 'taxii' ? `taxii:${feed.id}` : `feed:${feed.id}`;
}

/**
 * The token variables a feed of an organisation may name: `VIGIL_FEED_TOKEN_<CODE>` or
 * `VIGIL_FEED_TOKEN_<CODE>_…`, the code upper-cased with other characters as `_`. A province
 * choosing the URL must not be able to send the centre's other secrets (or another province's
 * token) to a server of its own choosing: `tokenEnv: DATABASE_PASSWORD` would do exactly that.
 */
export function tokenEnvPrefix(orgCode: string): string {
  return `VIGIL_FEED_TOKEN_${orgCode.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Whether a feed of `orgCode` may name the variable `name`. Codes map to prefixes with `-` as `_`,
 * so `HN` + `_X` and the code `HN-X` spell the same name: the name belongs to the organisation with
 * the longest prefix of it among `allCodes` (every organisation's code), never to a shorter one.
 */
export function mayUseTokenEnv(orgCode: string, name: string, allCodes: readonly string[] = [orgCode]): boolean {
  if (!ENV_NAME_PATTERN.test(name)) return false;
  let owner: string | null = null;
  let longest = -1;
  for (const code of allCodes.includes(orgCode) ? allCodes : [...allCodes, orgCode]) {
    const prefix = tokenEnvPrefix(code);
    if ((name === prefix || name.startsWith(`${prefix}_`)) && prefix.length > longest) {
      owner = code;
      longest = prefix.length;
    }
  }
  return owner === orgCode;
}

/**
 * @module intel/stix/export
 * A STIX 2.1 bundle (§8) of the intelligence a reader may take away: the indicators TLP 2.0 lets
 * its organisation see and pass on, the identities (§4.5) of their producers and of the centre,
 * the TLP 2.0 marking definitions they reference, and sightings (§5.2) — what the centre learned
 * from the events of the organisations it monitors, given back to the community.
 *
 * Who may receive what. An export is a re-share: the bundle leaves Vigil for the reader's own
 * tools (SIEM, firewall, another platform), so each indicator must pass intel/tlp.ts `mayShare`
 * with the reader's organisation as both the one passing it on and the recipient, as it is the
 * organisation the file is for. In the words of FIRST's TLP 2.0 definitions:
 * - TLP:CLEAR "recipients can spread this to the world" and TLP:GREEN "within their community":
 *   exported to anyone who may see them;
 * - TLP:AMBER "on a need-to-know basis within their organization and its clients" and
 *   TLP:AMBER+STRICT "restricts sharing to the organization only": exported only to the
 *   organisations that may see them (intel/tlp.ts: the owner, the named ones, the owner's chain,
 *   and for AMBER their clients), so an AMBER+STRICT indicator of one province never reaches
 *   another province's export;
 * - TLP:RED "for the eyes and ears of individual recipients only, no further disclosure": never
 *   exported, not even to its owner. A bulk machine-readable file is automated sharing beyond the
 *   individual recipients (intel/model.ts), and `mayShare` already refuses RED to anyone but the
 *   owner, who holds the original anyway.
 * The markings travel with the objects (`object_marking_refs`, §7.2.2), so the recipient's tools
 * keep honouring them.
 *
 * Sightings. Stored sightings (one per event and field) are summed per indicator and per
 * organisation where they were seen: `count`, `first_seen` and `last_seen` (§5.2). The
 * organisation is named in `where_sighted_refs` only when the reader may learn of it (it lies in
 * the reader's scope) and the marking that naming takes is within the export's TLP ceiling;
 * otherwise the sighting is attributed to the centre, all such organisations summed into one
 * object. Naming who was hit is the victim's information, not the indicator producer's: a
 * sighting that names an organisation is marked at least TLP:AMBER (the victim and its chain and
 * clients), one attributed to the centre keeps the indicator's marking. Sightings are read with a
 * system scope on purpose: the counts of organisations outside the reader's scope are what the
 * centre gives back, and they leave only as the centre's.
 *
 * Ids. Indicators and identities have the ids the TAXII collections give them (intel/stix/stored),
 * so a consumer of both sees one object. A sighting's id is deterministic per reader, indicator
 * and place (UUIDv5, §2.9), so a later export is a new version of the same object (§3.6: newer
 * `modified`, which is the export time) rather than a new sighting.
 *
 * Size. Indicators are taken in "date added" order (their `updatedAt`, then their position, as
 * TAXII pages), at most `limit` (default 10,000, at most 100,000); `truncated` says when more
 * matched, and `next` is where the next export resumes (`after`). It is a position, not a time:
 * an import stamps a whole batch with one `updatedAt`, so resuming from a time would skip the rest
 * of a batch cut in the middle.
 */
import { Scope } from '../../core/scope.js';
import type { OrgTree } from '../../orgs/tree.js';
import type { AddedIndicator, IndicatorRepository, SightingRepository, SightingSummary } from '../../store/store.js';
import { tlpLevels, type Indicator, type IndicatorType, type Tlp } from '../model.js';
import { mayShare, stricter, type IntelViewer } from '../tlp.js';
import { bundle } from './convert.js';
import { vigilObjectId } from './ids.js';
import type { StixObject } from './objects.js';
import { indicatorObject, orgIdentity, orgIdentityId } from './stored.js';
import { toStixTimestamp } from './timestamp.js';
import { TLP2_MARKINGS } from './tlp.js';

export const EXPORT_DEFAULT_LIMIT = 10_000;
export const EXPORT_MAX_LIMIT = 100_000;
/** The levels an export may carry, least restrictive first: RED never leaves. */
export const exportableTlpLevels = ['clear', 'green', 'amber', 'amber+strict'] as const satisfies readonly Exclude<Tlp, 'red'>[];
export type ExportableTlp = (typeof exportableTlpLevels)[number];

export interface StixExportOptions {
  /** Only indicators of these types (default: every type). */
  types?: readonly IndicatorType[];
  /** Only indicators added or changed after this instant (epoch ms of their `updatedAt`). */
  since?: number;
  /** The most restrictive marking exported (default `amber+strict`: everything TLP lets out). */
  tlpMax?: ExportableTlp;
  /** Sightings of the exported indicators (default true). */
  sightings?: boolean;
  /**
   * Revoked and expired indicators too (exported with `revoked: true` / their `valid_until`).
   * Default: true with `since`, so a consumer following changes learns of revocations; false
   * without, so a full export is what is in force.
   */
  inactive?: boolean;
  /** At most this many indicators (default 10,000; at most 100,000). */
  limit?: number;
  /** Resume after this position: the `next` of an export cut short by `limit`. */
  after?: ExportPosition;
}

/** A place in date added order: an indicator's `updatedAt` (epoch ms) and its store position. */
export interface ExportPosition {
  addedAt: number;
  position: number;
}

export interface StixExportReader {
  /** The reader's organisation, as the TLP filter needs it. */
  viewer: IntelViewer;
  /** The organisations the reader may be told of by name (its scope); sightings elsewhere are the centre's. */
  scope: Scope;
}

export interface StixExportSources {
  indicators: IndicatorRepository;
  sightings: SightingRepository;
  tree: OrgTree;
  /** Epoch ms: what "expired" is judged against and the sightings' `modified`. */
  now: number;
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

export interface StixExport {
  bundle: StixBundle;
  counts: { indicators: number; sightings: number; identities: number; markings: number };
  /** More indicators matched than `limit`: the bundle holds the first ones in date added order. */
  truncated: boolean;
  /** The `updatedAt` of the last indicator exported; null when none. */
  lastAdded: string | null;
  /** When `truncated`: the `after` that continues this export. */
  next: ExportPosition | null;
  /** Indicators that could not be expressed in STIX (e.g. `validUntil` not after `firstSeen`, §4.7), the first 100. */
  skipped: { id: string; reason: string }[];
  skippedCount: number;
}

/** Indicators are read from the store in chunks of this many per TLP level. */
const READ_CHUNK = 1000;
const MAX_SKIPPED = 100;
/** §5.2: `count` is at most 999,999,999. */
const MAX_COUNT = 999_999_999;
const strictness = (tlp: Tlp): number => tlpLevels.indexOf(tlp);

/** Builds the bundle of what `reader` may take away (see the module comment). */
export function exportStixBundle(sources: StixExportSources, reader: StixExportReader, options: StixExportOptions = {}): StixExport {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? EXPORT_DEFAULT_LIMIT)), EXPORT_MAX_LIMIT);
  const tlpMax = options.tlpMax ?? 'amber+strict';
  const types = options.types && options.types.length > 0 ? new Set(options.types) : null;
  const inactive = options.inactive ?? options.since !== undefined;
  const { tree, now } = sources;
  const readerOrg = reader.viewer.orgId;

  const levels = exportableTlpLevels.filter((level) => strictness(level) <= strictness(tlpMax));
  const taken: Indicator[] = [];
  const objects: StixObject[] = [];
  const skipped: { id: string; reason: string }[] = [];
  let skippedCount = 0;
  let truncated = false;
  let last: AddedIndicator | null = null;
  const start = options.after ?? { addedAt: options.since ?? -1 };
  for (const row of inDateAddedOrder(sources.indicators, reader.viewer, levels, start)) {
    const i = row.indicator;
    if (types && !types.has(i.type)) continue;
    if (!inactive && (i.revoked || (i.validUntil !== null && Date.parse(i.validUntil) <= now))) continue;
    if (i.tlp === 'red' || !mayShare(i, readerOrg, readerOrg, tree)) continue; // the store's filter is maySee; sharing is narrower
    if (taken.length === limit) {
      truncated = true;
      break;
    }
    let object: StixObject;
    try {
      object = indicatorObject(i);
    } catch (error) {
      skippedCount++;
      if (skipped.length < MAX_SKIPPED) skipped.push({ id: i.id, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    taken.push(i);
    objects.push(object);
    last = row;
  }

  const identities = new Set<string>(taken.map((i) => i.ownerOrgId));
  const sightings = options.sightings === false ? [] : sightingObjects(sources, reader, taken, objects, tlpMax);
  for (const s of sightings) for (const orgId of s.orgIds) identities.add(orgId);
  const identityObjects = [...identities].flatMap((orgId) => {
    const org = tree.get(orgId);
    return org ? [orgIdentity(org)] : [];
  });
  const built = bundle([...identityObjects, ...objects, ...sightings.map((s) => s.object)]);
  return {
    bundle: built,
    counts: { indicators: objects.length, sightings: sightings.length, identities: identityObjects.length, markings: built.objects.length - identityObjects.length - objects.length - sightings.length },
    truncated,
    lastAdded: last === null ? null : toStixTimestamp(last.addedAt),
    next: truncated && last !== null ? { addedAt: last.addedAt, position: last.position } : null,
    skipped,
    skippedCount,
  };
}

/**
 * The indicators of the given levels the viewer may see, changed after `after`, in date added
 * order across levels: the store pages each level in that order (TAXII's `listAddedAfter`), and
 * the levels are merged by (`addedAt`, `position`) a chunk at a time, so memory stays bounded.
 */
function* inDateAddedOrder(repository: IndicatorRepository, viewer: IntelViewer, levels: readonly Tlp[], start: { addedAt: number; position?: number }): Generator<AddedIndicator> {
  const cursors = levels.map((tlp) => ({ tlp, rows: [] as AddedIndicator[], next: 0, after: start.addedAt, position: start.position, exhausted: false }));
  for (;;) {
    let best: (typeof cursors)[number] | null = null;
    for (const c of cursors) {
      if (c.next === c.rows.length && !c.exhausted) {
        c.rows = repository.listAddedAfter(viewer, { tlp: c.tlp, after: c.after, limit: READ_CHUNK, ...(c.position === undefined ? {} : { afterPosition: c.position }) });
        c.next = 0;
        c.exhausted = c.rows.length < READ_CHUNK;
        const last = c.rows[c.rows.length - 1];
        if (last) {
          c.after = last.addedAt;
          c.position = last.position;
        }
      }
      const head = c.rows[c.next];
      if (!head) continue;
      const bestHead = best?.rows[best.next];
      if (!bestHead || head.addedAt < bestHead.addedAt || (head.addedAt === bestHead.addedAt && head.position < bestHead.position)) best = c;
    }
    if (!best) return;
    const row = best.rows[best.next] as AddedIndicator;
    best.next++;
    yield row;
  }
}

interface BuiltSighting {
  object: StixObject;
  /** The organisations it references (the place, and the centre as its creator). */
  orgIds: string[];
}

/** STIX sightings (§5.2) of the exported indicators, per indicator and per place the reader may be told of. */
function sightingObjects(sources: StixExportSources, reader: StixExportReader, taken: readonly Indicator[], objects: readonly StixObject[], tlpMax: ExportableTlp): BuiltSighting[] {
  const centre = sources.tree.roots.length === 1 ? sources.tree.roots[0] : undefined;
  if (taken.length === 0 || !centre) return [];
  const byId = new Map(taken.map((i, n) => [i.id, { indicator: i, stixId: (objects[n] as StixObject).id }]));
  const system = Scope.system('STIX export: sightings of the exported indicators, named only within the reader’s scope');
  const places = new Map<string, { indicator: Indicator; stixId: string; orgId: string; tlp: Tlp; unnamed: boolean; count: number; first: string; last: string }>();
  for (const s of sources.sightings.summariseByOrg(system, [...byId.keys()])) {
    const of = byId.get(s.indicatorId);
    if (!of) continue;
    const place = placeOf(s, of.indicator.tlp, reader, sources.tree, centre.id, tlpMax);
    const key = `${s.indicatorId}|${place.orgId}`;
    const known = places.get(key);
    if (!known) places.set(key, { ...of, ...place, count: s.count, first: s.firstSeen, last: s.lastSeen });
    else {
      known.count += s.count;
      known.unnamed ||= place.unnamed;
      if (s.firstSeen < known.first) known.first = s.firstSeen;
      if (s.lastSeen > known.last) known.last = s.lastSeen;
    }
  }
  const modified = toStixTimestamp(sources.now);
  const centreRef = orgIdentityId(centre.id);
  return [...places.values()].map((p) => {
    // §3.2: modified is at or after created; an event stamped ahead of the clock must not break that.
    const created = p.first < modified ? p.first : modified;
    return {
      orgIds: [centre.id, p.orgId],
      object: {
        type: 'sighting',
        spec_version: '2.1',
        id: vigilObjectId('sighting', `export|${reader.viewer.orgId}|${p.stixId}|${p.orgId}`),
        created_by_ref: centreRef,
        created,
        modified,
        ...(p.unnamed ? { description: 'Seen in organisations monitored by the centre that are not named to you / Phát hiện tại các tổ chức do Trung tâm giám sát, không nêu tên' } : {}),
        first_seen: p.first,
        last_seen: p.last,
        count: Math.min(p.count, MAX_COUNT),
        sighting_of_ref: p.stixId,
        where_sighted_refs: [orgIdentityId(p.orgId)],
        object_marking_refs: [TLP2_MARKINGS[p.tlp].id],
      },
    };
  });
}

/** Where a sighting is said to be, and its marking: the organisation when it may be named, else the centre. */
function placeOf(s: SightingSummary, indicatorTlp: Tlp, reader: StixExportReader, tree: OrgTree, centreId: string, tlpMax: ExportableTlp): { orgId: string; tlp: Tlp; unnamed: boolean } {
  // The centre's own sightings are the centre's, at the indicator's marking: nobody is unnamed.
  if (s.orgId === centreId) return { orgId: centreId, tlp: indicatorTlp, unnamed: false };
  const namedTlp = stricter(indicatorTlp, 'amber');
  const mayName = reader.scope.includes(s.orgId) && tree.get(s.orgId) !== undefined && strictness(namedTlp) <= strictness(tlpMax);
  return mayName ? { orgId: s.orgId, tlp: namedTlp, unnamed: false } : { orgId: centreId, tlp: indicatorTlp, unnamed: true };
}

/** The text form of a position (`<addedAt>.<position>`), for a query parameter or a command line. */
export function formatExportPosition(p: ExportPosition): string {
  return `${p.addedAt}.${p.position}`;
}

export function parseExportPosition(text: string): ExportPosition | null {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(text);
  return m ? { addedAt: Number(m[1]), position: Number(m[2]) } : null;
}

/**
 * @module api/taxii-collections
 * Vigil's TAXII 2.1 collections. They are derived, not stored: one read-only collection per TLP
 * level (`indicators-green` …) holding exactly the indicators of that level that TLP 2.0 lets the
 * caller's organisation see (intel/tlp.ts `maySee`, applied by the store's TLP filter), and one
 * write-only inbox (`alliance-inbox`) for callers who may add intelligence. Ids are UUIDv5 of the
 * collection name in a fixed namespace, so they are the same on every Vigil centre and across
 * restarts (§5.2.1 `id`).
 *
 * Objects served (STIX 2.1): each indicator as intel/stix/convert.ts `indicatorToStix` makes it,
 * created by a deterministic identity of its owner organisation and given an id of its own (owner,
 * source, type, value: one store row, one STIX object, so §3.5 "only the creator versions an
 * object" holds); and, riding along in each page, the identity objects and the TLP 2.0
 * marking-definition those indicators reference, so a consumer can resolve every reference
 * without a second request. The "date added" (§3.3) of an indicator is its `updatedAt`, refreshed
 * on every upsert and revocation: a revised or revoked indicator reappears after `added_after`,
 * which is how a consumer learns of the change.
 */
import type { Indicator, Tlp } from '../intel/model.js';
import { tlpLevels } from '../intel/model.js';
import { uuidV5 } from '../intel/stix/ids.js';
import type { StixObject } from '../intel/stix/objects.js';
import { indicatorObject, orgIdentity, orgIdentityId } from '../intel/stix/stored.js';
import { tlp2MarkingDefinition, TLP2_CREATED } from '../intel/stix/tlp.js';
import type { IntelViewer } from '../intel/tlp.js';
import type { OrgTree } from '../orgs/tree.js';
import type { AddedIndicator, IndicatorRepository } from '../store/store.js';
import { encodeNext, matchesObject, type TaxiiFilter } from './taxii-query.js';

/** The namespace of Vigil's TAXII collection ids (never used for anything else). */
export const TAXII_COLLECTION_NAMESPACE = '6c2f3d0e-52a4-4f7e-9a3b-0d8e1f6b7c21';
export const INBOX_NAME = 'alliance-inbox';

export interface TaxiiCollection {
  id: string;
  name: string;
  /** The TLP level it serves; null for the inbox. */
  tlp: Tlp | null;
  canRead: boolean;
  canWrite: boolean;
}

export function collectionName(tlp: Tlp): string {
  return `indicators-${tlp.replace('+', '-')}`;
}

export function collectionId(name: string): string {
  return uuidV5(TAXII_COLLECTION_NAMESPACE, name);
}

/** The collections a caller has: every TLP level to read, and the inbox when they may write. */
export function collectionsFor(mayWrite: boolean): TaxiiCollection[] {
  const levels = tlpLevels.map((tlp): TaxiiCollection => ({ id: collectionId(collectionName(tlp)), name: collectionName(tlp), tlp, canRead: true, canWrite: false }));
  return mayWrite ? [...levels, { id: collectionId(INBOX_NAME), name: INBOX_NAME, tlp: null, canRead: false, canWrite: true }] : levels;
}

/** §5.2.1: the collection resource. */
export function collectionResource(c: TaxiiCollection): Record<string, unknown> {
  const title = c.tlp === null ? 'Alliance inbox (add STIX 2.1 indicators)' : `Indicators marked TLP:${c.tlp.toUpperCase()} that you may see`;
  return { id: c.id, title, description: c.tlp === null ? 'Nhận chỉ báo STIX 2.1 từ đối tác / Receives STIX 2.1 indicators from partners' : `Chỉ báo TLP:${c.tlp.toUpperCase()} / TLP:${c.tlp.toUpperCase()} indicators`, can_read: c.canRead, can_write: c.canWrite, media_types: ['application/stix+json;version=2.1'] };
}

// Shared with bundle exports (intel/stix/export), so a stored thing has one STIX id everywhere.
export { indicatorObject, orgIdentity, orgIdentityId } from '../intel/stix/stored.js';

/** One object of a page, with what the envelope, manifest and headers need. */
export interface PageEntry {
  object: StixObject;
  /** §3.3 "date added", epoch ms. */
  dateAdded: number;
  /** `modified` (or `created`) in epoch ms: the object's only version. */
  version: number;
}

export interface CollectionPage {
  entries: PageEntry[];
  more: boolean;
  next: string | null;
  /** §3.2 X-TAXII-Date-Added-First/Last: of the indicators in the page; null when empty. */
  firstAdded: number | null;
  lastAdded: number | null;
}

const SCAN_CHUNK = 500;

function modifiedMillis(o: StixObject): number {
  const text = typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : TLP2_CREATED;
  return Date.parse(text);
}

/**
 * One page of a collection: the indicators after the filter's `next` (or `added_after`) in date
 * added order that pass the `match[...]` filters, at most `limit` of them, and the identity and
 * marking objects they reference (which pass the same filters; they do not count against
 * `limit`). Filters that the store cannot apply (the STIX id, version) are applied while scanning
 * forward in chunks, so `more`/`next` stay exact.
 */
export function readCollectionPage(indicators: IndicatorRepository, viewer: IntelViewer, tree: OrgTree, tlp: Tlp, filter: TaxiiFilter): CollectionPage {
  const found: { row: AddedIndicator; object: StixObject; emit: boolean }[] = [];
  let after = filter.next?.addedAt ?? filter.addedAfter ?? -1;
  let afterPosition = filter.next?.position;
  const wanted = (type: string) => filter.types === null || filter.types.has(type);
  const markingId = tlp2MarkingDefinition(tlp).id;
  // An indicator is part of the page when it passes the filters itself, or when it brings a
  // wanted identity or marking (with match[type]=identity, or match[id] naming one of them).
  const bringsRiders = (i: Indicator): boolean => {
    if (filter.ids === null) return !wanted('indicator') && (wanted('identity') || wanted('marking-definition'));
    return filter.ids.has(markingId) || filter.ids.has(orgIdentityId(i.ownerOrgId));
  };
  scan: for (;;) {
    const rows = indicators.listAddedAfter(viewer, { tlp, after, limit: SCAN_CHUNK, ...(afterPosition === undefined ? {} : { afterPosition }) });
    for (const row of rows) {
      const object = indicatorObject(row.indicator);
      const emit = matchesObject(object, modifiedMillis(object), filter);
      if (emit || bringsRiders(row.indicator)) found.push({ row, object, emit });
      if (found.length > filter.limit) break scan;
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < SCAN_CHUNK) break;
    after = last.addedAt;
    afterPosition = last.position;
  }
  const more = found.length > filter.limit;
  const page = more ? found.slice(0, filter.limit) : found;
  const entries: PageEntry[] = [];
  const riders = new Set<string>();
  const addRider = (object: StixObject, dateAdded: number) => {
    if (riders.has(object.id)) return;
    riders.add(object.id);
    if (matchesObject(object, modifiedMillis(object), filter)) entries.push({ object, dateAdded, version: modifiedMillis(object) });
  };
  for (const { row } of page) {
    addRider(tlp2MarkingDefinition(tlp), row.addedAt);
    const owner = tree.get(row.indicator.ownerOrgId);
    if (owner) addRider(orgIdentity(owner), row.addedAt);
  }
  for (const { row, object, emit } of page) if (emit) entries.push({ object, dateAdded: row.addedAt, version: modifiedMillis(object) });
  const lastRow = page[page.length - 1]?.row;
  return {
    entries,
    more,
    next: more && lastRow ? encodeNext({ addedAt: lastRow.addedAt, position: lastRow.position }) : null,
    firstAdded: page[0]?.row.addedAt ?? null,
    lastAdded: lastRow?.addedAt ?? null,
  };
}

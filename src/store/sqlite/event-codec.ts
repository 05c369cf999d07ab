/**
 * @module store/sqlite/event-codec
 * An event as a row: the indexed keys as columns, `event.original` stored once in its own column
 * (it is usually the largest field and the one text search reads), and the rest of the document
 * as JSON. Reading puts `event.original` back.
 */
import type { EcsEvent, EcsValue } from '../../core/event.js';
import type { EventToStore, StoredEvent } from '../store.js';

export interface EventRow {
  seq: number;
  original: string | null;
  doc: string;
}

/**
 * JSON of the event without `event.original`. On the hot path the member is blanked for the
 * duration of the synchronous stringify and restored, rather than copying the event: copies are
 * two allocations per event and a measurable share of commit time. A frozen event (which cannot
 * be blanked) is copied instead.
 */
export function documentWithoutOriginal(event: EcsEvent): string {
  const inner = event.event;
  const original = inner.original;
  if (original === undefined) return JSON.stringify(event);
  try {
    inner.original = undefined; // JSON.stringify skips undefined members
  } catch {
    return JSON.stringify({ ...event, event: { ...inner, original: undefined } });
  }
  try {
    return JSON.stringify(event);
  } finally {
    inner.original = original;
  }
}

/**
 * An event encoded for its row, ready to insert: what the writer needs and nothing more. Encoding
 * (the JSON of the document) is the costly part and can run on another thread than the insert.
 */
export interface EncodedEvent {
  ts: number;
  orgId: string;
  sensorId: string;
  dataset: string | null;
  category: string | null;
  outcome: string | null;
  sourceIp: string | null;
  hostName: string | null;
  userName: string | null;
  original: string | null;
  doc: string;
}

export function encodeEvent(row: EventToStore): EncodedEvent {
  const event = row.event;
  const fields = event.event;
  return {
    ts: row.ts,
    orgId: row.orgId,
    sensorId: row.sensorId,
    dataset: keywordText(fields.dataset),
    category: firstCategory(event),
    outcome: keywordText(fields.outcome),
    sourceIp: nestedText(event, 'source', 'ip'),
    hostName: nestedText(event, 'host', 'name'),
    userName: nestedText(event, 'user', 'name'),
    original: fields.original ?? null,
    doc: documentWithoutOriginal(event),
  };
}

/** A keyword field as column text: strings as they are, numbers and booleans in their JSON form. */
export function keywordText(value: EcsValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** `event[group][field]` as text (`source.ip`, `host.name`) without walking a dotted path. */
export function nestedText(event: EcsEvent, group: string, field: string): string | null {
  const node = event[group];
  if (node === null || node === undefined || typeof node !== 'object' || Array.isArray(node)) return null;
  return keywordText(node[field]);
}

/** The first of `event.category` (ECS allows several); null when there is none. */
export function firstCategory(event: EcsEvent): string | null {
  const category: EcsValue | undefined = event.event.category;
  if (Array.isArray(category)) return category.length > 0 ? keywordText(category[0]) : null;
  return keywordText(category);
}

export function decodeEvent(row: EventRow): StoredEvent {
  const event = JSON.parse(row.doc) as EcsEvent;
  if (row.original !== null) {
    if (event.event === undefined) event.event = {};
    event.event.original = row.original;
  }
  return { seq: row.seq, event };
}

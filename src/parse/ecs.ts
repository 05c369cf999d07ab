/**
 * @module parse/ecs
 * A document already in the Elastic Common Schema, taken as it is: nested objects or dotted keys
 * (`"source.ip"`), which are expanded and merged the way Elasticsearch reads them. Validated:
 * `@timestamp` is required (ECS base fields) and must be a time — ISO 8601 text, or epoch
 * milliseconds as Elasticsearch's default `date` mapping (`strict_date_optional_time||epoch_millis`)
 * reads a number — and is rewritten in `toISOString()` form; `event` must be an object;
 * `event.kind` and `event.outcome` must hold ECS allowed values; `event.category` and `event.type`
 * become arrays. Nothing is dropped: an `organization.id` the payload carries stays, so ingest can
 * compare it with the sensor's organisation and refuse a mismatch.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { expandDottedKeys, isPlainObject, ownValue, readJsonObject } from './json-record.js';
import { isoFromMs, parseIso8601 } from './timestamp.js';

/** ECS `event.kind` allowed values accepted by Vigil (core/event `EventFields.kind`). */
const KINDS = new Set(['event', 'alert', 'metric', 'state', 'pipeline_error', 'signal']);
/** ECS `event.outcome` allowed values. */
const OUTCOMES = new Set(['success', 'failure', 'unknown']);

function timeOf(value: unknown, offset: number): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  if (/^\d{1,15}$/.test(value)) return Number(value);
  return parseIso8601(value, offset);
}

/** Makes `event[key]` an array of strings, or says why it cannot be. */
function keywordArray(event: EcsObject, key: string): Malformed | undefined {
  const value = ownValue(event, key);
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    event[key] = [value];
    return undefined;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return undefined;
  return new Malformed(`ecs: event.${key} must be a string or an array of strings`);
}

function normaliseEcs(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const doc = readJsonObject(record, 'ecs');
  if (doc instanceof Malformed) return doc;
  const out = expandDottedKeys(doc, 'ecs');
  if (out instanceof Malformed) return out;

  const ts = ownValue(out, '@timestamp');
  if (ts === undefined) return new Malformed('ecs: missing @timestamp');
  const iso = isoFromMs(timeOf(ts, ctx.tzOffsetMinutes));
  if (iso === undefined) return new Malformed(`ecs: @timestamp ${JSON.stringify(ts)} is not an ISO 8601 time or epoch milliseconds`);
  out['@timestamp'] = iso;

  let event = ownValue(out, 'event');
  if (event === undefined) {
    event = {};
    out.event = event;
  } else if (!isPlainObject(event)) {
    return new Malformed('ecs: event must be an object');
  }
  const kind = ownValue(event, 'kind');
  if (kind === undefined) event.kind = 'event';
  else if (typeof kind !== 'string' || !KINDS.has(kind)) return new Malformed(`ecs: event.kind ${JSON.stringify(kind)} is not an ECS event kind`);
  const outcome = ownValue(event, 'outcome');
  if (outcome !== undefined && (typeof outcome !== 'string' || !OUTCOMES.has(outcome))) {
    return new Malformed(`ecs: event.outcome ${JSON.stringify(outcome)} is not success, failure or unknown`);
  }
  const bad = keywordArray(event, 'category') ?? keywordArray(event, 'type');
  if (bad !== undefined) return bad;
  if (ownValue(event, 'dataset') === undefined) event.dataset = 'ecs';
  if (ownValue(event, 'module') === undefined) event.module = 'ecs';
  return out as EcsEvent;
}

export const ecsNormaliser: Normaliser = { format: 'ecs', normalise: normaliseEcs };

/**
 * @module parse/json
 * Generic JSON objects mapped to ECS through `ctx.jsonMapping` (ECS dotted field ← source dotted
 * field). Nothing is lost: every source field no mapping consumed is kept under `json` (a custom
 * field set, as ECS "Custom fields" advises: a name of one's own, outside the ECS names).
 * `@timestamp` comes from the field mapped to it, else the first valid of the common keys
 * (`@timestamp`, `timestamp`, `time`, `ts`, `datetime`), as ISO 8601 or epoch seconds/ms, else the
 * arrival time. ECS numeric fields receive numbers: numeric text is converted, other text refused.
 * Mappings onto `organization.*`, `observer.*` and `event.original` are ignored: ingest sets those.
 */
import type { EcsEvent, EcsObject, EcsValue } from '../core/event.js';
import { getField, setField } from '../core/event.js';
import type { NormaliseContext, Normaliser, NormaliseResult, RawRecord } from './normaliser.js';
import { Malformed } from './normaliser.js';
import { httpOutcome } from './access-log.js';
import { isPlainObject, ownValue, readJsonObject, setOwn } from './json-record.js';
import { isoFromMs, parseTimeValue } from './timestamp.js';

/** Keys tried, in order, for the event time when no mapping names one. */
const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'datetime'];

/** ECS fields of type `long` (or `float`) a mapping may target: they must hold numbers. */
const NUMERIC_FIELDS = new Set([
  'http.response.status_code', 'http.response.bytes', 'http.response.body.bytes', 'http.request.bytes',
  'http.request.body.bytes', 'source.port', 'destination.port', 'client.port', 'server.port', 'url.port',
  'source.bytes', 'destination.bytes', 'source.packets', 'destination.packets', 'network.bytes', 'network.packets',
  'event.duration', 'event.severity', 'event.risk_score', 'process.pid', 'process.parent.pid', 'process.exit_code',
  'log.syslog.priority', 'log.syslog.facility.code', 'log.syslog.severity.code',
]);

/** ECS keyword fields that are arrays by definition (event categorisation fields, tags). */
const ARRAY_FIELDS = new Set(['event.category', 'event.type', 'tags', 'related.ip', 'related.user', 'related.hosts']);

type MappingEntry = readonly [target: string, source: string];

const compiledMappings = new WeakMap<Readonly<Record<string, string>>, MappingEntry[]>();

/** The mapping as a list of (target, source) pairs, computed once per mapping object. */
function mappingEntries(mapping: Readonly<Record<string, string>>): MappingEntry[] {
  let entries = compiledMappings.get(mapping);
  if (entries === undefined) {
    entries = Object.entries(mapping).filter(
      ([target]) => !target.startsWith('organization.') && !target.startsWith('observer.') && target !== 'event.original',
    );
    compiledMappings.set(mapping, entries);
  }
  return entries;
}

/** A mapped value in the ECS type of its target, or the reason it cannot be. */
function coerce(target: string, source: string, value: EcsValue): EcsValue | Malformed {
  if (NUMERIC_FIELDS.has(target)) {
    if (typeof value === 'number') return value;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) return new Malformed(`json: ${target} ← ${source}: ${JSON.stringify(value)} is not a number`);
    return n;
  }
  if (ARRAY_FIELDS.has(target) && !Array.isArray(value)) return [value];
  return value;
}

/** A copy of `obj` without the dotted `paths` (a literal dotted key counts), dropping emptied objects. */
function omitPaths(obj: EcsObject, paths: readonly string[]): EcsObject {
  const out: EcsObject = {};
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined || paths.includes(key)) continue;
    let rest: string[] | undefined;
    for (const p of paths) if (p.length > key.length && p.startsWith(key) && p.charCodeAt(key.length) === 46) (rest ??= []).push(p.slice(key.length + 1));
    if (rest !== undefined && isPlainObject(value)) {
      const inner = omitPaths(value, rest);
      if (Object.keys(inner).length > 0) setOwn(out, key, inner);
    } else {
      setOwn(out, key, value);
    }
  }
  return out;
}

function normaliseJson(record: RawRecord, ctx: NormaliseContext): NormaliseResult {
  const doc = readJsonObject(record, 'json');
  if (doc instanceof Malformed) return doc;
  const event: EcsEvent = { '@timestamp': '', event: { kind: 'event', dataset: 'json', module: 'json' } };

  let consumed: string[] | undefined;
  let time: EcsValue | undefined;
  let timeSource = '';
  if (ctx.jsonMapping !== undefined) {
    for (const [target, source] of mappingEntries(ctx.jsonMapping)) {
      const value = getField(doc, source);
      if (value === undefined) continue;
      (consumed ??= []).push(source);
      if (target === '@timestamp') {
        time = value;
        timeSource = source;
        continue;
      }
      const typed = coerce(target, source, value);
      if (typed instanceof Malformed) return typed;
      setField(event, target, typed);
    }
  }

  let ms = NaN;
  if (time !== undefined) {
    ms = parseTimeValue(time, ctx.tzOffsetMinutes);
    if (Number.isNaN(ms)) return new Malformed(`json: @timestamp ← ${timeSource}: ${JSON.stringify(time)} is not an ISO 8601 time or a Unix epoch`);
  } else {
    for (const key of TIME_KEYS) {
      const candidate = ownValue(doc, key);
      if (candidate === undefined) continue;
      ms = parseTimeValue(candidate, ctx.tzOffsetMinutes);
      if (!Number.isNaN(ms)) break;
    }
    if (Number.isNaN(ms)) ms = ctx.receivedAt;
  }
  const iso = isoFromMs(ms);
  if (iso === undefined) return new Malformed(`json: time ${JSON.stringify(time ?? ms)} is out of range`);
  event['@timestamp'] = iso;

  // ECS event.outcome of an HTTP exchange, when the mapping gave a status but no outcome.
  const status = getField(event, 'http.response.status_code');
  if (typeof status === 'number' && event.event.outcome === undefined) event.event.outcome = httpOutcome(status);

  const rest = consumed === undefined ? doc : omitPaths(doc, consumed);
  if (Object.keys(rest).length > 0) event.json = rest;
  return event;
}

export const jsonNormaliser: Normaliser = { format: 'json', normalise: normaliseJson };

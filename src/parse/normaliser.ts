/**
 * @module parse/normaliser
 * The contract every format normaliser implements. A normaliser turns one raw record into one ECS
 * event, or says why it cannot (`Malformed`), or that the record carries no event (`SKIP`, e.g. a
 * W3C `#Fields:` directive). It is synchronous and allocation-light: ingest calls it in a tight loop
 * over a batch. It never sets `organization.*` or `observer.*`: ingest does, from the sensor.
 */
import type { EcsEvent, EcsObject } from '../core/event.js';

/** One raw record as received. */
export interface RawRecord {
  /** The raw text: the line as received, or the JSON text of an element of a JSON array. */
  text: string;
  /** The decoded JSON value when the transport already parsed it (NDJSON, JSON arrays). */
  json?: EcsObject;
  /** Line number in the sender's batch or file, for rejection reports; defaults to position. */
  line?: number;
}

/** State that lives for one stream (one HTTP batch, one file, one syslog connection). */
export interface StreamState {
  /** W3C extended log: the field list of the latest `#Fields:` directive. */
  w3cFields?: string[];
}

export interface NormaliseContext {
  /** Arrival time, epoch ms: fills a missing year (RFC 3164) and a missing timestamp. */
  receivedAt: number;
  /** Offset in minutes east of UTC for timestamps without a zone (RFC 3164, W3C local). */
  tzOffsetMinutes: number;
  /** Generic JSON: ECS field ← source field (dotted paths both sides). */
  jsonMapping?: Readonly<Record<string, string>>;
  stream: StreamState;
}

/** Why a record could not be normalised. A class so that `instanceof` separates it cheaply. */
export class Malformed {
  constructor(readonly reason: string) {}
}

/** The record is valid but carries no event (a directive or a comment). */
export const SKIP: unique symbol = Symbol('skip');

export type NormaliseResult = EcsEvent | Malformed | typeof SKIP;

export interface Normaliser {
  /** The name used everywhere: config `format:`, file name, metrics label. */
  readonly format: string;
  normalise(record: RawRecord, ctx: NormaliseContext): NormaliseResult;
}

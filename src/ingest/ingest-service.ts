/**
 * @module ingest/ingest-service
 * The hot path: one batch of raw records → normalised, attributed ECS events → one durable
 * commit. Synchronous from the first record to the commit, no await per event. The sensor
 * decides the organisation: `organization.id` and `observer.*` are set from the sensor's
 * credentials, and a record that claims another organisation is rejected, never stored.
 */
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../core/clock.js';
import type { VigilConfig } from '../core/config.js';
import { VigilError, formatMessage, type ErrorCode } from '../core/errors.js';
import type { EcsEvent } from '../core/event.js';
import { newId } from '../core/ids.js';
import type { Metrics } from '../core/metrics.js';
import type { BatchSummary, LineRejection, Sensor } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { emptyAttributor, SystemAttributor } from '../inventory/attribution.js';
import { detectFormat } from '../parse/detect.js';
import { Malformed, SKIP, type NormaliseContext, type Normaliser, type RawRecord } from '../parse/normaliser.js';
import { formatNames, getNormaliser } from '../parse/registry.js';
import type { BatchCommitter, DeadLetterToStore, EventToStore, Store } from '../store/store.js';
import type { IngestOptions, IngestSink } from './sink.js';

export interface IngestResult extends BatchSummary {
  /** True when this batch's idempotency key was seen before: nothing was stored again. */
  duplicate: boolean;
}

const DAY_MS = 86_400_000;
const MAX_DEAD_LETTER_RAW = 16 * 1024;

export class IngestService implements IngestSink {
  private readonly retentionMs: number;
  private readonly futureSkewMs: number;
  private readonly maxLineBytes: number;
  private readonly defaultTzMinutes: number;

  /** Which information system an event concerns (inventory/attribution); rebuilt by `reloadSystems`. */
  private attributor: SystemAttributor = emptyAttributor;

  /** The inventory changed: events are attributed with the new systems from the next batch. */
  reloadSystems(): void {
    this.attributor = new SystemAttributor(this.store.systems.list(Scope.system('ingest: attribute events to information systems')));
  }

  constructor(
    private readonly store: Store,
    /** Commits batches durably (on the writer thread in the embedded centre). */
    private readonly committer: BatchCommitter,
    private readonly bus: Bus,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly config: Pick<VigilConfig, 'ingest' | 'store' | 'parsers'>,
  ) {
    this.reloadSystems();
    this.retentionMs = config.store.retentionDays * DAY_MS;
    this.futureSkewMs = config.ingest.maxFutureSkewSeconds * 1000;
    this.maxLineBytes = config.ingest.maxLineBytes;
    this.defaultTzMinutes = parseOffsetMinutes(config.ingest.defaultTimezone);
  }

  /** Throws VIGIL_ERR_UNKNOWN_FORMAT for a format no normaliser has. */
  resolveFormat(format: string | null | undefined): Normaliser | null {
    if (format === null || format === undefined || format === 'auto') return null;
    const normaliser = getNormaliser(format);
    if (!normaliser) throw new VigilError('VIGIL_ERR_UNKNOWN_FORMAT', { format, known: formatNames.join(', ') });
    return normaliser;
  }

  /**
   * Everything up to the commit is synchronous over the batch; the commit itself is awaited, so
   * the main thread prepares the next batch while the writer stores this one.
   */
  async acceptBatch(sensor: Sensor, records: RawRecord[], options: IngestOptions): Promise<IngestResult> {
    const started = performance.now();
    const scope = Scope.single(sensor.orgId);
    const key = options.idempotencyKey ?? null;
    if (key !== null) {
      const earlier = this.store.ingest.findBatch(scope, sensor.id, key);
      if (earlier) {
        this.metrics.batches.inc({ transport: options.transport, outcome: 'duplicate' });
        return { ...earlier, duplicate: true };
      }
    }
    const fixed = this.resolveFormat(options.format ?? sensor.format);
    const now = this.clock.now();
    const receivedIso = new Date(now).toISOString();
    const oldest = Math.floor((now - this.retentionMs) / DAY_MS) * DAY_MS;
    const newest = now + this.futureSkewMs;
    const mapping = sensor.jsonMapping ? this.config.parsers.json.mappings[sensor.jsonMapping] : undefined;
    const ctx: NormaliseContext = {
      receivedAt: now,
      tzOffsetMinutes: sensor.timezone ? parseOffsetMinutes(sensor.timezone) : this.defaultTzMinutes,
      stream: options.stream ?? {},
      ...(mapping ? { jsonMapping: mapping } : {}),
    };
    const observer = { id: sensor.id, name: sensor.name, type: 'sensor' };
    const counts = new BatchCounts();
    const events: EventToStore[] = [];
    const deadLetters: DeadLetterToStore[] = [];
    const rejected: LineRejection[] = [];
    const firstLine = options.firstLineNo ?? 1;

    const reject = (record: RawRecord, lineNo: number, parser: string, code: ErrorCode, params: Record<string, string | number>): void => {
      const reason = formatMessage(code, params);
      rejected.push({ line: lineNo, code, reason });
      const raw = record.text.length > MAX_DEAD_LETTER_RAW ? record.text.slice(0, MAX_DEAD_LETTER_RAW) : record.text;
      deadLetters.push({ parser, code, reason, lineNo, raw });
      counts.reject(parser, code);
    };

    for (let i = 0; i < records.length; i++) {
      const record = records[i] as RawRecord;
      const lineNo = record.line ?? firstLine + i;
      let normaliser = fixed;
      if (normaliser === null) {
        const detected = detectFormat(record);
        normaliser = detected === null ? null : (getNormaliser(detected) ?? null);
      }
      const parser = normaliser?.format ?? 'auto';
      counts.receive(parser);
      if (record.text.length > this.maxLineBytes && Buffer.byteLength(record.text) > this.maxLineBytes) {
        reject(record, lineNo, parser, 'VIGIL_ERR_LINE_TOO_LONG', { limit: this.maxLineBytes });
        continue;
      }
      if (normaliser === null) {
        reject(record, lineNo, parser, 'VIGIL_ERR_PARSE', { detail: 'auto: no known format matches the line' });
        continue;
      }
      const result = normaliser.normalise(record, ctx);
      if (result === SKIP) {
        counts.skip(parser);
        continue;
      }
      if (result instanceof Malformed) {
        reject(record, lineNo, parser, 'VIGIL_ERR_PARSE', { detail: result.reason });
        continue;
      }
      const event: EcsEvent = result;
      const ts = Date.parse(event['@timestamp']);
      if (Number.isNaN(ts)) {
        reject(record, lineNo, parser, 'VIGIL_ERR_PARSE', { detail: `${parser}: @timestamp ${event['@timestamp']} is not a date` });
        continue;
      }
      if (ts < oldest) {
        reject(record, lineNo, parser, 'VIGIL_ERR_EVENT_TOO_OLD', { timestamp: event['@timestamp'], days: this.config.store.retentionDays });
        continue;
      }
      if (ts > newest) {
        reject(record, lineNo, parser, 'VIGIL_ERR_EVENT_IN_FUTURE', { timestamp: event['@timestamp'], seconds: this.config.ingest.maxFutureSkewSeconds });
        continue;
      }
      const claimed = event.organization?.id;
      if (claimed !== undefined && claimed !== sensor.orgId) {
        reject(record, lineNo, parser, 'VIGIL_ERR_ORG_CLAIM', { claimed: String(claimed), orgId: sensor.orgId });
        continue;
      }
      event.organization = { id: sensor.orgId };
      event.observer = event.observer ? { ...event.observer, ...observer } : observer;
      // The information system of the sensor's organisation the event concerns, as an ECS label
      // (`labels` are custom key/values, ECS 8 base fields). A payload cannot claim one.
      const systemId = this.attributor.size === 0 ? null : this.attributor.systemOf(event, sensor.orgId);
      if (systemId !== null) event.labels = { ...(event.labels ?? {}), system_id: systemId };
      else if (event.labels?.['system_id'] !== undefined) delete event.labels['system_id'];
      const fields = event.event;
      if (fields.original === undefined) fields.original = record.text;
      fields.ingested = receivedIso;
      if (sensor.demo) event.tags = event.tags ? [...event.tags, 'demo'] : ['demo'];
      events.push({ ts, orgId: sensor.orgId, sensorId: sensor.id, event });
      counts.accept(parser);
    }

    const summary: BatchSummary = {
      batchId: newId('bat'),
      received: records.length,
      accepted: events.length,
      rejected,
      firstSeq: null,
      lastSeq: null,
    };
    const outcome = await this.committer.commit({
      orgId: sensor.orgId,
      sensorId: sensor.id,
      idempotencyKey: key,
      receivedAt: now,
      events,
      deadLetters,
      summary,
    });
    if (outcome.status === 'duplicate') {
      this.metrics.batches.inc({ transport: options.transport, outcome: 'duplicate' });
      return { ...outcome.summary, duplicate: true };
    }
    counts.flush(this.metrics, sensor.id);
    this.metrics.batches.inc({ transport: options.transport, outcome: 'stored' });
    this.metrics.batchLatency.observe({ transport: options.transport }, (performance.now() - started) / 1000);
    const stored = outcome.summary;
    if (stored.lastSeq !== null && stored.firstSeq !== null) {
      this.metrics.lastSeq.set(stored.lastSeq);
      void this.bus.publish('events.stored', {
        orgId: sensor.orgId,
        sensorId: sensor.id,
        firstSeq: stored.firstSeq,
        lastSeq: stored.lastSeq,
        count: stored.accepted,
      });
    }
    return { ...stored, duplicate: false };
  }
}

/** Per-batch tallies, flushed to the metrics once per batch. */
class BatchCounts {
  private readonly received = new Map<string, number>();
  private readonly accepted = new Map<string, number>();
  private readonly skipped = new Map<string, number>();
  private readonly rejected = new Map<string, number>();

  receive(parser: string): void {
    this.received.set(parser, (this.received.get(parser) ?? 0) + 1);
  }
  accept(parser: string): void {
    this.accepted.set(parser, (this.accepted.get(parser) ?? 0) + 1);
  }
  skip(parser: string): void {
    this.skipped.set(parser, (this.skipped.get(parser) ?? 0) + 1);
  }
  reject(parser: string, code: string): void {
    const key = `${parser}\u0000${code}`;
    this.rejected.set(key, (this.rejected.get(key) ?? 0) + 1);
  }
  flush(metrics: Metrics, sensor: string): void {
    for (const [parser, n] of this.received) metrics.received.inc({ sensor, parser }, n);
    for (const [parser, n] of this.accepted) metrics.accepted.inc({ sensor, parser }, n);
    for (const [parser, n] of this.skipped) metrics.skipped.inc({ sensor, parser }, n);
    for (const [key, n] of this.rejected) {
      const [parser = '', code = ''] = key.split('\u0000');
      metrics.rejected.inc({ sensor, parser, code }, n);
    }
  }
}

/** `+07:00` → 420; `Z` → 0. The configuration schema has already validated the shape. */
export function parseOffsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours = '0', minutes = '0'] = offset.slice(1).split(':');
  return sign * (Number(hours) * 60 + Number(minutes));
}

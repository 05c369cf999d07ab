/**
 * @module bench/detect-corpus
 * A realistic event corpus for the detection benchmark: the demo sensors' traffic (citizens on
 * portals, officials' Windows logons, administrators, firewalls, a share of hostile traffic),
 * normalised to ECS by the real normalisers — the events detection sees in production.
 */
import type { EcsEvent } from '../src/core/event.js';
import { demoJsonMappings, demoSensorSpecs } from '../src/demo/seed.js';
import { Random } from '../src/demo/random.js';
import { buildSensorBatch, trafficProfile } from '../src/demo/traffic.js';
import { detectFormat } from '../src/parse/detect.js';
import { Malformed, SKIP, type NormaliseContext, type RawRecord } from '../src/parse/normaliser.js';
import { getNormaliser } from '../src/parse/registry.js';

export function detectionCorpus(size: number, seed = 20261125): EcsEvent[] {
  const rng = new Random(seed);
  const events: EcsEvent[] = [];
  let time = Date.UTC(2026, 10, 25, 2, 0, 0);
  while (events.length < size) {
    for (const spec of demoSensorSpecs) {
      const profile = trafficProfile(spec);
      const batch = buildSensorBatch(rng, profile, time, 20, 1);
      const records: RawRecord[] =
        batch.kind === 'text' ? batch.lines.map((text) => ({ text }))
        : batch.kind === 'ndjson' ? batch.objects.map((json) => ({ text: JSON.stringify(json), json }))
        : [...batch.udp, ...batch.tcp].map((text) => ({ text }));
      const mapping = spec.jsonMapping ? demoJsonMappings[spec.jsonMapping] : undefined;
      const ctx: NormaliseContext = { receivedAt: time, tzOffsetMinutes: 420, stream: {}, ...(mapping ? { jsonMapping: mapping } : {}) };
      for (const record of records) {
        const format = spec.format ?? detectFormat(record);
        const normaliser = format ? getNormaliser(format) : undefined;
        if (!normaliser) continue;
        const result = normaliser.normalise(record, ctx);
        if (result === SKIP || result instanceof Malformed) continue;
        result.organization = { id: spec.orgCode };
        result.event.original ??= record.text;
        events.push(result);
      }
    }
    time += 1000;
  }
  return events.slice(0, size);
}

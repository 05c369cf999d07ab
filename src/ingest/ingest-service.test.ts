import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../bus/memory/memory-bus.js';
import { ManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config.js';
import { VigilError } from '../core/errors.js';
import { Metrics } from '../core/metrics.js';
import type { Organization, Sensor } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { inlineCommitter } from '../store/sqlite/batch-writer.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import { IngestService } from './ingest-service.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const system = Scope.system('test');
const config = loadConfig({
  text: 'store: { retentionDays: 30 }\ningest: { maxFutureSkewSeconds: 3600, maxLineBytes: 1024, defaultTimezone: "+07:00" }\nparsers: { json: { mappings: { sso: { user.name: username, source.ip: client_ip } } } }',
  path: 'vigil.yaml',
  env: {},
}).config;

const org = (id: string, parentId: string | null): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind: parentId ? 'agency' : 'national', sector: null, region: null, demo: false, createdAt: new Date(NOW).toISOString(),
});
const sensorOf = (id: string, orgId: string, patch: Partial<Sensor> = {}): Sensor => ({
  id, orgId, name: `sensor ${id}`, format: null, jsonMapping: null, timezone: null, syslogSources: [], tlsClientIds: [], ratePerSecond: null, keyPrefix: 'vgs_x', enabled: true, demo: false, createdAt: new Date(NOW).toISOString(), ...patch,
});

const nginx = (path: string, stamp = '25/Nov/2026:14:59:00 +0700'): string => `14.160.1.2 - - [${stamp}] "GET ${path} HTTP/1.1" 200 10 "-" "curl/8.5.0"`;

let store: Store;
let metrics: Metrics;
let service: IngestService;
let sensor: Sensor;

beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  store.orgs.create(system, org('root', null));
  store.orgs.create(system, org('agency', 'root'));
  store.orgs.create(system, org('other', 'root'));
  sensor = sensorOf('sen_a', 'agency', { format: 'nginx' });
  store.sensors.create(system, sensor, 'digest-a');
  metrics = new Metrics({ processMetrics: false });
  service = new IngestService(store, inlineCommitter(store), new MemoryBus(), metrics, new ManualClock(NOW), config);
});

describe('IngestService', () => {
  it('normalises, attributes to the sensor and stores the batch', async () => {
    const result = await service.acceptBatch(sensor, [{ text: nginx('/a') }, { text: nginx('/b') }], { transport: 'http' });
    expect(result).toMatchObject({ received: 2, accepted: 2, rejected: [], duplicate: false, firstSeq: 1, lastSeq: 2 });
    const [stored] = store.events.readAfter(system, 0, 1);
    expect(stored?.event).toMatchObject({
      '@timestamp': '2026-11-25T07:59:00.000Z',
      organization: { id: 'agency' },
      observer: { id: 'sen_a', name: 'sensor sen_a', type: 'sensor' },
      event: { original: nginx('/a'), ingested: new Date(NOW).toISOString(), dataset: 'nginx.access' },
    });
  });

  it('rejects what it cannot accept, line by line, and keeps dead letters', async () => {
    const ecs = (ts: string, extra = '') => `{"@timestamp":"${ts}","event":{"kind":"event"}${extra}}`;
    const records = [
      { text: 'garbage' },
      { text: nginx('/old', '01/Jan/2020:00:00:00 +0000') },
      { text: nginx('/future', '25/Nov/2027:00:00:00 +0000') },
      { text: `${nginx('/long')}${'x'.repeat(2000)}` },
      { text: ecs('2026-11-25T07:00:00Z', ',"organization":{"id":"other"}') },
      { text: ecs('2026-11-25T07:00:00Z', ',"organization":{"id":"agency"}') },
    ];
    const formats = ['nginx', 'nginx', 'nginx', 'nginx', 'ecs', 'ecs'];
    const result = await Promise.all(records.map((record, i) => service.acceptBatch(sensor, [record], { transport: 'http', format: formats[i] ?? null, firstLineNo: i + 1 })));
    expect(result.map((r) => r.rejected[0]?.code ?? 'accepted')).toEqual([
      'VIGIL_ERR_PARSE',
      'VIGIL_ERR_EVENT_TOO_OLD',
      'VIGIL_ERR_EVENT_IN_FUTURE',
      'VIGIL_ERR_LINE_TOO_LONG',
      'VIGIL_ERR_ORG_CLAIM',
      'accepted',
    ]);
    expect(result[4]?.rejected[0]).toEqual({ line: 5, code: 'VIGIL_ERR_ORG_CLAIM', reason: 'Event claims organization.id other; this sensor writes only for agency' });
    const letters = store.deadLetters.list(Scope.single('agency'), { limit: 10 }).items;
    expect(letters).toHaveLength(5);
    expect(letters.map((l) => l.parser).sort()).toEqual(['ecs', 'nginx', 'nginx', 'nginx', 'nginx']);
    expect(letters.find((l) => l.code === 'VIGIL_ERR_PARSE')?.raw).toBe('garbage');
    expect(store.deadLetters.list(Scope.single('other'), { limit: 10 }).items).toHaveLength(0);
  });

  it('stores a retried batch once and answers with the first summary', async () => {
    const first = await service.acceptBatch(sensor, [{ text: nginx('/x') }], { transport: 'http', idempotencyKey: 'k1' });
    const again = await service.acceptBatch(sensor, [{ text: nginx('/x') }], { transport: 'http', idempotencyKey: 'k1' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(store.events.count(system)).toBe(1);
  });

  it('detects the format of each line when the sensor names none', async () => {
    const auto = sensorOf('sen_auto', 'agency');
    store.sensors.create(system, auto, 'digest-auto');
    const lines = [
      nginx('/auto'),
      '<34>1 2026-11-25T07:00:00.000Z host app 1 ID47 - message',
      'CEF:0|Fortinet|FortiGate|7.2|13|deny|5|src=198.51.100.7 dst=10.0.0.5',
      '{"@timestamp":"2026-11-25T07:00:00Z","event":{"kind":"event"},"ecs":{"version":"8.11"}}',
    ];
    const result = await service.acceptBatch(auto, lines.map((text) => ({ text })), { transport: 'http' });
    expect(result.rejected).toEqual([]);
    const datasets = store.events.readAfter(system, 0, 10).map((e) => e.event.event.dataset);
    expect(datasets).toEqual(['nginx.access', 'syslog', 'cef', 'ecs']);
    expect(store.events.readAfter(system, 0, 10)[3]?.event.ecs).toEqual({ version: '8.11' });
  });

  it('keeps W3C field directives across the batches of one stream', async () => {
    const stream = {};
    const w3c = sensorOf('sen_iis', 'agency', { format: 'w3c' });
    store.sensors.create(system, w3c, 'digest-iis');
    const header = await service.acceptBatch(w3c, [{ text: '#Fields: date time c-ip cs-method cs-uri-stem sc-status' }], { transport: 'syslog-tcp', stream });
    expect(header).toMatchObject({ received: 1, accepted: 0, rejected: [] });
    const body = await service.acceptBatch(w3c, [{ text: '2026-11-25 07:00:00 14.160.1.2 GET /dvc 200' }], { transport: 'syslog-tcp', stream });
    expect(body.accepted).toBe(1);
    expect(store.events.readAfter(system, 0, 1)[0]?.event).toMatchObject({ url: { path: '/dvc' }, http: { response: { status_code: 200 } } });
  });

  it('uses the sensor’s JSON mapping', async () => {
    const sso = sensorOf('sen_sso', 'agency', { format: 'json', jsonMapping: 'sso' });
    store.sensors.create(system, sso, 'digest-sso');
    const result = await service.acceptBatch(sso, [{ text: '{"time":"2026-11-25T07:00:00Z","username":"nguyen.van.a","client_ip":"14.160.1.2"}' }], { transport: 'http' });
    expect(result.accepted).toBe(1);
    expect(store.events.readAfter(system, 0, 1)[0]?.event).toMatchObject({ user: { name: 'nguyen.van.a' }, source: { ip: '14.160.1.2' } });
  });

  it('refuses an unknown format for the whole batch', async () => {
    await expect(service.acceptBatch(sensor, [{ text: 'x' }], { transport: 'http', format: 'klingon' })).rejects.toThrow(VigilError);
  });

  it('tags events of demo sensors', async () => {
    const demo = sensorOf('sen_demo', 'agency', { format: 'nginx', demo: true });
    store.sensors.create(system, demo, 'digest-demo');
    await service.acceptBatch(demo, [{ text: nginx('/demo') }], { transport: 'http' });
    expect(store.events.readAfter(system, 0, 1)[0]?.event.tags).toEqual(['demo']);
  });

  it('counts received = accepted + rejected + skipped, per sensor and parser', async () => {
    await service.acceptBatch(sensor, [{ text: nginx('/1') }, { text: 'bad' }, { text: nginx('/2') }], { transport: 'http' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('vigil_ingest_received_total{sensor="sen_a",parser="nginx"} 3');
    expect(text).toContain('vigil_ingest_accepted_total{sensor="sen_a",parser="nginx"} 2');
    expect(text).toContain('vigil_ingest_rejected_total{sensor="sen_a",parser="nginx",code="VIGIL_ERR_PARSE"} 1');
  });
});

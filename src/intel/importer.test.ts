import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../core/scope.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { importIntelFile, resolveFormat, type ImportIntelOptions, type ImportProgress } from './importer.js';
import type { Indicator } from './model.js';
import { TLP2_MARKINGS, tlp2MarkingDefinition } from './stix/tlp.js';

let dir: string;
const at = '2026-11-20T00:00:00.000Z';
const now = () => Date.parse('2026-11-25T00:00:00.000Z');

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Collects the batches instead of storing them; every indicator counts as added. */
function collector() {
  const batches: Indicator[][] = [];
  const upsert = (batch: Indicator[]) => {
    batches.push(batch);
    return { added: batch.length, updated: 0 };
  };
  return { batches, all: () => batches.flat(), upsert };
}

function options(upsert: ImportIntelOptions['upsert'], extra: Partial<ImportIntelOptions> = {}): ImportIntelOptions {
  return { format: 'auto', ownerOrgId: 'org_centre', upsert, now, ...extra };
}

const bundle = {
  type: 'bundle',
  id: 'bundle--2f1c5b8e-7e7a-4b49-9a1a-3c9d4d1b7e10',
  objects: [
    tlp2MarkingDefinition('green'),
    { type: 'indicator', spec_version: '2.1', id: 'indicator--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', created: at, modified: at, pattern: "[domain-name:value = 'Bad.Example.vn']", pattern_type: 'stix', valid_from: at, object_marking_refs: [TLP2_MARKINGS.green.id] },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', created: at, modified: at, pattern: "[file:name = 'x.exe'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.1']", pattern_type: 'stix', valid_from: at },
    { type: 'malware', spec_version: '2.1', id: 'malware--8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', created: at, modified: at, name: 'lotus', is_family: true },
    { type: 'indicator', id: 'indicator--broken' },
  ],
};

const mispEvent = {
  Event: {
    uuid: '5e1d0c2b-0000-4000-8000-00000000000a', info: 'Made-up test event', date: '2026-11-01', timestamp: '1793000000', threat_level_id: '2', analysis: '2',
    Orgc: { name: 'Test-Org' }, Tag: [{ name: 'tlp:amber' }],
    Attribute: [
      { uuid: 'c0000000-0000-4000-8000-000000000001', type: 'ip-dst', value: '203.0.113.44', to_ids: true, timestamp: '1793000000' },
      { uuid: 'c0000000-0000-4000-8000-000000000002', type: 'comment', value: 'hello', to_ids: false, timestamp: '1793000000' },
    ],
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-importer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('format detection', () => {
  it.each([
    ['bundle.json', JSON.stringify(bundle), 'stix'],
    ['event.json', JSON.stringify(mispEvent), 'misp-event'],
    ['event.txt', ` \n${JSON.stringify(mispEvent)}`, 'misp-event'],
    ['list.csv', 'value\n192.0.2.1', 'csv'],
    ['list.txt', '192.0.2.1\n', 'text'],
    ['manifest.json', '{}', 'misp-feed'],
  ])('%s is %s', async (name, content, expected) => {
    const sub = mkdtempSync(join(dir, 'detect-'));
    writeFileSync(join(sub, name), content);
    expect((await resolveFormat(join(sub, name), { format: 'auto' })).format).toBe(expected);
  });

  it('recognises a feed directory, and refuses what it cannot read', async () => {
    const feed = mkdtempSync(join(dir, 'feed-'));
    writeFileSync(join(feed, 'manifest.json'), '{}');
    expect((await resolveFormat(feed, { format: 'auto' })).format).toBe('misp-feed');
    await expect(resolveFormat(mkdtempSync(join(dir, 'empty-')), { format: 'auto' })).rejects.toThrow('is a directory without manifest.json');
    await expect(resolveFormat(join(dir, 'absent.txt'), { format: 'auto' })).rejects.toThrow('no such file or directory');
    await expect(resolveFormat(file('other.json', '{"a":1}'), { format: 'auto' })).rejects.toThrow('neither a STIX 2.1 bundle');
    await expect(resolveFormat(file('bad.json', '{"a":'), { format: 'auto' })).rejects.toThrow('is not valid JSON');
    await expect(resolveFormat(file('event2.json', JSON.stringify(mispEvent)), { format: 'stix' })).rejects.toThrow('is not a STIX 2.1 bundle');
    await expect(resolveFormat(file('x.json', '{}'), { format: 'yaml' as 'auto' })).rejects.toThrow('unknown format "yaml"');
  });
});

describe('importIntelFile', () => {
  it('imports a STIX bundle: simple patterns become indicators, the rest is counted', async () => {
    const c = collector();
    const summary = await importIntelFile(file('b.json', JSON.stringify(bundle)), options(c.upsert));
    expect(c.all().map((i) => [i.type, i.value, i.tlp, i.ownerOrgId, i.stixId])).toEqual([['domain', 'bad.example.vn', 'green', 'org_centre', 'indicator--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d']]);
    expect(c.all()[0]?.id).toMatch(/^ind_[0-9a-f]{32}$/);
    expect(summary).toMatchObject({ format: 'stix', read: 4, imported: { added: 1, updated: 0 }, skipped: { 'stix-object:marking-definition': 1, 'stix-object:malware': 1, 'stix-pattern-not-simple': 1 }, errorCount: 1 });
    expect(summary.errors).toEqual([{ where: 'objects[4] indicator--broken', reason: expect.stringContaining('pattern: Required') }]);
  });

  it('imports a MISP event with the caller defaults', async () => {
    const c = collector();
    const summary = await importIntelFile(file('e.json', JSON.stringify(mispEvent)), options(c.upsert, { source: 'misp:test' }));
    expect(c.all()).toEqual([expect.objectContaining({ type: 'ipv4', value: '203.0.113.44', source: 'misp:test', tlp: 'amber', confidence: 80, createdAt: '2026-11-25T00:00:00.000Z' })]);
    expect(summary).toMatchObject({ format: 'misp-event', read: 2, skipped: { 'not-to-ids': 1 }, errorCount: 0 });
  });

  it('imports a MISP feed incrementally', async () => {
    const feed = mkdtempSync(join(dir, 'feed-'));
    const uuid = mispEvent.Event.uuid;
    writeFileSync(join(feed, 'manifest.json'), JSON.stringify({ [uuid]: { info: 'x', timestamp: '1793000000' } }));
    writeFileSync(join(feed, `${uuid}.json`), JSON.stringify(mispEvent));
    const c = collector();
    const first = await importIntelFile(feed, options(c.upsert));
    expect(first).toMatchObject({ format: 'misp-feed', since: 1793000000, imported: { added: 1 } });
    const second = await importIntelFile(feed, options(c.upsert, { since: first.since ?? 0 }));
    expect(second).toMatchObject({ since: 1793000000, read: 0, imported: { added: 0 }, skipped: { 'unchanged-event': 1 } });
  });

  it('imports a text feed with comments and mixed types, with the given TLP, source and confidence', async () => {
    const c = collector();
    const summary = await importIntelFile(file('mixed.txt', '# list\n203.0.113.1\r\nbad.example ; comment\nhttp://bad.example/x\n\nnot valid!\n'), options(c.upsert, { tlp: 'green', confidence: 70 }));
    expect(c.all().map((i) => `${i.type} ${i.value} ${i.tlp} ${i.confidence} ${i.source}`)).toEqual([
      'ipv4 203.0.113.1 green 70 feed:mixed.txt',
      'domain bad.example green 70 feed:mixed.txt',
      'url http://bad.example/x green 70 feed:mixed.txt',
    ]);
    expect(summary).toMatchObject({ format: 'text', read: 4, errorCount: 1, errors: [{ where: 'line 6' }] });
  });

  it('reads gzip lists and a CSV header after a byte order mark', async () => {
    const c = collector();
    const gz = join(dir, 'list.csv.gz');
    writeFileSync(gz, gzipSync('\uFEFFvalue,comment\n203.0.113.99,"gz, csv"\n'));
    expect((await resolveFormat(gz, { format: 'auto' })).format).toBe('csv');
    expect(await importIntelFile(gz, options(c.upsert))).toMatchObject({ format: 'csv', read: 1, imported: { added: 1 }, errorCount: 0 });
    expect(c.all()[0]).toMatchObject({ value: '203.0.113.99', description: 'gz, csv' });
  });

  it('imports a CSV feed with quoted fields into a real store, refreshing on a second run', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      const system = Scope.system('test');
      store.orgs.create(system, { id: 'org_centre', parentId: null, code: 'NCSC', nameVi: 'Trung tâm', nameEn: 'Centre', kind: 'national', sector: null, region: null, demo: false, createdAt: at });
      const path = file('feed.csv', 'ioc,type,comment\n"203.0.113.7",ip,"C2, ""primary"""\n"evil.example",domain,\n');
      const upsert = (batch: Indicator[]) => store.indicators.upsert(system, batch);
      const first = await importIntelFile(path, options(upsert, { csv: { valueColumn: 'ioc', typeColumn: 'type' } }));
      expect(first.imported).toEqual({ added: 2, updated: 0 });
      const second = await importIntelFile(path, options(upsert, { csv: { valueColumn: 'ioc', typeColumn: 'type' } }));
      expect(second.imported).toEqual({ added: 0, updated: 2 });
      expect(store.indicators.count(system)).toBe(2);
    } finally {
      store.close();
    }
  });

  it('streams a 200,000-line feed in batches of 5,000, in modest memory and time', async () => {
    const path = join(dir, 'big.txt');
    const out = createWriteStream(path);
    for (let i = 0; i < 200_000; i++) out.write(i % 2 === 0 ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n` : `host-${i}.example.org # comment\n`);
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    let count = 0;
    let largest = 0;
    let batches = 0;
    const progress: ImportProgress[] = [];
    // A collector we may call (vitest runs without --expose-gc): measured memory is what is retained.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let retainedMidway = 0;
    const started = performance.now();
    const summary = await importIntelFile(path, options((batch) => {
      count += batch.length;
      largest = Math.max(largest, batch.length);
      if (++batches === 20) {
        gc();
        retainedMidway = process.memoryUsage().heapUsed - heapBefore;
      }
      return { added: batch.length, updated: 0 };
    }), (p) => progress.push(p));
    const seconds = (performance.now() - started) / 1000;
    const retainedMiB = retainedMidway / 1024 / 1024;
    console.log(`200k-line feed: ${seconds.toFixed(2)} s; heap retained half-way (one batch in hand) ${retainedMiB.toFixed(1)} MiB; rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
    expect(summary).toMatchObject({ read: 200_000, imported: { added: 200_000 }, errorCount: 0 });
    expect(count).toBe(200_000);
    expect(largest).toBe(5_000);
    expect(progress.at(-1)).toMatchObject({ unit: 'bytes', done: progress.at(-1)?.total });
    // About 2 s alone on the 2 shared cores; the bound leaves room for a loaded machine.
    expect(seconds).toBeLessThan(8);
    // 200,000 indicators held at once would be ~100 MiB; streaming keeps about one batch.
    expect(retainedMiB).toBeLessThan(24);
  }, 30_000);

  it('says which location it could not read', async () => {
    const c = collector();
    await expect(importIntelFile(join(dir, 'nope.txt'), options(c.upsert, { format: 'text' }))).rejects.toThrow('cannot read');
    mkdirSync(join(dir, 'plain-dir'));
    await expect(importIntelFile(join(dir, 'plain-dir'), options(c.upsert))).rejects.toThrow('without manifest.json');
  });

  it('reads text feeds and MISP events from http(s) URLs, and says when the server fails', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/list.txt') res.end('# remote list\n203.0.113.77\nremote.example\n');
      else if (req.url === '/event.json') res.end(JSON.stringify(mispEvent));
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = collector();
      const text = await importIntelFile(`${base}/list.txt`, options(c.upsert));
      expect(text).toMatchObject({ format: 'text', read: 2, imported: { added: 2 } });
      expect(c.all()[0]?.source).toBe(`feed:${base.slice('http://'.length)}/list.txt`);
      const event = await importIntelFile(`${base}/event.json`, options(c.upsert));
      expect(event).toMatchObject({ format: 'misp-event', imported: { added: 1 } });
      await expect(importIntelFile(`${base}/down.txt`, options(c.upsert))).rejects.toThrow(`GET ${base}/down.txt answered HTTP 503`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

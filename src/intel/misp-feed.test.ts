import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MispImport } from './misp.js';
import { readMispFeed } from './misp-feed.js';

const A = '11111111-aaaa-4aaa-8aaa-000000000001';
const B = '11111111-aaaa-4aaa-8aaa-000000000002';
const C = '11111111-aaaa-4aaa-8aaa-000000000003';

function eventFile(uuid: string, timestamp: number, ip: string): string {
  return JSON.stringify({ Event: { uuid, info: `event ${uuid}`, date: '2026-11-01', timestamp: String(timestamp), threat_level_id: '2', analysis: '1', Orgc: { name: 'Feed-Org' }, Tag: [{ name: 'tlp:green' }], Attribute: [{ uuid: `${uuid.slice(0, -1)}f`, type: 'ip-dst', value: ip, to_ids: true, timestamp: String(timestamp) }] } });
}

function manifestEntry(timestamp: number) {
  return { info: 'x', Orgc: { name: 'Feed-Org' }, Tag: [], date: '2026-11-01', timestamp: String(timestamp), threat_level_id: '2', analysis: '1' };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-misp-feed-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ [A]: manifestEntry(1793000000), [B]: manifestEntry(1793000500) }));
  writeFileSync(join(dir, `${A}.json`), eventFile(A, 1793000000, '203.0.113.1'));
  writeFileSync(join(dir, `${B}.json`), eventFile(B, 1793000500, '203.0.113.2'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(location: string, since: number) {
  const seen: { uuid: string; imported: MispImport }[] = [];
  const result = await readMispFeed(location, { since }, (uuid, imported) => {
    seen.push({ uuid, imported });
  });
  return { result, values: seen.flatMap((s) => s.imported.indicators.map((i) => i.value)) };
}

describe('MISP feed from a directory', () => {
  it('reads every event the first time, then only new or changed ones', async () => {
    const first = await collect(dir, 0);
    expect(first.values).toEqual(['203.0.113.1', '203.0.113.2']);
    expect(first.result).toMatchObject({ since: 1793000500, listed: 2, read: 2, unchanged: 0, errors: [] });

    const again = await collect(dir, first.result.since);
    expect(again.values).toEqual([]);
    expect(again.result).toMatchObject({ since: 1793000500, read: 0, unchanged: 2 });

    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ [A]: manifestEntry(1793000000), [B]: manifestEntry(1793000500), [C]: manifestEntry(1793000900) }));
    writeFileSync(join(dir, `${C}.json`), eventFile(C, 1793000900, '203.0.113.3'));
    const third = await collect(join(dir, 'manifest.json'), again.result.since);
    expect(third.values).toEqual(['203.0.113.3']);
    expect(third.result).toMatchObject({ since: 1793000900, read: 1, unchanged: 2 });
  });

  it('does not advance since past an event it could not read, and refuses keys that are not UUIDs', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'vigil-misp-feed-'));
    try {
      writeFileSync(join(broken, 'manifest.json'), JSON.stringify({ [A]: manifestEntry(100), [B]: manifestEntry(200), [C]: manifestEntry(300), '../../etc/passwd': manifestEntry(400) }));
      writeFileSync(join(broken, `${A}.json`), eventFile(A, 100, '203.0.113.1'));
      writeFileSync(join(broken, `${C}.json`), eventFile(C, 300, '203.0.113.3'));
      const { result, values } = await collect(broken, 0);
      expect(values).toEqual(['203.0.113.1', '203.0.113.3']);
      expect(result.since).toBe(100);
      expect(result.errors).toEqual([
        { where: 'manifest.json "../../etc/passwd"', reason: 'the key is not an event UUID' },
        { where: `${B}.json`, reason: expect.stringContaining('is missing') },
      ]);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('fails clearly without a manifest', async () => {
    await expect(collect(join(dir, 'nowhere'), 0)).rejects.toThrow(/no such file or directory/);
    const empty = mkdtempSync(join(tmpdir(), 'vigil-misp-feed-'));
    await expect(collect(empty, 0)).rejects.toThrow(/manifest\.json is missing/);
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('MISP feed over HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/feed/manifest.json') res.end(JSON.stringify({ [A]: manifestEntry(1793000000) }));
      else if (req.url === `/feed/${A}.json`) res.end(eventFile(A, 1793000000, '198.51.100.1'));
      else if (req.url === '/slow/manifest.json') setTimeout(() => res.end('{}'), 2000);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the manifest and events from a base URL', async () => {
    const { values, result } = await collect(`${base}/feed/`, 0);
    expect(values).toEqual(['198.51.100.1']);
    expect(result.since).toBe(1793000000);
  });

  it('says which URL failed and why', async () => {
    await expect(collect(`${base}/missing`, 0)).rejects.toThrow(`GET ${base}/missing/manifest.json answered HTTP 404`);
    await expect(readMispFeed(`${base}/slow`, { timeoutMs: 200 }, () => undefined)).rejects.toThrow(/GET .*slow\/manifest.json failed/);
  });
});

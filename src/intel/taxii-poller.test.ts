import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import { TLP2_MARKINGS } from './stix/tlp.js';
import { FeedScheduler } from './feed-scheduler.js';

const at = '2026-11-25T00:00:00.000Z';
const system = Scope.system('taxii poller test');
const orgs: Organization[] = [
  { id: 'centre', parentId: null, code: 'CENTRE', nameVi: 'c', nameEn: 'c', kind: 'national', sector: null, region: null, demo: false, createdAt: at },
  { id: 'partner', parentId: 'centre', code: 'PARTNER', nameVi: 'p', nameEn: 'p', kind: 'alliance', sector: null, region: null, demo: false, createdAt: at },
];

const stixIndicator = (n: number, pattern: string, markings?: string[]) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--0000000${n}-8d2b-4a5f-9e3c-2f6d8a7b9c10`, created: at, modified: at, pattern, pattern_type: 'stix', valid_from: at,
  ...(markings ? { object_marking_refs: markings } : {}),
});

let server: Server | null = null;
const urls: string[] = [];
let store: Store;

beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  for (const o of orgs) store.orgs.create(system, o);
});
afterEach(async () => {
  store.close();
  urls.length = 0;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

async function serveCollection(pages: { body: unknown; last: string }[]): Promise<string> {
  let i = 0;
  server = createServer((req, res) => {
    urls.push(req.url ?? '');
    const page = pages[Math.min(i++, pages.length - 1)] as { body: unknown; last: string };
    res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1', 'x-taxii-date-added-last': page.last });
    res.end(JSON.stringify(page.body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/taxii2/api/`;
}

describe('TAXII feeds of the configuration file', () => {
  it('imports indicators as the feed’s, skips what it cannot store, and resumes from the saved position', async () => {
    const url = await serveCollection([
      {
        body: { more: true, next: 'p2', objects: [{ type: 'marking-definition', spec_version: '2.1', id: TLP2_MARKINGS.green.id, created: '2022-10-01T00:00:00.000Z', name: 'TLP:GREEN', extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'green' } } }, stixIndicator(1, "[ipv4-addr:value = '192.0.2.1']", [TLP2_MARKINGS.green.id])] },
        last: '2026-11-25T00:00:01.000Z',
      },
      { body: { more: false, objects: [stixIndicator(2, "[domain-name:value = 'Evil.Example']"), stixIndicator(3, "[process:name = 'x']"), { type: 'malware', id: 'bad' }] }, last: '2026-11-25T00:00:02.000Z' },
    ]);
    const poller = new FeedScheduler(store, [{ id: 'partner-feed', url, collectionId: 'c1', token: 'vgt_x', everyMinutes: 60, ownerOrgId: 'partner', tlpDefault: 'amber' }], { clock: new ManualClock(Date.parse(at)) });
    const result = await poller.runNow(system, 'partner-feed');
    expect(result).toMatchObject({ ok: true, read: 5, added: 2, updated: 0, skipped: 2, cursor: '2026-11-25T00:00:02.000Z' });
    expect(urls).toHaveLength(2);
    const held = store.indicators.list({ orgId: 'partner', chain: ['partner', 'centre'], subtree: ['partner'] }, { limit: 10, now: Date.parse(at), all: true }).items;
    expect(held.map((i) => [i.value, i.tlp, i.source, i.ownerOrgId]).sort()).toEqual([
      ['192.0.2.1', 'green', 'taxii:partner-feed', 'partner'],
      ['evil.example', 'amber', 'taxii:partner-feed', 'partner'],
    ]);
    expect(JSON.parse(store.consumerState.get(system, 'taxii:partner-feed') ?? '{}')).toEqual({ addedAfter: '2026-11-25T00:00:02.000Z' });

    await poller.runNow(system, 'partner-feed');
    expect(urls.at(-1)).toBe('/taxii2/api/collections/c1/objects/?added_after=2026-11-25T00%3A00%3A02.000Z');
    await expect(poller.runNow(system, 'nope')).rejects.toThrow(/Feed nope not found/);
  });
});

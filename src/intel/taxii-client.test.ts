import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, pollCollection, retryAfterMs, type PollCollectionOptions, type TaxiiObjectsPage } from './taxii-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | null = null;
const seen: string[] = [];

async function serve(handlers: Handler[]): Promise<string> {
  let i = 0;
  server = createServer((req, res) => {
    seen.push(`${req.headers.accept} ${req.headers.authorization} ${req.url}`);
    const handler = handlers[Math.min(i++, handlers.length - 1)] as Handler;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/taxii2/api/`;
}

afterEach(async () => {
  seen.length = 0;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/taxii+json;version=2.1', ...headers });
  res.end(JSON.stringify(body));
};

async function collect(options: PollCollectionOptions): Promise<TaxiiObjectsPage[]> {
  const pages: TaxiiObjectsPage[] = [];
  for await (const page of pollCollection(options)) pages.push(page);
  return pages;
}

const base = { collectionId: 'c1', token: 'vgt_x', baseDelayMs: 100, maxDelayMs: 1000 };

describe('TAXII 2.1 client', () => {
  it('follows next while more is true, asking as TAXII 2.1 with the token', async () => {
    const url = await serve([
      reply(200, { more: true, next: 'n1', objects: [{ type: 'indicator', id: 'indicator--1' }] }, { 'x-taxii-date-added-first': '2026-11-25T00:00:00.000Z', 'x-taxii-date-added-last': '2026-11-25T00:00:01.000Z' }),
      reply(200, { more: false, objects: [{ type: 'indicator', id: 'indicator--2' }] }, { 'x-taxii-date-added-last': '2026-11-25T00:00:02.000Z' }),
    ]);
    const pages = await collect({ ...base, url, limit: 1, addedAfter: '2026-11-24T00:00:00.000Z' });
    expect(pages.map((p) => [p.objects.length, p.more, p.dateAddedLast])).toEqual([[1, true, '2026-11-25T00:00:01.000Z'], [1, false, '2026-11-25T00:00:02.000Z']]);
    expect(seen).toEqual([
      'application/taxii+json;version=2.1 Bearer vgt_x /taxii2/api/collections/c1/objects/?limit=1&added_after=2026-11-24T00%3A00%3A00.000Z',
      'application/taxii+json;version=2.1 Bearer vgt_x /taxii2/api/collections/c1/objects/?limit=1&next=n1',
    ]);
  });

  it('pages by X-TAXII-Date-Added-Last when the server gives no next (§3.4)', async () => {
    const url = await serve([reply(200, { more: true, objects: [{ type: 'x', id: 'x--1' }] }, { 'x-taxii-date-added-last': '2026-11-25T00:00:01.000Z' }), reply(200, {})]);
    const pages = await collect({ ...base, url });
    expect(pages).toHaveLength(2);
    expect(pages[1]?.objects).toEqual([]);
    expect(seen[1]).toMatch(/added_after=2026-11-25T00%3A00%3A01.000Z$/);
  });

  it('refuses to loop when more is true with no way forward', async () => {
    const url = await serve([reply(200, { more: true, objects: [] })]);
    await expect(collect({ ...base, url })).rejects.toThrow(/neither next nor a new X-TAXII-Date-Added-Last/);
  });

  it('retries 503 and 429 with exponential backoff, honouring Retry-After', async () => {
    const url = await serve([reply(503, { title: 'busy' }), reply(429, { title: 'slow down' }, { 'retry-after': '0' }), reply(502, {}), reply(200, { more: false, objects: [] })]);
    const waits: number[] = [];
    const pages = await collect({ ...base, url, maxAttempts: 5, sleep: async (ms) => void waits.push(ms) });
    expect(pages).toHaveLength(1);
    expect(waits).toEqual([100, 0, 400]);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const url = await serve([reply(500, { title: 'broken', description: 'database down' })]);
    const waits: number[] = [];
    await expect(collect({ ...base, url, maxAttempts: 3, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow(/gave up after 3 attempts; last: HTTP 500: broken: database down/);
    expect(waits).toEqual([100, 200]);
  });

  it('retries network errors', async () => {
    const url = await serve([]);
    await new Promise((resolve) => server?.close(resolve));
    server = null;
    const waits: number[] = [];
    await expect(collect({ ...base, url, maxAttempts: 2, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow(/gave up after 2 attempts; last: network error/);
    expect(waits).toEqual([100]);
  });

  it.each([
    [401, { title: 'Authentication required', http_status: '401' }, /answered 401: Authentication required/],
    [404, { title: 'Collection c1 not found' }, /answered 404: Collection c1 not found/],
    [406, 'not json', /answered 406: "not json"/],
  ])('fails at once on %i with the TAXII error message', async (status, body, message) => {
    const url = await serve([reply(status, body)]);
    const waits: number[] = [];
    await expect(collect({ ...base, url, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow(message);
    expect(waits).toEqual([]);
  });

  it('reads Retry-After as seconds or an HTTP date, and caps the backoff', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 25 Nov 2026 00:00:10 GMT', Date.parse('2026-11-25T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(backoffDelay(1, 500, 30_000, null)).toBe(500);
    expect(backoffDelay(4, 500, 30_000, null)).toBe(4000);
    expect(backoffDelay(20, 500, 30_000, null)).toBe(30_000);
    expect(backoffDelay(1, 500, 30_000, 120_000)).toBe(30_000);
  });
});

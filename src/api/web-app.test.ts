import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from './errors.js';
import { defaultWebDir, notBuiltMessage, webAppRoutes } from './web-app.js';

let dir: string;
let built: FastifyInstance;
let missing: FastifyInstance;

async function appFor(webDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/api/v1/ping', async () => ({ pong: true }));
  await app.register(webAppRoutes(webDir));
  return app;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'web', 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  built = await appFor(join(dir, 'web'));
  missing = await appFor(join(dir, 'nothing-here'));
});

afterAll(async () => {
  await built.close();
  await missing.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard at /', () => {
  it('serves index.html at / and for the app’s own addresses', async () => {
    for (const url of ['/', '/warnings/wrn_1', '/alerts?status=open']) {
      const reply = await built.inject({ url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type']).toMatch(/text\/html/);
      expect(reply.body).toContain('id="root"');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const reply = await built.inject({ url: '/assets/index-abc123.js' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['cache-control']).toContain('immutable');
  });

  it('leaves the API alone: its routes answer, its unknown paths are the API’s 404', async () => {
    expect((await built.inject({ url: '/api/v1/ping' })).json()).toEqual({ pong: true });
    for (const url of ['/api/v1/nope', '/taxii2/nope', '/api']) {
      const reply = await built.inject({ url });
      expect(reply.statusCode, url).toBe(404);
      expect(reply.json().code).toBe('VIGIL_ERR_NOT_FOUND');
    }
  });

  it('never serves a file outside the app’s directory', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const reply = await built.inject({ url });
      expect(reply.body, url).not.toContain('outside');
    }
    expect((await built.inject({ url: '/%E0%A4%A' })).statusCode).toBeLessThan(500);
  });

  it('says plainly that the app is not built when dist/web is missing', async () => {
    const reply = await missing.inject({ url: '/' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/plain/);
    expect(reply.body).toBe(notBuiltMessage);
    expect((await missing.inject({ url: '/api/v1/nope' })).statusCode).toBe(404);
  });

  it('finds dist/web under the package root', () => {
    expect(defaultWebDir()).toMatch(/[/\\]dist[/\\]web$/);
  });
});

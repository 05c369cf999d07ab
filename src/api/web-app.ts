/**
 * @module api/web-app
 * The dashboard (web/, built by `npm run build` into dist/web) served at `/`: its files as they are,
 * hashed assets cached for good, and every other GET outside `/api` and `/taxii2` answered with
 * index.html so that the single-page app's own addresses (`/warnings/wrn_…`, which notifications
 * link to) load it. The app holds no data: everything it shows comes from the API behind the same
 * login and scope. When the app has not been built (a development run straight from the sources),
 * `/` says so in plain text instead of failing.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Paths that belong to the API: never answered with the app. */
const apiPrefixes = ['/api/', '/taxii2/'];

/** The directory of the built dashboard: `<package root>/dist/web`, from src/ (tests) or dist/src/ (built). */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'web');
}

export const notBuiltMessage =
  'Vigil: the dashboard is not built. Run `npm run build` (it builds the API and the web app into dist/), then restart; the API is at /api/v1 and its documentation at /api/docs.\n' +
  'Vigil: giao diện web chưa được build. Chạy `npm run build` rồi khởi động lại; API ở /api/v1, tài liệu ở /api/docs.\n';

export function webAppRoutes(webDir: string = defaultWebDir()): FastifyPluginAsync {
  return async (app) => {
    const root = resolve(webDir);
    // Only `reply.sendFile`: the route below decides what is a file, what is the app and what is the API's 404.
    await app.register(fastifyStatic, { root, serve: false });

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      let path: string;
      try {
        path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      } catch {
        return reply.callNotFound();
      }
      if (path === '/api' || path === '/taxii2' || apiPrefixes.some((p) => path.startsWith(p))) return reply.callNotFound();
      const index = join(root, 'index.html');
      if (!existsSync(index)) return reply.type('text/plain; charset=utf-8').send(notBuiltMessage);
      const file = resolve(root, `.${path}`);
      if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
        // Vite names the built assets by content hash: they never change under the same name.
        const immutable = path.startsWith('/assets/');
        return reply.sendFile(file.slice(root.length + 1), root, immutable ? { maxAge: 365 * 86_400_000, immutable: true } : { maxAge: 0 });
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', root, { maxAge: 0 });
    });
  };
}

/**
 * @module api/stream
 * `GET /api/v1/stream`: the dashboard's live stream as Server-Sent Events (WHATWG HTML §9.2), one
 * event per notification (event `notification`, id the notification's), per organisation's new
 * alerts of a detection batch (`alert`) and per incident opened or grown (`incident`), each only
 * for users whose scope includes its organisation (warn/live-stream). A comment line every
 * `delivery.streamHeartbeatSeconds` keeps proxies from closing an idle stream and re-checks the
 * caller's token, so a revoked or expired session stops receiving.
 *
 * Authentication is the same `Authorization: Bearer` as every route. The token is not accepted in
 * the query string: URLs end up in proxy and server logs, browser history and Referer headers, and
 * a session token there outlives its page. The browser's `EventSource` cannot send headers, so the
 * dashboard reads the stream with `fetch()` and a `ReadableStream` (which can), parsing the same
 * `text/event-stream` format.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import { bearerOf, requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import type { LiveEvent, LiveStream } from '../warn/live-stream.js';

/** What may wait for a slow reader before its stream is closed. */
const maxBufferedBytes = 1024 * 1024;

/** One SSE frame: JSON text has no raw line breaks, so `data` is one line. */
export function formatEvent(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function streamRoutes(ctx: ApiContext, stream: LiveStream): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<ServerResponse>();
    // Open streams never end on their own: end them so that closing the server does not wait for them.
    app.addHook('preClose', async () => {
      for (const response of open) response.end();
    });

    app.get('/', { schema: { summary: 'Live notifications for your scope (text/event-stream)', tags: ['delivery'] } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'stream:read');
      const secret = bearerOf(request) as string;
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses unless told not to.
        'x-accel-buffering': 'no',
      });
      response.write('retry: 5000\n: connected\n\n');
      open.add(response);
      const unsubscribe = stream.subscribe(principal.scope, (event) => {
        // A client that stopped reading is cut off rather than buffered for without limit; it reconnects.
        if (response.writableLength > maxBufferedBytes) response.destroy();
        else response.write(formatEvent(event));
      });
      const heartbeat = setInterval(() => {
        try {
          ctx.directory.authenticate(secret);
        } catch {
          response.end();
          return;
        }
        response.write(': heartbeat\n\n');
      }, ctx.config.delivery.streamHeartbeatSeconds * 1000);
      heartbeat.unref();
      response.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(response);
      });
    });
  };
}

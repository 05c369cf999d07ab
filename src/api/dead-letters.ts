/**
 * @module api/dead-letters
 * `GET /api/v1/dead-letters`: lines that could not be accepted, with their reason, parser, sensor
 * and raw text — so an agency can fix its forwarder and resend.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { pageLimit, scopeFor } from './query-params.js';

export function deadLetterRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/', {
      schema: {
        summary: 'Rejected lines, newest first',
        tags: ['ingest'],
        querystring: z.object({
          sensor: z.string().optional(),
          parser: z.string().optional(),
          org: z.string().optional(),
          limit: pageLimit(1000, 100),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'dead-letters:read');
      const q = request.query;
      const page = ctx.store.deadLetters.list(scopeFor(ctx.directory, principal.scope, q.org), {
        limit: q.limit,
        ...(q.sensor ? { sensorId: q.sensor } : {}),
        ...(q.parser ? { parser: q.parser } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return { items: page.items, next: page.next };
    });
  };
}

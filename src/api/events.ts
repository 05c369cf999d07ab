/**
 * @module api/events
 * `GET /api/v1/events`: search stored events in the caller's organisation subtree — time range,
 * organisation, exact field filters (`filter=source.ip:203.0.113.7`, repeatable), free text on
 * `event.original`, newest first, cursor pagination. `GET /api/v1/events/:seq` reads one.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import type { EventFieldFilter } from '../store/store.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { instant, pageLimit, repeated, scopeFor } from './query-params.js';

const FIELD = /^[A-Za-z@_][A-Za-z0-9@_.-]{0,127}$/;

export function eventRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', {
      schema: {
        summary: 'Search events',
        tags: ['events'],
        querystring: z.object({
          from: instant.optional(),
          to: instant.optional(),
          org: z.string().optional().describe('Organisation id: narrow to its subtree'),
          filter: repeated.optional().describe('field:value, exact match, repeatable'),
          q: z.string().max(512).optional().describe('Case-insensitive text in event.original'),
          limit: pageLimit(1000, 100),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'events:read');
      const query = request.query;
      const scope = scopeFor(ctx.directory, principal.scope, query.org);
      const filters: EventFieldFilter[] = (query.filter ?? []).map((raw) => {
        const colon = raw.indexOf(':');
        const field = colon > 0 ? raw.slice(0, colon) : '';
        if (!FIELD.test(field)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `filter ${raw} must be field:value` }, { field: 'filter' });
        return { field, value: raw.slice(colon + 1) };
      });
      const page = ctx.store.events.search(scope, {
        limit: query.limit,
        filters,
        ...(query.from !== undefined ? { from: query.from } : {}),
        ...(query.to !== undefined ? { to: query.to } : {}),
        ...(query.q ? { text: query.q } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return { items: page.events.map((e) => ({ seq: e.seq, event: e.event })), next: page.next };
    });

    api.get('/:seq', {
      schema: { summary: 'Read one event', tags: ['events'], params: z.object({ seq: z.coerce.number().int().min(1) }) },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'events:read');
      const found = ctx.store.events.get(principal.scope, request.params.seq);
      if (!found) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Event', id: request.params.seq });
      return { seq: found.seq, event: found.event };
    });
  };
}

/**
 * @module api/stats
 * `GET /api/v1/stats/events`: event counts from the per-minute rollups kept at ingest, bucketed
 * and grouped by organisation, dataset, category and outcome — what dashboards draw.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { rollupDimensions, type RollupDimension } from '../store/store.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { instant, scopeFor } from './query-params.js';

const buckets = { minute: 1, hour: 60, day: 1440 } as const;

export function statsRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/events', {
      schema: {
        summary: 'Event counts over time',
        tags: ['stats'],
        querystring: z.object({
          from: instant.optional(),
          to: instant.optional(),
          bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
          groupBy: z.string().optional().describe(`Comma-separated: ${rollupDimensions.join(', ')}`),
          org: z.string().optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'stats:read');
      const q = request.query;
      const to = q.to ?? ctx.clock.now();
      const from = q.from ?? to - 24 * 3_600_000;
      if (from >= to) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'from must be before to' }, { field: 'from' });
      const groupBy = (q.groupBy ? q.groupBy.split(',') : []).map((d) => d.trim()).filter((d) => d !== '');
      for (const dimension of groupBy) {
        if (!(rollupDimensions as readonly string[]).includes(dimension)) {
          throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `groupBy ${dimension} is not one of ${rollupDimensions.join(', ')}` }, { field: 'groupBy' });
        }
      }
      const rows = ctx.store.rollups.query(scopeFor(ctx.directory, principal.scope, q.org), {
        from,
        to,
        bucketMinutes: buckets[q.bucket],
        groupBy: groupBy as RollupDimension[],
      });
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: q.bucket, rows: rows.map((r) => ({ ...r, bucket: new Date(r.bucket).toISOString() })) };
    });
  };
}

/**
 * @module api/intel-export
 * Two small plugins over the intelligence a caller may take away or count, both scoped like
 * api/intel.ts: the caller's organisation decides by TLP 2.0 which indicators (intel/tlp.ts over
 * the tree), its scope which organisations a sighting may name.
 * - `/api/v1/intel/export`: `GET /stix`, a STIX 2.1 bundle (intel/stix/export) served as
 *   `application/stix+json;version=2.1` (the STIX media type, TAXII 2.1 §1.6.8); when more
 *   indicators matched than `limit`, `X-Vigil-Export-Truncated: true` and `X-Vigil-Export-Next`,
 *   the `next` that continues (same other parameters).
 * - `/api/v1/intel/stats`: `GET /`, the figures of intel/stats.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { indicatorTypes, type IndicatorType } from '../intel/model.js';
import { intelStatistics } from '../intel/stats.js';
import { EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT, exportableTlpLevels, exportStixBundle, formatExportPosition, parseExportPosition } from '../intel/stix/export.js';
import { intelViewer } from '../intel/tlp.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { instant, pageLimit } from './query-params.js';
import { STIX_MEDIA_TYPE } from './taxii-query.js';

/** `ipv4,domain`: comma-separated indicator types, each one of `indicatorTypes`. */
const typeList = z.string().transform((text, ctx) => {
  const types = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = types.filter((t) => !(indicatorTypes as readonly string[]).includes(t));
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', message: `unknown indicator type ${unknown.join(', ')}; known: ${indicatorTypes.join(', ')}` });
    return z.NEVER;
  }
  return types as IndicatorType[];
});
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const position = z.string().transform((text, ctx) => {
  const parsed = parseExportPosition(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'must be the X-Vigil-Export-Next of an earlier export' });
    return z.NEVER;
  }
  return parsed;
});

export function intelExportRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/stix', {
      schema: {
        summary: 'A STIX 2.1 bundle of the intelligence TLP 2.0 lets your organisation take away (never RED), with sightings',
        tags: ['intel'],
        querystring: z.object({
          types: typeList.optional().describe(`comma-separated indicator types: ${indicatorTypes.join(', ')} (default: all)`),
          since: instant.optional().describe('only indicators added or changed after this time (ISO 8601 or epoch ms)'),
          maxTlp: z.enum(exportableTlpLevels).default('amber+strict').describe('the most restrictive marking to include (RED is never exported)'),
          sightings: flag.default('true').describe('include STIX sightings of the exported indicators'),
          all: flag.optional().describe('also revoked and expired indicators (default: true with since, false without)'),
          limit: pageLimit(EXPORT_MAX_LIMIT, EXPORT_DEFAULT_LIMIT).describe(`at most this many indicators (default ${EXPORT_DEFAULT_LIMIT})`),
          next: position.optional().describe('continue an export cut short by limit: its X-Vigil-Export-Next'),
        }),
      },
      // Set last, as sent: Fastify would otherwise rewrite the media type with a charset parameter.
      onSend: async (_request, reply, payload) => {
        if (reply.statusCode === 200) reply.header('content-type', STIX_MEDIA_TYPE);
        return payload;
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      const q = request.query;
      const tree = ctx.directory.tree();
      const result = exportStixBundle(
        { indicators: ctx.store.indicators, sightings: ctx.store.sightings, tree, now: ctx.clock.now() },
        { viewer: intelViewer(principal.user.orgId, tree), scope: principal.scope },
        { tlpMax: q.maxTlp, sightings: q.sightings, limit: q.limit, ...(q.types ? { types: q.types } : {}), ...(q.since !== undefined ? { since: q.since } : {}), ...(q.all !== undefined ? { inactive: q.all } : {}), ...(q.next ? { after: q.next } : {}) },
      );
      if (result.truncated) reply.header('x-vigil-export-truncated', 'true');
      if (result.next) reply.header('x-vigil-export-next', formatExportPosition(result.next));
      if (result.lastAdded !== null) reply.header('x-vigil-date-added-last', result.lastAdded);
      return reply.header('content-type', STIX_MEDIA_TYPE).send(JSON.stringify(result.bundle));
    });
  };
}

export function intelStatsRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/', {
      schema: {
        summary: 'Indicators you may see (in force, expired, revoked) by type, TLP and source; sightings in your scope over 24 h and 7 days',
        tags: ['intel'],
        querystring: z.object({ top: z.coerce.number().int().min(1).max(100).default(10).describe('how many of the most sighted indicators') }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      const tree = ctx.directory.tree();
      return intelStatistics(
        { indicators: ctx.store.indicators, sightings: ctx.store.sightings, now: ctx.clock.now() },
        { viewer: intelViewer(principal.user.orgId, tree), scope: principal.scope },
        { top: request.query.top },
      );
    });
  };
}

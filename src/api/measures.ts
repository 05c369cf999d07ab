/**
 * @module api/measures
 * `/api/v1/measures`: measures of prevention and response and the posture score (warn/measures,
 * warn/posture), for the caller's organisation or, with `?org=`, one inside its subtree — never
 * outside it (403; an unknown organisation 404). `GET /` gives the organisation's own figures, its
 * subtree's roll-up and its children's, one level down; `GET /posture` the score explained term by
 * term; `GET /campaigns`, for the national centre only, how long each campaign took from its first
 * detection to the last targeted organisation warned.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { UserPrincipal } from '../orgs/directory.js';
import { MeasuresService, type MeasuresPeriod } from '../warn/measures-service.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { instant, scopeFor } from './query-params.js';

const periodQuery = {
  days: z.coerce.number().int().min(1).max(366).optional().describe('the last N days up to now (default 30)'),
  from: instant.optional().describe('start of the period (ISO 8601 or epoch ms); instead of `days`'),
  to: instant.optional().describe('end of the period (default now)'),
};

function periodOf(clock: Clock, service: MeasuresService, q: { days?: number | undefined; from?: number | undefined; to?: number | undefined }): MeasuresPeriod {
  if (q.from === undefined) {
    const last = service.lastDays(q.days ?? 30);
    return q.to === undefined ? last : { from: q.to - (q.days ?? 30) * 86_400_000, to: q.to };
  }
  if (q.days !== undefined) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'give `days` or `from`, not both' }, { field: 'querystring.days' });
  const to = q.to ?? clock.now();
  if (q.from > to) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: '`from` is after `to`' }, { field: 'querystring.from' });
  return { from: q.from, to };
}

/** The organisation asked for (default the caller's) and the scope of its subtree, inside the caller's. */
function target(ctx: ApiContext, principal: UserPrincipal, org: string | undefined): { orgId: string; scope: ReturnType<typeof scopeFor> } {
  const orgId = org ?? principal.user.orgId;
  return { orgId, scope: scopeFor(ctx.directory, principal.scope, orgId) };
}

export function measuresRoutes(ctx: ApiContext): FastifyPluginAsync {
  const service = new MeasuresService(ctx.store, ctx.clock);
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/', {
      schema: {
        summary: 'Measures of prevention and response: the organisation, its subtree rolled up, and its children',
        description: 'Time to acknowledge and remediate warnings (median, p90), share acknowledged in time, overdue items now, open incidents by severity, incident MTTA/MTTR, sensor coverage (systems with no sensor or silent for a day), unapproved security plans, security budgets under 10%. The period selects warnings by issue time and incidents by creation; overdue items, open incidents and coverage are as of now.',
        tags: ['measures'],
        querystring: z.object({ org: z.string().max(100).optional().describe('an organisation in your subtree (default yours)'), ...periodQuery }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'measures:read');
      const { orgId, scope } = target(ctx, principal, request.query.org);
      return service.report(scope, orgId, periodOf(ctx.clock, service, request.query));
    });

    api.get('/posture', {
      schema: {
        summary: 'Posture score 0–100 of an organisation (its subtree), explained term by term',
        tags: ['measures'],
        querystring: z.object({ org: z.string().max(100).optional(), ...periodQuery }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'measures:read');
      const { orgId, scope } = target(ctx, principal, request.query.org);
      return service.posture(scope, orgId, periodOf(ctx.clock, service, request.query));
    });

    api.get('/campaigns', {
      schema: {
        summary: 'Per campaign detected in the period: time from first detection to the last targeted organisation warned (the centre)',
        tags: ['measures'],
        querystring: z.object(periodQuery),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'measures:read');
      if (!principal.scope.unrestricted) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: 'see campaign measures (the national centre does)' });
      return service.campaigns(principal.scope, periodOf(ctx.clock, service, request.query));
    });
  };
}

/**
 * @module api/alerts
 * `/api/v1/alerts`: the alerts of the caller's subtree — list and filter, read one, acknowledge,
 * close as a true or false positive (with a note).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { alertSeverities, alertStatuses } from '../core/model.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { instant, pageLimit, scopeFor } from './query-params.js';

export function alertRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', {
      schema: {
        summary: 'Alerts, newest first',
        tags: ['alerts'],
        querystring: z.object({
          status: z.enum(alertStatuses).optional(),
          severity: z.enum(alertSeverities).optional(),
          rule: z.string().optional(),
          org: z.string().optional(),
          from: instant.optional(),
          to: instant.optional(),
          limit: pageLimit(1000, 100),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'alerts:read');
      const q = request.query;
      return ctx.store.alerts.list(scopeFor(ctx.directory, principal.scope, q.org), {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.rule ? { ruleId: q.rule } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    });

    api.get('/:id', { schema: { summary: 'One alert with its events', tags: ['alerts'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'alerts:read');
      const alert = ctx.store.alerts.get(principal.scope, request.params.id);
      if (!alert) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Alert', id: request.params.id });
      const events = alert.eventSeqs.slice(0, 100).map((seq) => ctx.store.events.get(principal.scope, seq)).filter((e) => e !== null);
      return { ...alert, events };
    });

    api.post('/:id/acknowledge', {
      schema: { summary: 'Acknowledge an alert', tags: ['alerts'], params: z.object({ id: z.string() }), body: z.object({ note: z.string().max(4000).optional() }).strict().optional() },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'alerts:triage');
      const current = ctx.store.alerts.get(principal.scope, request.params.id);
      if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Alert', id: request.params.id });
      if (current.status === 'closed') throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `alert ${current.id} is already closed` });
      return ctx.store.alerts.update(principal.scope, request.params.id, {
        status: 'acknowledged',
        by: principal.user.id,
        at: new Date(ctx.clock.now()).toISOString(),
        ...(request.body?.note ? { note: request.body.note } : {}),
      });
    });

    api.post('/:id/close', {
      schema: {
        summary: 'Close an alert as a true or false positive',
        tags: ['alerts'],
        params: z.object({ id: z.string() }),
        body: z.object({ resolution: z.enum(['true_positive', 'false_positive']), note: z.string().max(4000).optional() }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'alerts:triage');
      return ctx.store.alerts.update(principal.scope, request.params.id, {
        status: 'closed',
        resolution: request.body.resolution,
        by: principal.user.id,
        at: new Date(ctx.clock.now()).toISOString(),
        ...(request.body.note ? { note: request.body.note } : {}),
      });
    });
  };
}

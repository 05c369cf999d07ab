/**
 * @module api/alerts
 * `/api/v1/alerts`: the alerts of the caller's subtree — list and filter, read one, acknowledge,
 * close as a true or false positive (with a note), and close as a false positive with feedback
 * that stops it coming back: for the transaction analyser, "not an attack on this parameter of
 * this service"; for a rule, an exception on a field's value taken from the alert's event.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PARAMETER_FIELD, parameterKey, siteOf } from '../analyze/parameter-key.js';
import { transactionFromJson } from '../analyze/transaction.js';
import { webRules } from '../analyze/web-alerts.js';
import { getField, type EcsObject } from '../core/event.js';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { alertKinds, alertSeverities, alertStatuses, type RuleException } from '../core/model.js';
import { assertCan } from '../orgs/permissions.js';
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
          kind: z.enum(alertKinds).optional(),
          rule: z.string().optional(),
          system: z.string().optional().describe('only alerts attributed to this information system'),
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
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.rule ? { ruleId: q.rule } : {}),
        ...(q.system ? { systemId: q.system } : {}),
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

    api.post('/:id/false-positive', {
      schema: {
        summary: 'Close as a false positive and suppress it next time',
        description:
          'For a transaction-analyser alert (`vigil-web-<class>`): an exception for each flagged parameter of this service ' +
          '(or only `locations`), so the same parameter of the same service is not reported again; record identifiers in the path ' +
          'count as one service. For a rule alert: an exception on `field`, with the value from the alert’s event. ' +
          'Exceptions belong to the alert’s organisation and need `rules:manage`.',
        tags: ['alerts'],
        params: z.object({ id: z.string() }),
        body: z
          .object({
            reason: z.string().trim().min(3).max(2000),
            locations: z.array(z.string().min(1).max(300)).min(1).max(20).optional().describe('analyser alerts: the parameters to suppress (default: every one flagged)'),
            field: z.string().regex(/^[A-Za-z@_][A-Za-z0-9@_.-]{0,127}$/).optional().describe('rule alerts: the event field whose value is excepted'),
          })
          .strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'alerts:triage');
      assertCan(principal.user.role, 'rules:manage');
      const alert = ctx.store.alerts.get(principal.scope, request.params.id);
      if (!alert) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Alert', id: request.params.id });
      const seq = alert.eventSeqs[0];
      const stored = seq === undefined ? null : ctx.store.events.get(principal.scope, seq);
      const now = new Date(ctx.clock.now()).toISOString();
      const { reason, locations, field } = request.body;
      const exception = (exceptionField: string, value: string): RuleException => ({
        id: newId('exc'), orgId: alert.orgId, ruleId: alert.ruleId, field: exceptionField, value, reason, createdBy: principal.user.id, createdAt: now,
      });
      let exceptions: RuleException[];
      if (webRules.some((w) => w.id === alert.ruleId)) {
        if (field !== undefined) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'analyser alerts are suppressed per parameter: give `locations`, not `field`' }, { field: 'field' });
        const chosen = locations ?? alert.matchedFields;
        const unknown = chosen.filter((l) => !alert.matchedFields.includes(l));
        if (unknown.length > 0) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `not flagged in this alert: ${unknown.join(', ')} (flagged: ${alert.matchedFields.join(', ')})` }, { field: 'locations' });
        if (stored === null) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `the event of alert ${alert.id} is no longer stored; add the exception under /api/v1/rules/${alert.ruleId}/exceptions` });
        const transaction = transactionFromJson(stored.event, stored.seq);
        if ('error' in transaction) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `the event of alert ${alert.id} is not a readable transaction: ${transaction.error}` });
        const site = siteOf(stored.event);
        exceptions = chosen.map((location) => exception(PARAMETER_FIELD, parameterKey(site, transaction.uri, location)));
      } else if (field !== undefined) {
        if (locations !== undefined) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: '`locations` apply to analyser alerts only' }, { field: 'locations' });
        const value = stored === null ? undefined : getField(stored.event as EcsObject, field);
        if (value === undefined || value === null || typeof value === 'object') {
          throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `the alert’s event has no value at ${field}` }, { field: 'field' });
        }
        exceptions = [exception(field, String(value))];
      } else {
        if (locations !== undefined) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: '`locations` apply to analyser alerts only' }, { field: 'locations' });
        exceptions = [];
      }
      const existing = new Set(ctx.store.ruleExceptions.list(principal.scope, alert.ruleId).filter((e) => e.orgId === alert.orgId).map((e) => `${e.field}\u0000${e.value}`));
      const created = exceptions.filter((e) => !existing.has(`${e.field}\u0000${e.value}`));
      for (const e of created) ctx.store.ruleExceptions.create(principal.scope, e);
      if (created.length > 0) ctx.detection?.reloadControls();
      const closed = alert.status === 'closed'
        ? alert
        : ctx.store.alerts.update(principal.scope, alert.id, { status: 'closed', resolution: 'false_positive', by: principal.user.id, at: now, note: reason });
      return { alert: closed, exceptions: created };
    });
  };
}

/**
 * @module api/health
 * `/healthz` (liveness and the store's state) and `/metrics` (Prometheus text format).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Scope } from '../core/scope.js';
import type { ApiContext } from './context.js';

const healthScope = Scope.system('health check');

export function healthRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { summary: 'Liveness and store state', tags: ['health'] } }, async () => ({
      status: 'ok',
      store: { kind: ctx.store.kind, schemaVersion: ctx.store.schemaVersion(), lastSeq: ctx.store.events.lastSeq(healthScope) },
      ...ctx.health(),
    }));
    app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'] } }, async (_request, reply) => {
      const text = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(text);
    });
  };
}

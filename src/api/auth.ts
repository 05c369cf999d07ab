/**
 * @module api/auth
 * `/api/v1/auth`: log in (a session token), log out, who am I, and the caller's API tokens
 * (for scripts and integrations; the secret is shown once).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { bearerOf, requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

export function authRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.post('/login', {
      schema: { summary: 'Log in', tags: ['auth'], body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict() },
    }, async (request) => {
      const session = await ctx.directory.login(request.body.username, request.body.password);
      const org = ctx.directory.tree().get(session.user.orgId);
      return { token: session.token, expiresAt: session.expiresAt, user: session.user, organization: org };
    });

    api.post('/logout', { schema: { summary: 'Log out (end this session)', tags: ['auth'] } }, async (request, reply) => {
      const secret = bearerOf(request);
      if (secret === null) throw new VigilError('VIGIL_ERR_AUTH_REQUIRED');
      ctx.directory.logout(secret);
      return reply.status(204).send();
    });

    api.get('/me', { schema: { summary: 'The calling user', tags: ['auth'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      return { user: principal.user, organization: ctx.directory.tree().get(principal.user.orgId), via: principal.via };
    });

    api.get('/tokens', { schema: { summary: 'Your API tokens', tags: ['auth'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      return { items: ctx.store.credentials.listTokens(principal.scope, principal.user.id) };
    });

    api.post('/tokens', {
      schema: {
        summary: 'Create an API token (shown once)',
        tags: ['auth'],
        body: z.object({ name: z.string().trim().min(1).max(128), ttlDays: z.number().int().min(1).max(3650).nullable().default(90) }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      const { token, secret } = ctx.directory.createApiToken(principal.scope, principal.user.id, request.body.name, request.body.ttlDays);
      return reply.status(201).send({ ...token, secret });
    });

    api.delete('/tokens/:id', { schema: { summary: 'Revoke one of your API tokens', tags: ['auth'], params: z.object({ id: z.string() }) } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      const mine = ctx.store.credentials.listTokens(principal.scope, principal.user.id).some((t) => t.id === request.params.id);
      if (!mine) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Token', id: request.params.id });
      ctx.store.credentials.revokeToken(principal.scope, request.params.id);
      return reply.status(204).send();
    });
  };
}

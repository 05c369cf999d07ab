/**
 * @module api/users
 * `/api/v1/users`: users of the caller's subtree, managed by admins. An admin grants only roles up
 * to their own and only in organisations inside their scope.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { roles } from '../core/model.js';
import { mayGrant } from '../orgs/permissions.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

const password = z.string().min(12, 'at least 12 characters').max(256);

export function userRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', { schema: { summary: 'Users in your scope', tags: ['users'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'users:read');
      return { items: ctx.store.users.list(principal.scope) };
    });

    api.post('/', {
      schema: {
        summary: 'Create a user',
        tags: ['users'],
        body: z.object({
          orgId: z.string(),
          username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'lower-case letters, digits, dot, dash, underscore; 3–64'),
          displayName: z.string().trim().min(1).max(128),
          role: z.enum(roles),
          password,
          locale: z.enum(['vi', 'en']).optional(),
        }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'users:write');
      if (!mayGrant(principal.user.role, request.body.role)) {
        throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: `grant ${request.body.role}` });
      }
      const user = await ctx.directory.createUser(principal.scope, request.body);
      return reply.status(201).send(user);
    });

    api.patch('/:id', {
      schema: {
        summary: 'Change a user: role, name, locale, disabled, password',
        tags: ['users'],
        params: z.object({ id: z.string() }),
        body: z.object({
          displayName: z.string().trim().min(1).max(128).optional(),
          role: z.enum(roles).optional(),
          locale: z.enum(['vi', 'en']).optional(),
          disabled: z.boolean().optional(),
          password: password.optional(),
        }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'users:write');
      const { password: newPassword, ...patch } = request.body;
      if (patch.role && !mayGrant(principal.user.role, patch.role)) {
        throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: `grant ${patch.role}` });
      }
      if (!ctx.store.users.get(principal.scope, request.params.id)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'User', id: request.params.id });
      if (newPassword) await ctx.directory.setPassword(principal.scope, request.params.id, newPassword);
      return ctx.store.users.update(principal.scope, request.params.id, patch);
    });
  };
}

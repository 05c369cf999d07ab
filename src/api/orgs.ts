/**
 * @module api/orgs
 * `/api/v1/orgs`: the organisation tree as the caller may see it (their subtree), and its
 * administration by admins — a child may be added only under an organisation in scope.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { orgKinds } from '../core/model.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

const name = z.string().trim().min(1).max(256);

export function orgRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', { schema: { summary: 'Organisations in your scope', tags: ['orgs'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      return { items: ctx.store.orgs.list(principal.scope) };
    });

    api.get('/:id', { schema: { summary: 'One organisation with its children', tags: ['orgs'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'orgs:read');
      const org = ctx.store.orgs.get(principal.scope, request.params.id);
      if (!org) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: request.params.id });
      const tree = ctx.directory.tree();
      return { ...org, children: tree.childrenOf(org.id), ancestors: tree.ancestors(org.id).slice(1).filter((a) => principal.scope.includes(a.id)) };
    });

    api.post('/', {
      schema: {
        summary: 'Add an organisation under one in your scope',
        tags: ['orgs'],
        body: z.object({
          parentId: z.string(),
          code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/, 'upper-case letters, digits and dashes'),
          nameVi: name,
          nameEn: name,
          kind: z.enum(orgKinds),
          sector: z.string().max(64).nullable().optional(),
          region: z.string().max(64).nullable().optional(),
        }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'orgs:write');
      principal.scope.assertIncludes(request.body.parentId);
      if (request.body.kind === 'national') throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'there is one national centre' }, { field: 'kind' });
      const org = ctx.directory.createOrganization(principal.scope, request.body);
      return reply.status(201).send(org);
    });

    api.patch('/:id', {
      schema: {
        summary: 'Rename or re-describe an organisation',
        tags: ['orgs'],
        params: z.object({ id: z.string() }),
        body: z.object({ nameVi: name.optional(), nameEn: name.optional(), sector: z.string().max(64).nullable().optional(), region: z.string().max(64).nullable().optional() }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'orgs:write');
      return ctx.store.orgs.update(principal.scope, request.params.id, request.body);
    });
  };
}

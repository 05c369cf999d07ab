/**
 * @module api/intel
 * `/api/v1/intel`: threat intelligence. Indicators are read through TLP 2.0 over the tree (an
 * alliance member's GREEN indicator reaches every province; a province's AMBER+STRICT reaches
 * nobody else but its chain above), and an indicator's sightings through the caller's scope: the
 * centre sees where it was seen across the country, a province within its subtree. Analysts add
 * indicators (normalised, checked against the warning lists) and revoke them.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { indicatorTypes, tlpLevels, type Indicator } from '../intel/model.js';
import { normaliseIndicator } from '../intel/normalise.js';
import { intelViewer, maySee } from '../intel/tlp.js';
import type { WarningLists } from '../intel/warning-lists.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { pageLimit } from './query-params.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 time');

export function intelRoutes(ctx: ApiContext, warningLists: WarningLists, onChange: () => void): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/indicators', {
      schema: {
        summary: 'Search indicators (what your organisation may see under TLP)',
        tags: ['intel'],
        querystring: z.object({
          type: z.enum(indicatorTypes).optional(),
          value: z.string().max(8192).optional().describe('exact value, normalised like stored ones'),
          q: z.string().min(2).max(256).optional().describe('text in the value, description or labels'),
          source: z.string().max(256).optional(),
          tlp: z.enum(tlpLevels).optional(),
          all: z.enum(['true', 'false']).optional().describe('also revoked and expired ones'),
          limit: pageLimit(1000, 100),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      const q = request.query;
      let value = q.value;
      if (value !== undefined && q.type !== undefined) {
        const normalised = normaliseIndicator(q.type, value);
        if ('value' in normalised) value = normalised.value;
      }
      return ctx.store.indicators.list(intelViewer(principal.user.orgId, ctx.directory.tree()), {
        now: ctx.clock.now(),
        limit: q.limit,
        ...(q.type ? { type: q.type } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(q.q ? { text: q.q } : {}),
        ...(q.source ? { source: q.source } : {}),
        ...(q.tlp ? { tlp: q.tlp } : {}),
        ...(q.all === 'true' ? { all: true } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    });

    api.get('/indicators/:id', {
      schema: { summary: 'One indicator with where it was seen (within your scope)', tags: ['intel'], params: z.object({ id: z.string() }) },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      const indicator = ctx.store.indicators.get(intelViewer(principal.user.orgId, ctx.directory.tree()), request.params.id);
      if (!indicator) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Indicator', id: request.params.id });
      return {
        ...indicator,
        warningList: warningLists.check(indicator.type, indicator.value),
        sightings: {
          byOrganisation: ctx.store.sightings.countByOrg(principal.scope, indicator.id),
          recent: ctx.store.sightings.list(principal.scope, indicator.id, 50),
        },
      };
    });

    api.post('/indicators', {
      schema: {
        summary: 'Add an indicator (or refresh the one you already hold from the same source)',
        tags: ['intel'],
        body: z
          .object({
            type: z.enum(indicatorTypes),
            value: z.string().min(1).max(8192),
            tlp: z.enum(tlpLevels).default('amber'),
            confidence: z.number().int().min(0).max(100).default(70),
            validUntil: isoTime.nullable().optional(),
            labels: z.array(z.string().min(1).max(100)).max(50).default([]),
            description: z.string().max(4000).nullable().optional(),
            killChain: z.array(z.string().min(1).max(200)).max(20).default([]),
            attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).max(50).default([]),
            orgId: z.string().optional().describe('owner (default: your organisation); must be in your subtree'),
            sharedWith: z.array(z.string()).max(200).default([]),
            source: z.string().min(1).max(256).optional().describe('default: analyst:<your user id>'),
          })
          .strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const body = request.body;
      const normalised = normaliseIndicator(body.type, body.value);
      if ('error' in normalised) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${body.type} ${JSON.stringify(body.value.slice(0, 200))}: ${normalised.error}` }, { field: 'value' });
      const tree = ctx.directory.tree();
      const ownerOrgId = body.orgId ?? principal.user.orgId;
      principal.scope.assertIncludes(ownerOrgId);
      const unknown = body.sharedWith.filter((id) => tree.get(id) === undefined);
      if (unknown.length > 0) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `unknown organisations in sharedWith: ${unknown.join(', ')}` }, { field: 'sharedWith' });
      const now = new Date(ctx.clock.now()).toISOString();
      const indicator: Indicator = {
        id: newId('ind'),
        type: body.type,
        value: normalised.value,
        source: body.source ?? `analyst:${principal.user.id}`,
        confidence: body.confidence,
        firstSeen: now,
        lastSeen: now,
        validUntil: body.validUntil ? new Date(body.validUntil).toISOString() : null,
        killChain: body.killChain,
        attack: body.attack,
        labels: body.labels,
        description: body.description ?? null,
        tlp: body.tlp,
        ownerOrgId,
        sharedWith: body.sharedWith,
        stixId: null,
        revoked: false,
        createdAt: now,
        updatedAt: now,
      };
      const result = ctx.store.indicators.upsert(principal.scope, [indicator]);
      onChange();
      const stored = result.stored[0] as Indicator;
      const warningList = warningLists.check(stored.type, stored.value);
      return reply.status(result.added > 0 ? 201 : 200).send({ ...stored, warningList });
    });

    api.delete('/indicators/:id', {
      schema: { summary: 'Revoke an indicator (it stops matching; it stays visible as revoked)', tags: ['intel'], params: z.object({ id: z.string() }) },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const tree = ctx.directory.tree();
      const viewer = intelViewer(principal.user.orgId, tree);
      const visible = ctx.store.indicators.get(viewer, request.params.id);
      if (!visible || !maySee(visible, principal.user.orgId, tree)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Indicator', id: request.params.id });
      const revoked = ctx.store.indicators.revoke(principal.scope, request.params.id, new Date(ctx.clock.now()).toISOString());
      onChange();
      return revoked;
    });
  };
}

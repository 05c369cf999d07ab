/**
 * @module api/campaigns
 * `/api/v1/campaigns`: campaigns across organisations, for the national centre's analysts only
 * (which organisations were hit is itself sensitive). Confirming one issues its early warning to
 * the organisations it may reach next and publishes its indicators; dismissing it closes it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import type { UserPrincipal } from '../orgs/directory.js';
import { campaignStatuses } from '../warn/campaign-model.js';
import type { CampaignService } from '../warn/campaigns.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { pageLimit } from './query-params.js';

const idParams = z.object({ id: z.string().max(100) });

function requireCentre(principal: UserPrincipal): void {
  if (!principal.scope.unrestricted) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: 'see campaigns (the national centre does)' });
}

export function campaignRoutes(ctx: ApiContext, campaigns: CampaignService): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/', {
      schema: {
        summary: 'Campaigns, newest first (the centre)',
        tags: ['campaigns'],
        querystring: z.object({ status: z.enum(campaignStatuses).optional(), limit: pageLimit(500, 50), cursor: z.string().max(1024).optional() }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'campaigns:read');
      requireCentre(principal);
      const q = request.query;
      return ctx.store.campaigns.list({ limit: q.limit, ...(q.status ? { status: q.status } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) });
    });

    api.get('/:id', { schema: { summary: 'One campaign, with whom its warning would reach now', tags: ['campaigns'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'campaigns:read');
      requireCentre(principal);
      const campaign = ctx.store.campaigns.get(request.params.id);
      if (!campaign) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Campaign', id: request.params.id });
      const orgs = ctx.store.orgs.list(principal.scope);
      const targets = campaigns.targetsOf(campaign, orgs);
      return { ...campaign, targets };
    });

    api.post('/:id/confirm', { schema: { summary: 'Confirm: warn the organisations it may reach next and publish its indicators', tags: ['campaigns'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'campaigns:manage');
      requireCentre(principal);
      return campaigns.confirm(request.params.id, principal.user.id);
    });

    api.post('/:id/dismiss', { schema: { summary: 'Dismiss (not a campaign)', tags: ['campaigns'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'campaigns:manage');
      requireCentre(principal);
      return campaigns.dismiss(request.params.id, principal.user.id);
    });
  };
}

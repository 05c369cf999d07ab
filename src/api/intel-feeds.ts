/**
 * @module api/intel-feeds
 * `/api/v1/intel/feeds`: the intelligence feeds of the caller's subtree and their schedules. Feeds
 * of the configuration file (`intel.taxii.feeds`) are listed with `source: "config"` and can be
 * run now but not changed here; feeds added here (`source: "api"`) are kept in the store and run
 * by intel/feed-scheduler, which sees a change at once. Analysts and administrators manage the
 * feeds of their own organisation and below; a feed outside the caller's subtree is not found.
 * A feed never holds a secret: a TAXII bearer token is named by the environment variable that
 * holds it, and only variables named for the feed's organisation (`VIGIL_FEED_TOKEN_<CODE>…`).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { Scope } from '../core/scope.js';
import { newId } from '../core/ids.js';
import { ENV_NAME_PATTERN, FEED_ID_PATTERN, intelFeedKinds, mayUseTokenEnv, tokenEnvPrefix, type IntelFeedKind } from '../intel/feed-model.js';
import type { FeedScheduler } from '../intel/feed-scheduler.js';
import { tlpLevels } from '../intel/model.js';
import type { UserPrincipal } from '../orgs/directory.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

/** How long `POST /:id/run` waits for the run before answering 202. */
const RUN_WAIT_MS = 20_000;

const feedUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'must not carry credentials: name the environment variable holding a token in tokenEnv');

const feedFields = {
  name: z.string().trim().min(1).max(128),
  url: feedUrl,
  collectionId: z.string().trim().min(1).max(256).nullable(),
  tokenEnv: z.string().max(128).regex(ENV_NAME_PATTERN, 'must be an environment variable name (A–Z, 0–9, _)').nullable(),
  everyMinutes: z.number().int().min(1).max(10_080),
  tlpDefault: z.enum(tlpLevels),
  enabled: z.boolean(),
};

const createBody = z
  .object({
    id: z.string().regex(FEED_ID_PATTERN, 'must be 1–63 of a–z, 0–9, - and _ (starting with a letter or digit)').optional(),
    orgId: z.string().min(1).max(128).optional().describe('owner (default: your organisation); must be in your subtree'),
    kind: z.enum(intelFeedKinds),
    name: feedFields.name,
    url: feedFields.url,
    collectionId: feedFields.collectionId.optional(),
    tokenEnv: feedFields.tokenEnv.optional(),
    everyMinutes: feedFields.everyMinutes.default(60),
    tlpDefault: feedFields.tlpDefault.default('amber'),
    enabled: feedFields.enabled.default(true),
  })
  .strict();

const patchBody = z
  .object({
    name: feedFields.name.optional(),
    url: feedFields.url.optional(),
    collectionId: feedFields.collectionId.optional(),
    tokenEnv: feedFields.tokenEnv.optional(),
    everyMinutes: feedFields.everyMinutes.optional(),
    tlpDefault: feedFields.tlpDefault.optional(),
    enabled: feedFields.enabled.optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'name at least one field to change');

const idParams = z.object({ id: z.string().min(1).max(128) });

function invalid(field: string, detail: string): VigilError {
  return new VigilError('VIGIL_ERR_VALIDATION', { detail: `${field}: ${detail}` }, { field: `body.${field}` });
}

export function intelFeedRoutes(ctx: ApiContext, feeds: FeedScheduler): FastifyPluginAsync {
  /** The kind-specific rules, and that a token variable is one the owner may name. */
  const checkFeed = (kind: IntelFeedKind, orgId: string, collectionId: string | null, tokenEnv: string | null): void => {
    if (kind === 'taxii' && collectionId === null) throw invalid('collectionId', 'a taxii feed needs the id of the collection to read');
    if (kind !== 'taxii' && collectionId !== null) throw invalid('collectionId', `only taxii feeds have one, not ${kind}`);
    if (kind !== 'taxii' && tokenEnv !== null) throw invalid('tokenEnv', `only taxii feeds send a token, not ${kind}`);
    if (tokenEnv !== null) {
      const code = ctx.directory.tree().get(orgId)?.code ?? '';
      const codes = ctx.store.orgs.list(Scope.system('feed token variables belong to one organisation')).map((o) => o.code);
      if (!mayUseTokenEnv(code, tokenEnv, codes)) throw invalid('tokenEnv', `feeds of ${code} may only name variables ${tokenEnvPrefix(code)} or ${tokenEnvPrefix(code)}_…`);
    }
  };
  /** A feed the caller may see, or 404; configured ones refuse changes with 409. */
  const changeable = (principal: UserPrincipal, id: string) => {
    const view = feeds.get(principal.scope, id);
    if (!view) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id });
    if (view.source === 'config') throw new VigilError('VIGIL_ERR_FEED_READ_ONLY', { id });
    return view;
  };

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/', { schema: { summary: 'Intelligence feeds in your scope, with their schedule and last run', tags: ['intel'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      return { items: feeds.list(principal.scope) };
    });

    api.get('/:id', { schema: { summary: 'One feed with its run state', tags: ['intel'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:read');
      const view = feeds.get(principal.scope, request.params.id);
      if (!view) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id: request.params.id });
      return view;
    });

    api.post('/', { schema: { summary: 'Add a feed (TAXII 2.1 collection, MISP feed, STIX bundle, CSV or plain list at a URL)', tags: ['intel'], body: createBody } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const body = request.body;
      const orgId = body.orgId ?? principal.user.orgId;
      principal.scope.assertIncludes(orgId);
      const collectionId = body.collectionId ?? null;
      const tokenEnv = body.tokenEnv ?? null;
      checkFeed(body.kind, orgId, collectionId, tokenEnv);
      const id = body.id ?? newId('fed');
      if (feeds.isConfigured(id)) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `feed ${id} already exists` });
      const now = new Date(ctx.clock.now()).toISOString();
      ctx.store.intelFeeds.create(principal.scope, {
        id, orgId, name: body.name, kind: body.kind, url: body.url, collectionId, tokenEnv, everyMinutes: body.everyMinutes,
        tlpDefault: body.tlpDefault, enabled: body.enabled, createdAt: now, updatedAt: now,
      });
      feeds.nudge();
      return reply.status(201).send(feeds.get(principal.scope, id));
    });

    api.patch('/:id', {
      schema: { summary: 'Change a feed: pause or resume it, its schedule, where it reads from', tags: ['intel'], params: idParams, body: patchBody },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const current = changeable(principal, request.params.id);
      const patch = request.body;
      checkFeed(current.kind, current.orgId, patch.collectionId === undefined ? current.collectionId : patch.collectionId, patch.tokenEnv === undefined ? current.tokenEnv : patch.tokenEnv);
      ctx.store.intelFeeds.update(principal.scope, current.id, patch, new Date(ctx.clock.now()).toISOString());
      feeds.nudge();
      return feeds.get(principal.scope, current.id);
    });

    api.delete('/:id', {
      schema: { summary: 'Delete a feed (the indicators it brought stay until they expire or are revoked)', tags: ['intel'], params: idParams },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const current = changeable(principal, request.params.id);
      if (!ctx.store.intelFeeds.delete(principal.scope, current.id)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Feed', id: current.id });
      return reply.status(204).send();
    });

    api.post('/:id/run', {
      schema: { summary: `Run a feed now: its result, or 202 when it takes longer than ${RUN_WAIT_MS / 1000} s (see the feed's run state)`, tags: ['intel'], params: idParams },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'intel:write');
      const run = feeds.runNow(principal.scope, request.params.id);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), RUN_WAIT_MS);
      });
      try {
        const result = await Promise.race([run, waited]);
        if (result === null) {
          run.catch(() => undefined); // the outcome is in the feed's run state
          return reply.status(202).send({ feedId: request.params.id, running: true });
        }
        return result;
      } finally {
        clearTimeout(timer);
      }
    });
  };
}

/**
 * @module api/server
 * The HTTP server: one Fastify plugin per domain under `/api/v1/<domain>`, one error shape,
 * OpenAPI generated from the routes' schemas and served at `/api/docs`.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { campaignRoutes } from './campaigns.js';
import { warningRoutes } from './warnings.js';
import { CampaignService } from '../warn/campaigns.js';
import { WarningService } from '../warn/warning-service.js';
import { incidentRoutes } from './incidents.js';
import { alertRoutes } from './alerts.js';
import { authRoutes } from './auth.js';
import type { ApiContext } from './context.js';
import { deadLetterRoutes } from './dead-letters.js';
import { installErrorHandling } from './errors.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { ingestRoutes } from './ingest.js';
import { orgRoutes } from './orgs.js';
import { ruleRoutes } from './rules.js';
import { sensorRoutes } from './sensors.js';
import { statsRoutes } from './stats.js';
import { systemRoutes } from './systems.js';
import { userRoutes } from './users.js';
import { intelRoutes } from './intel.js';
import { intelFeedRoutes } from './intel-feeds.js';
import { intelExportRoutes, intelStatsRoutes } from './intel-export.js';
import { taxiiRoutes } from './taxii.js';
import { contactRoutes, deliveryRoutes } from './delivery.js';
import { streamRoutes } from './stream.js';
import { webAppRoutes } from './web-app.js';
import { measuresRoutes } from './measures.js';

export async function buildApi(ctx: ApiContext, options: { logger?: boolean; webDir?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false || ctx.config.server.logLevel === 'silent' ? false : { level: ctx.config.server.logLevel },
    trustProxy: ctx.config.server.trustProxy,
    bodyLimit: 1024 * 1024,
    // Sensors post batches continuously: one log line per request would drown everything else.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Vigil API', description: 'National e-government security monitoring and early-warning centre', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx), { prefix: '/api/v1/auth' });
  await app.register(ingestRoutes(ctx), { prefix: '/api/v1/ingest' });
  await app.register(eventRoutes(ctx), { prefix: '/api/v1/events' });
  await app.register(statsRoutes(ctx), { prefix: '/api/v1/stats' });
  await app.register(orgRoutes(ctx), { prefix: '/api/v1/orgs' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1/users' });
  await app.register(sensorRoutes(ctx), { prefix: '/api/v1/sensors' });
  await app.register(systemRoutes(ctx), { prefix: '/api/v1/systems' });
  await app.register(deadLetterRoutes(ctx), { prefix: '/api/v1/dead-letters' });
  await app.register(alertRoutes(ctx), { prefix: '/api/v1/alerts' });
  await app.register(incidentRoutes(ctx), { prefix: '/api/v1/incidents' });
  const warnings = new WarningService(ctx.store, ctx.notifications, ctx.clock, { stepMinutes: ctx.config.warn.escalation.stepMinutes });
  const { enabled: _campaignsOn, ...campaignOptions } = ctx.config.warn.campaigns;
  await app.register(warningRoutes(ctx, warnings), { prefix: '/api/v1/warnings' });
  await app.register(campaignRoutes(ctx, new CampaignService(ctx.store, warnings, ctx.clock, campaignOptions)), { prefix: '/api/v1/campaigns' });
  if (ctx.detection) await app.register(ruleRoutes(ctx, ctx.detection), { prefix: '/api/v1/rules' });
  await app.register(intelRoutes(ctx, ctx.warningLists, () => ctx.detection?.reloadControls()), { prefix: '/api/v1/intel' });
  if (ctx.intelFeeds) await app.register(intelFeedRoutes(ctx, ctx.intelFeeds), { prefix: '/api/v1/intel/feeds' });
  await app.register(intelExportRoutes(ctx), { prefix: '/api/v1/intel/export' });
  await app.register(intelStatsRoutes(ctx), { prefix: '/api/v1/intel/stats' });
  await app.register(measuresRoutes(ctx), { prefix: '/api/v1/measures' });
  await app.register(contactRoutes(ctx), { prefix: '/api/v1/contacts' });
  await app.register(deliveryRoutes(ctx), { prefix: '/api/v1/deliveries' });
  if (ctx.delivery) await app.register(streamRoutes(ctx, ctx.delivery.stream), { prefix: '/api/v1/stream' });
  await app.register(taxiiRoutes(ctx, { maxContentLength: app.initialConfig.bodyLimit ?? 1024 * 1024, onChange: () => ctx.detection?.reloadControls() }), { prefix: '/taxii2' });
  // The dashboard at `/` (every other GET outside /api and /taxii2 loads the app).
  await app.register(webAppRoutes(options.webDir));
  return app;
}

/**
 * @module api/sensors
 * `/api/v1/sensors`: sensors of the caller's subtree. A new sensor's API key (and a rotated one)
 * is in the reply once and stored only as a digest. Syslog sensors are identified by source
 * addresses/CIDRs or TLS client certificate names/fingerprints.
 */
import { BlockList, isIP } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { formatNames } from '../parse/registry.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

/** An address or CIDR range that node's BlockList accepts. */
const sourceAddress = z.string().refine((value) => {
  const [address = '', prefix] = value.split('/');
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return false;
  new BlockList().addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  return true;
}, 'must be an IP address or CIDR range');

const format = z.string().refine((f) => f === 'auto' || formatNames.includes(f), { message: `must be one of: auto, ${formatNames.join(', ')}` });
const timezone = z.string().regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, 'must be Z or an offset like +07:00');

const sensorFields = {
  name: z.string().trim().min(1).max(128),
  format: format.nullable().optional(),
  jsonMapping: z.string().nullable().optional(),
  timezone: timezone.nullable().optional(),
  syslogSources: z.array(sourceAddress).max(256).optional(),
  tlsClientIds: z.array(z.string().min(1).max(256)).max(64).optional(),
  ratePerSecond: z.number().int().min(1).max(1_000_000).nullable().optional(),
};

export function sensorRoutes(ctx: ApiContext): FastifyPluginAsync {
  const checkMapping = (mapping: string | null | undefined): void => {
    if (mapping && !ctx.config.parsers.json.mappings[mapping]) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `jsonMapping ${mapping} is not in parsers.json.mappings` }, { field: 'jsonMapping' });
    }
  };
  const normaliseFormat = (f: string | null | undefined): string | null | undefined => (f === 'auto' ? null : f);

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', { schema: { summary: 'Sensors in your scope', tags: ['sensors'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'sensors:read');
      return { items: ctx.store.sensors.list(principal.scope) };
    });

    api.get('/:id', { schema: { summary: 'One sensor', tags: ['sensors'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'sensors:read');
      const sensor = ctx.store.sensors.get(principal.scope, request.params.id);
      if (!sensor) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Sensor', id: request.params.id });
      return sensor;
    });

    api.post('/', {
      schema: { summary: 'Register a sensor (its key is shown once)', tags: ['sensors'], body: z.object({ orgId: z.string(), ...sensorFields }).strict() },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'sensors:write');
      checkMapping(request.body.jsonMapping);
      const { sensor, key } = ctx.directory.createSensor(principal.scope, { ...request.body, format: normaliseFormat(request.body.format) ?? null });
      return reply.status(201).send({ ...sensor, key });
    });

    api.patch('/:id', {
      schema: {
        summary: 'Change a sensor (enable/disable, format, sources…)',
        tags: ['sensors'],
        params: z.object({ id: z.string() }),
        body: z.object({ ...sensorFields, name: sensorFields.name.optional(), enabled: z.boolean().optional() }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'sensors:write');
      checkMapping(request.body.jsonMapping);
      const { format: f, ...rest } = request.body;
      ctx.sensorAuth.invalidate();
      return ctx.store.sensors.update(principal.scope, request.params.id, { ...rest, ...(f !== undefined ? { format: normaliseFormat(f) ?? null } : {}) });
    });

    api.post('/:id/rotate-key', { schema: { summary: 'Issue a new key; the old one stops working', tags: ['sensors'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'sensors:write');
      const { sensor, key } = ctx.directory.rotateSensorKey(principal.scope, request.params.id);
      ctx.sensorAuth.invalidate();
      return { ...sensor, key };
    });
  };
}

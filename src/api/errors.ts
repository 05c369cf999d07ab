/**
 * @module api/errors
 * One error shape for the whole API: `{ code, message, location? }`, the code from the registry
 * in core/errors.ts. Validation failures name the offending field.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { VigilError } from '../core/errors.js';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | VigilError | Error, request, reply) => {
    if (error instanceof VigilError) {
      if (error.code === 'VIGIL_ERR_RATE_LIMITED') reply.header('retry-after', String(error.params['retryAfter'] ?? 1));
      return reply.status(error.status).send(error.toJSON());
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const field = first ? `${error.validationContext ?? 'request'}${first.instancePath.replace(/\//g, '.')}` : (error.validationContext ?? 'request');
      const detail = error.validation.map((v) => `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || error.validationContext}: ${v.message}`).join('; ');
      return reply.status(400).send(new VigilError('VIGIL_ERR_VALIDATION', { detail }, { field }).toJSON());
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(new VigilError('VIGIL_ERR_BODY_TOO_LARGE', { limit: app.initialConfig.bodyLimit ?? 0 }).toJSON());
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(new VigilError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', { type: String(request.headers['content-type'] ?? '') }).toJSON());
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(400).send(new VigilError('VIGIL_ERR_VALIDATION', { detail: fastifyError.message }).toJSON());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(new VigilError('VIGIL_ERR_INTERNAL').toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Route', id: `${request.method} ${request.url.split('?')[0]}` }).toJSON());
  });
}

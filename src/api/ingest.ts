/**
 * @module api/ingest
 * `POST /api/v1/ingest`: a sensor's batch. Body as NDJSON, a JSON array or plain text lines,
 * optionally gzip-encoded; `Idempotency-Key` makes a retried batch be stored once; `?format=`
 * names the format of this batch when the sensor's default does not fit. The reply is `202` only
 * after the batch is committed, with a per-line account of what was rejected and why.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import type { Sensor } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { bodyKindOf, decodeBody, splitRecords } from '../ingest/http-body.js';
import { bearerOf } from './auth-guard.js';
import type { ApiContext } from './context.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const batchReply = z.object({
  batchId: z.string(),
  received: z.number(),
  accepted: z.number(),
  rejected: z.array(z.object({ line: z.number(), code: z.string(), reason: z.string() })),
  firstSeq: z.number().nullable(),
  lastSeq: z.number().nullable(),
  duplicate: z.boolean(),
});

export function ingestRoutes(ctx: ApiContext): FastifyPluginAsync {
  const authenticateSensor = (request: FastifyRequest): Sensor => {
    const header = request.headers['x-vigil-sensor-key'];
    return ctx.sensorAuth.authenticate((typeof header === 'string' ? header : null) ?? bearerOf(request));
  };

  return async (app) => {
    const limits = ctx.config.ingest;
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes }, (_request, body, done) => done(null, body));

    app.get('/whoami', { schema: { summary: 'The sensor this key belongs to (for forwarder set-up)', tags: ['ingest'] } }, async (request) => {
      const sensor = authenticateSensor(request);
      return { sensorId: sensor.id, orgId: sensor.orgId, name: sensor.name, format: sensor.format };
    });

    app.withTypeProvider<ZodTypeProvider>().post('/', {
      bodyLimit: limits.maxBodyBytes,
      schema: {
        summary: 'Submit a batch of events (sensor key required)',
        tags: ['ingest'],
        querystring: z.object({ format: z.string().min(1).max(32).optional() }),
        response: { 202: batchReply },
      },
    }, async (request, reply) => {
      const sensor = authenticateSensor(request);
      const keyHeader = request.headers['idempotency-key'];
      const idempotencyKey = typeof keyHeader === 'string' ? keyHeader : null;
      if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new VigilError('VIGIL_ERR_IDEMPOTENCY_KEY');
      const format = request.query.format ?? null;
      ctx.ingest.resolveFormat(format); // an unknown format fails the request before any work
      if (idempotencyKey !== null) {
        // A retry of a stored batch is answered from its record: no decoding, no rate limit.
        const earlier = ctx.store.ingest.findBatch(Scope.single(sensor.orgId), sensor.id, idempotencyKey);
        if (earlier) {
          ctx.metrics.batches.inc({ transport: 'http', outcome: 'duplicate' });
          return reply.status(202).send({ ...earlier, duplicate: true });
        }
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const encoding = request.headers['content-encoding'];
      const body = decodeBody(raw, typeof encoding === 'string' ? encoding : undefined, limits.maxDecodedBytes);
      const records = splitRecords(body, bodyKindOf(request.headers['content-type']), limits.maxBatchEvents);
      if (records.length > 0) {
        const rate = sensor.ratePerSecond ?? limits.ratePerSecond;
        const burst = Math.max(limits.rateBurst, rate);
        const verdict = ctx.rateLimiter.take(sensor.id, records.length, rate, burst);
        if (!verdict.ok) {
          ctx.metrics.batches.inc({ transport: 'http', outcome: 'refused' });
          throw new VigilError('VIGIL_ERR_RATE_LIMITED', { sensorId: sensor.id, retryAfter: verdict.retryAfterSeconds });
        }
      }
      const result = await ctx.ingest.acceptBatch(sensor, records, {
        transport: 'http',
        format,
        idempotencyKey,
        peer: request.ip,
      });
      return reply.status(202).send(result);
    });
  };
}

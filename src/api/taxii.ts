/**
 * @module api/taxii
 * `/taxii2/`: a TAXII 2.1 server (OASIS Standard, 10 June 2021) over Vigil's indicators, with one
 * API root (`/taxii2/api/`). Collections are derived per caller (api/taxii-collections.ts): one per
 * TLP level, holding what TLP 2.0 lets the caller's organisation see, plus a write-only inbox for
 * analysts and administrators (api/taxii-inbox.ts). Callers authenticate with an API token
 * (`Authorization: Bearer vgt_…`). Not done yet: HTTP Basic, which the specification's
 * authentication section expects every server to offer for interoperability (named in the issue).
 * Every answer, errors included, is `application/taxii+json;version=2.1` (§1.6.8); errors are
 * TAXII error messages (§3.6.1) carrying Vigil's error code.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { intelViewer } from '../intel/tlp.js';
import type { UserPrincipal } from '../orgs/directory.js';
import { can } from '../orgs/permissions.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { collectionResource, collectionsFor, readCollectionPage, type CollectionPage, type TaxiiCollection } from './taxii-collections.js';
import { addObjectsToInbox, TaxiiStatusBook } from './taxii-inbox.js';
import { acceptsTaxii, isTaxiiContentType, parseTaxiiFilter, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, type QueryValues, type TaxiiFilter } from './taxii-query.js';

/** §3.4: the most objects one page holds, whatever `limit` asks; and the page size without one. */
export const TAXII_MAX_PAGE = 1000;
export const TAXII_DEFAULT_PAGE = 100;
const REALM = 'Bearer realm="Vigil TAXII 2.1"';

export interface TaxiiOptions {
  /** §4.2.1 `max_content_length`: the largest POST body accepted, in bytes. */
  maxContentLength: number;
  /** Called after the inbox stored indicators (the matcher reloads). */
  onChange: () => void;
}

/** A TAXII error message (§3.6.1) for any error. */
function taxiiError(error: FastifyError | VigilError | Error, maxContentLength: number): { status: number; body: Record<string, unknown> } {
  let vigil: VigilError;
  if (error instanceof VigilError) vigil = error;
  else if (hasZodFastifySchemaValidationErrors(error)) vigil = new VigilError('VIGIL_ERR_VALIDATION', { detail: error.validation.map((v) => `${v.instancePath.replace(/^\//, '') || error.validationContext}: ${v.message}`).join('; ') });
  else {
    const code = (error as FastifyError).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') vigil = new VigilError('VIGIL_ERR_BODY_TOO_LARGE', { limit: maxContentLength });
    else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') vigil = new VigilError('VIGIL_ERR_TAXII_MEDIA_TYPE', { type: 'this', expected: TAXII_MEDIA_TYPE });
    else if ((error as FastifyError).statusCode !== undefined && ((error as FastifyError).statusCode ?? 500) < 500) vigil = new VigilError('VIGIL_ERR_VALIDATION', { detail: error.message });
    else vigil = new VigilError('VIGIL_ERR_INTERNAL');
  }
  const body: Record<string, unknown> = { title: vigil.message, error_code: vigil.code, http_status: String(vigil.status) };
  if (vigil.location) body['details'] = vigil.location;
  return { status: vigil.status, body };
}

export function taxiiRoutes(ctx: ApiContext, options: TaxiiOptions): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const statuses = new TaxiiStatusBook(1000);

    app.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: options.maxContentLength }, (_request, body, done) => {
      try {
        done(null, JSON.parse(String(body)) as unknown);
      } catch (err) {
        done(new VigilError('VIGIL_ERR_VALIDATION', { detail: `the body is not JSON: ${err instanceof Error ? err.message : String(err)}` }, { field: 'body' }), undefined);
      }
    });

    // §1.6.8: a request whose Accept admits no TAXII 2.1 JSON gets 406.
    app.addHook('onRequest', async (request) => {
      const accept = request.headers.accept;
      if (!acceptsTaxii(accept)) throw new VigilError('VIGIL_ERR_NOT_ACCEPTABLE', { accept: String(accept), type: TAXII_MEDIA_TYPE });
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-type', TAXII_MEDIA_TYPE);
      return payload;
    });
    app.setErrorHandler((error: FastifyError | VigilError | Error, request, reply) => {
      const { status, body } = taxiiError(error, options.maxContentLength);
      if (status >= 500) request.log.error({ err: error }, 'unhandled error in TAXII');
      if (status === 401) reply.header('www-authenticate', REALM);
      if (error instanceof VigilError && error.code === 'VIGIL_ERR_RATE_LIMITED') reply.header('retry-after', String(error.params['retryAfter'] ?? 1));
      return reply.status(status).send(body);
    });
    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send(taxiiError(new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'TAXII resource', id: `${request.method} ${request.url.split('?')[0]}` }), options.maxContentLength).body);
    });

    const reader = (request: FastifyRequest): UserPrincipal => requireUser(ctx.directory, request, 'taxii:read');
    const apiRootUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}/taxii2/api/`;

    /** The caller's collection with this id; 404 when they have none (§5.2: or may not know of it). */
    const collectionOf = (principal: UserPrincipal, id: string): TaxiiCollection => {
      const found = collectionsFor(can(principal.user.role, 'taxii:write')).find((c) => c.id === id);
      if (!found) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Collection', id });
      return found;
    };
    const readPage = (principal: UserPrincipal, collection: TaxiiCollection, filter: TaxiiFilter): CollectionPage => {
      if (!collection.canRead || collection.tlp === null) throw new VigilError('VIGIL_ERR_TAXII_READ_DENIED', { id: collection.id });
      const tree = ctx.directory.tree();
      return readCollectionPage(ctx.store.indicators, intelViewer(principal.user.orgId, tree), tree, collection.tlp, filter);
    };
    /** §3.2: the date-added range of the page, on every paged answer that has objects. */
    const dateHeaders = (reply: FastifyReply, page: CollectionPage) => {
      if (page.firstAdded !== null) reply.header('x-taxii-date-added-first', new Date(page.firstAdded).toISOString());
      if (page.lastAdded !== null) reply.header('x-taxii-date-added-last', new Date(page.lastAdded).toISOString());
    };
    /** §3.7: `more`, and `next` only when there is more. */
    const paging = (page: CollectionPage) => ({ more: page.more, ...(page.next !== null ? { next: page.next } : {}) });
    const filterOf = (request: FastifyRequest, override: Partial<TaxiiFilter> = {}): TaxiiFilter => ({
      ...parseTaxiiFilter(request.query as QueryValues, TAXII_MAX_PAGE, TAXII_DEFAULT_PAGE),
      ...override,
    });
    const collectionParams = z.object({ collectionId: z.string().max(100) });
    const objectParams = collectionParams.extend({ objectId: z.string().max(300) });
    const tags = ['taxii'];

    // §4.1 Server Discovery: one API root, the default.
    api.get('/', { schema: { summary: 'TAXII 2.1 discovery (§4.1)', tags } }, async (request) => {
      reader(request);
      const root = apiRootUrl(request);
      return { title: 'Vigil TAXII 2.1', description: 'Trung tâm giám sát an toàn thông tin Chính phủ điện tử / National e-government security monitoring centre', default: root, api_roots: [root] };
    });

    // §4.2 API root information.
    api.get('/api/', { schema: { summary: 'TAXII 2.1 API root (§4.2)', tags } }, async (request) => {
      reader(request);
      return { title: 'Vigil threat intelligence', description: 'Chỉ báo theo TLP 2.0 / Indicators by TLP 2.0', versions: [TAXII_MEDIA_TYPE], max_content_length: options.maxContentLength };
    });

    // §4.3 Get status.
    api.get('/api/status/:statusId/', { schema: { summary: 'Status of an add-objects request (§4.3)', tags, params: z.object({ statusId: z.string().max(100) }) } }, async (request) => {
      const principal = reader(request);
      const status = statuses.get(principal.user.orgId, request.params.statusId);
      if (!status) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Status', id: request.params.statusId });
      return status;
    });

    // §5.1 Get collections; §5.2 get a collection.
    api.get('/api/collections/', { schema: { summary: 'Your collections (§5.1)', tags } }, async (request) => {
      const principal = reader(request);
      return { collections: collectionsFor(can(principal.user.role, 'taxii:write')).map(collectionResource) };
    });
    api.get('/api/collections/:collectionId/', { schema: { summary: 'One collection (§5.2)', tags, params: collectionParams } }, async (request) => {
      return collectionResource(collectionOf(reader(request), request.params.collectionId));
    });

    // §5.3 Get object manifests.
    api.get('/api/collections/:collectionId/manifest/', { schema: { summary: 'Manifest of a collection (§5.3)', tags, params: collectionParams } }, async (request, reply) => {
      const principal = reader(request);
      const page = readPage(principal, collectionOf(principal, request.params.collectionId), filterOf(request));
      dateHeaders(reply, page);
      const objects = page.entries.map((e) => ({ id: e.object.id, date_added: new Date(e.dateAdded).toISOString(), version: new Date(e.version).toISOString(), media_type: STIX_MEDIA_TYPE }));
      return { ...paging(page), ...(objects.length > 0 ? { objects } : {}) };
    });

    // §5.4 Get objects.
    api.get('/api/collections/:collectionId/objects/', { schema: { summary: 'Objects of a collection (§5.4)', tags, params: collectionParams } }, async (request, reply) => {
      const principal = reader(request);
      const page = readPage(principal, collectionOf(principal, request.params.collectionId), filterOf(request));
      dateHeaders(reply, page);
      return { ...paging(page), ...(page.entries.length > 0 ? { objects: page.entries.map((e) => e.object) } : {}) };
    });

    // §5.5 Add objects: 202 with a status resource.
    api.post('/api/collections/:collectionId/objects/', { schema: { summary: 'Add STIX 2.1 objects to the inbox (§5.5)', tags, params: collectionParams } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'taxii:write');
      const collection = collectionOf(principal, request.params.collectionId);
      if (!collection.canWrite) throw new VigilError('VIGIL_ERR_TAXII_WRITE_DENIED', { id: collection.id });
      const contentType = request.headers['content-type'];
      if (!isTaxiiContentType(contentType)) throw new VigilError('VIGIL_ERR_TAXII_MEDIA_TYPE', { type: String(contentType), expected: TAXII_MEDIA_TYPE });
      const orgCode = ctx.directory.tree().get(principal.user.orgId)?.code ?? principal.user.orgId;
      const { status, stored } = addObjectsToInbox(ctx.store, principal, orgCode, request.body, ctx.clock.now());
      statuses.add(principal.user.orgId, status);
      if (stored > 0) options.onChange();
      return reply.status(202).send(status);
    });

    // §5.6 Get an object (every version Vigil holds of it: one).
    api.get('/api/collections/:collectionId/objects/:objectId/', { schema: { summary: 'One object (§5.6)', tags, params: objectParams } }, async (request, reply) => {
      const principal = reader(request);
      const page = readPage(principal, collectionOf(principal, request.params.collectionId), filterOf(request, { ids: new Set([request.params.objectId]), types: null }));
      const objects = dedupe(page.entries.map((e) => e.object));
      if (objects.length === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Object', id: request.params.objectId });
      dateHeaders(reply, page);
      return { ...paging(page), objects };
    });

    // §5.8 Get object versions.
    api.get('/api/collections/:collectionId/objects/:objectId/versions/', { schema: { summary: 'Versions of one object (§5.8)', tags, params: objectParams } }, async (request, reply) => {
      const principal = reader(request);
      const page = readPage(principal, collectionOf(principal, request.params.collectionId), filterOf(request, { ids: new Set([request.params.objectId]), types: null, versions: [{ kind: 'all' }] }));
      if (page.entries.length === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Object', id: request.params.objectId });
      dateHeaders(reply, page);
      const versions = [...new Set(page.entries.map((e) => new Date(e.version).toISOString()))].sort();
      return { ...paging(page), versions };
    });
  };
}

/** Identity and marking objects ride along with every page that references them: once is enough. */
function dedupe<T extends { id: string }>(objects: readonly T[]): T[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
}

/**
 * @module api/warnings
 * `/api/v1/warnings`: warnings and advisories. Analysts of the centre — or of a ministry or province,
 * within its subtree — write one in both languages, preview who it will reach (targets resolved
 * against the tree and the inventory), and issue it; recipients acknowledge it and report
 * remediation per system with evidence; the issuer follows every recipient's record. What a user
 * reads follows TLP 2.0 over the tree (warn/warning-model).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { alertSeverities, orgKinds } from '../core/model.js';
import { tlpLevels } from '../intel/model.js';
import type { Scope } from '../core/scope.js';
import type { UserPrincipal } from '../orgs/directory.js';
import type { WarningViewer } from '../store/store.js';
import { remediationStatuses, warningKinds, warningStatuses, type Warning } from '../warn/warning-model.js';
import type { WarningService } from '../warn/warning-service.js';
import { importKevCatalog } from '../warn/vulnerability-feed.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { pageLimit } from './query-params.js';

const idParams = z.object({ id: z.string().max(100) });
const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 time');
const localised = (max: number) => z.object({ vi: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) }).strict();
const ref = z.string().trim().min(1).max(100);

/** Who a warning is for (warn/warning-model `WarningTargets`); all given selectors together. */
const selectorShape = {
  orgs: z.array(ref).max(5000).optional(),
  sectors: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  regions: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  subtrees: z.array(ref).max(1000).optional(),
  kinds: z.array(z.enum(orgKinds)).max(10).optional(),
  software: z
    .array(z.object({ vendor: z.string().trim().min(1).max(200).optional(), product: z.string().trim().min(1).max(200), maxVersion: z.string().trim().min(1).max(100).optional() }).strict())
    .max(100)
    .optional(),
  minSecurityLevel: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
};

export const targetsSchema = z
  .object({
    ...selectorShape,
    anyOf: z.array(z.object(selectorShape).strict()).max(20).optional(),
    exclude: z.array(ref).max(5000).optional(),
  })
  .strict()
  .refine((t) => Object.entries(t).some(([k, v]) => k !== 'exclude' && (Array.isArray(v) ? v.length > 0 : v !== undefined)), 'at least one organisation or selector');

export const warningBodySchema = z
  .object({
    kind: z.enum(warningKinds).default('warning'),
    severity: z.enum(alertSeverities),
    tlp: z.enum(tlpLevels).default('amber'),
    title: localised(300),
    text: localised(50_000),
    indicators: z.array(z.object({ type: z.string().trim().min(1).max(40), value: z.string().trim().min(1).max(2048) }).strict()).max(5000).default([]),
    actions: z.array(localised(2000)).max(100).default([]),
    references: z.array(z.string().trim().min(1).max(500)).max(100).default([]),
    targets: targetsSchema,
    ackDeadline: isoTime.optional(),
    remediationDeadline: isoTime.optional(),
    /** Instead of absolute deadlines: hours from issue. */
    ackWithinHours: z.number().positive().max(24 * 365).optional(),
    remediateWithinHours: z.number().positive().max(24 * 365).optional(),
    issue: z.boolean().default(false),
  })
  .strict();

export type WarningBody = z.infer<typeof warningBodySchema>;

const viewerOf = (principal: UserPrincipal): WarningViewer => ({ scope: principal.scope, orgId: principal.user.orgId });

export function warningRoutes(ctx: ApiContext, service: WarningService): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const now = (): number => ctx.clock.now();

    api.post('/preview', {
      schema: { summary: 'Who the targets reach now (the same resolution as at issue)', tags: ['warnings'], body: z.object({ targets: targetsSchema }).strict() },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      const recipients = service.preview(principal.scope, request.body.targets);
      return { count: recipients.length, recipients };
    });

    api.post('/vulnerability-feed', {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        summary: 'Import a known-exploited-vulnerabilities catalogue: one advisory per vulnerability to the organisations running the product (the centre)',
        description: 'The JSON catalogue format CISA publishes (`vulnerabilities: [{cveID, vendorProject, product, …}]`). Idempotent per CVE; invalid entries are reported, the others imported.',
        tags: ['warnings'],
        body: z.object({ vulnerabilities: z.array(z.unknown()) }).passthrough(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      if (!principal.scope.unrestricted) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: 'import vulnerability feeds (the national centre does)' });
      try {
        return importKevCatalog(request.body, ctx.store, service, ctx.clock, principal.user.id);
      } catch (error) {
        if (error instanceof VigilError) throw error;
        throw new VigilError('VIGIL_ERR_VALIDATION', { detail: error instanceof Error ? error.message : String(error) });
      }
    });

    api.post('/', {
      schema: {
        summary: 'Write a warning or advisory (a draft, or issued at once with `issue: true`)',
        description: 'Deadlines: absolute (`ackDeadline`, `remediationDeadline`) or relative to issue (`ackWithinHours`, `remediateWithinHours`); by default 24 h and 7 days.',
        tags: ['warnings'],
        body: warningBodySchema,
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      const warning = createWarning(ctx, service, principal, request.body, now());
      return reply.code(201).send(warning);
    });

    api.get('/', {
      schema: {
        summary: 'Warnings you may read, newest first',
        tags: ['warnings'],
        querystring: z.object({
          status: z.enum(warningStatuses).optional(),
          severity: z.enum(alertSeverities).optional(),
          campaign: z.string().max(100).optional(),
          to: z.string().max(100).optional().describe('addressed to this organisation'),
          unacknowledged: z.enum(['true', 'false']).optional(),
          limit: pageLimit(500, 50),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:read');
      const q = request.query;
      return ctx.store.warnings.list(viewerOf(principal), {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.campaign ? { campaignId: q.campaign } : {}),
        ...(q.to ? { addressedTo: q.to } : {}),
        ...(q.unacknowledged === 'true' ? { unacknowledged: true } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    });

    api.get('/:id', { schema: { summary: 'One warning with the recipients you may see', tags: ['warnings'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:read');
      const viewer = viewerOf(principal);
      const warning = ctx.store.warnings.get(viewer, request.params.id);
      if (!warning) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id: request.params.id });
      if (warning.status === 'draft') return { ...warning, recipients: [] };
      // The delivery board: each recipient's deliveries (channel, status, time) beside its record,
      // read within the viewer's scope (the issuer's chain sees them all).
      const deliveries = ctx.store.deliveries.list(principal.scope, { subjectId: warning.id, limit: 10_000 }).filter((d) => d.kind !== 'escalation');
      const byOrg = new Map<string, { channel: string; address: string | null; status: string; attempts: number; deliveredAt: string | null; lastError: string | null }[]>();
      for (const d of deliveries) {
        const list = byOrg.get(d.orgId) ?? [];
        list.push({ channel: d.channel, address: d.address, status: d.status, attempts: d.attempts, deliveredAt: d.deliveredAt, lastError: d.lastError });
        byOrg.set(d.orgId, list);
      }
      return { ...warning, recipients: ctx.store.warnings.recipients(viewer, warning.id).map((r) => ({ ...r, deliveries: byOrg.get(r.orgId) ?? [] })) };
    });

    api.patch('/:id', {
      schema: {
        summary: 'Edit a draft',
        tags: ['warnings'],
        params: idParams,
        body: z
          .object({
            severity: z.enum(alertSeverities).optional(),
            tlp: z.enum(tlpLevels).optional(),
            title: localised(300).optional(),
            text: localised(50_000).optional(),
            indicators: z.array(z.object({ type: z.string().trim().min(1).max(40), value: z.string().trim().min(1).max(2048) }).strict()).max(5000).optional(),
            actions: z.array(localised(2000)).max(100).optional(),
            references: z.array(z.string().trim().min(1).max(500)).max(100).optional(),
            targets: targetsSchema.optional(),
            ackDeadline: isoTime.optional(),
            remediationDeadline: isoTime.optional(),
          })
          .strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      const b = request.body;
      const patch: Parameters<typeof ctx.store.warnings.update>[2] = {
        ...(b.severity ? { severity: b.severity } : {}),
        ...(b.tlp ? { tlp: b.tlp } : {}),
        ...(b.title ? { title: b.title } : {}),
        ...(b.text ? { text: b.text } : {}),
        ...(b.indicators ? { indicators: b.indicators } : {}),
        ...(b.actions ? { actions: b.actions } : {}),
        ...(b.references ? { references: b.references } : {}),
        ...(b.targets ? { targets: b.targets } : {}),
        ...(b.ackDeadline ? { ackDeadline: new Date(b.ackDeadline).toISOString() } : {}),
        ...(b.remediationDeadline ? { remediationDeadline: new Date(b.remediationDeadline).toISOString() } : {}),
      };
      if (b.targets) service.preview(principal.scope, b.targets); // refuses unknown or unreachable organisations now
      const updated = ctx.store.warnings.update(principal.scope, request.params.id, patch);
      checkDeadlines(updated.ackDeadline, updated.remediationDeadline);
      return updated;
    });

    api.post('/:id/issue', { schema: { summary: 'Issue a draft: recipients resolved now and notified', tags: ['warnings'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      const { warning, recipients } = service.issue(principal.scope, request.params.id, principal.user.id);
      return { ...warning, recipients };
    });

    api.post('/:id/withdraw', { schema: { summary: 'Withdraw a warning (no more escalations)', tags: ['warnings'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:issue');
      return ctx.store.warnings.withdraw(principal.scope, request.params.id);
    });

    api.post('/:id/acknowledge', {
      schema: {
        summary: 'Acknowledge a warning for your organisation (or, from above, for one in your subtree)',
        tags: ['warnings'],
        params: idParams,
        body: z.object({ org: z.string().max(100).optional() }).strict().nullish(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:respond');
      const orgId = recipientOrg(ctx, principal, request.params.id, request.body?.org);
      return ctx.store.warnings.acknowledge(principal.scope, request.params.id, orgId, principal.user.id, new Date(now()).toISOString());
    });

    api.post('/:id/remediation', {
      schema: {
        summary: 'Report remediation per system, with evidence',
        tags: ['warnings'],
        params: idParams,
        body: z
          .object({
            org: z.string().max(100).optional(),
            reports: z
              .array(z.object({ systemId: z.string().max(100).nullable(), status: z.enum(remediationStatuses), evidence: z.string().trim().max(20_000).optional() }).strict())
              .min(1)
              .max(500),
          })
          .strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'warnings:respond');
      const orgId = recipientOrg(ctx, principal, request.params.id, request.body.org);
      const at = new Date(now()).toISOString();
      for (const r of request.body.reports) {
        if ((r.status === 'remediated' || r.status === 'not-affected') && (r.evidence === undefined || r.evidence.length < 3)) {
          throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `evidence is required to report ${r.status}` }, { field: 'reports.evidence' });
        }
      }
      return ctx.store.warnings.reportRemediation(
        principal.scope,
        request.params.id,
        orgId,
        request.body.reports.map((r) => ({ systemId: r.systemId, status: r.status, evidence: r.evidence ?? null, reportedBy: principal.user.id, reportedAt: at })),
      );
    });
  };
}

/** The recipient organisation a user acts for: the one named (within its scope) or its own. */
function recipientOrg(ctx: ApiContext, principal: UserPrincipal, warningId: string, named: string | undefined): string {
  const warning = ctx.store.warnings.get(viewerOf(principal), warningId);
  if (!warning) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id: warningId });
  let orgId = principal.user.orgId;
  if (named !== undefined) {
    const org = ctx.store.orgs.get(principal.scope, named) ?? ctx.store.orgs.getByCode(principal.scope, named);
    if (!org) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: named });
    orgId = org.id;
  }
  if (!ctx.store.warnings.recipient(principal.scope, warningId, orgId)) {
    throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Recipient', id: `${warningId}/${orgId}` });
  }
  return orgId;
}

function checkDeadlines(ack: string, remediation: string): void {
  if (Date.parse(remediation) < Date.parse(ack)) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the remediation deadline comes before the acknowledgement deadline' }, { field: 'remediationDeadline' });
  }
}

/** Creates a draft from a validated body (API and CLI), issuing it when asked. */
export function createWarning(ctx: Pick<ApiContext, 'store'>, service: WarningService, principal: { scope: Scope; user: { id: string; orgId: string } }, body: WarningBody, nowMs: number): Warning & { recipients?: unknown } {
  const at = new Date(nowMs).toISOString();
  const hours = (h: number): string => new Date(nowMs + h * 3_600_000).toISOString();
  const ackDeadline = body.ackDeadline ? new Date(body.ackDeadline).toISOString() : hours(body.ackWithinHours ?? 24);
  const remediationDeadline = body.remediationDeadline ? new Date(body.remediationDeadline).toISOString() : hours(body.remediateWithinHours ?? 24 * 7);
  checkDeadlines(ackDeadline, remediationDeadline);
  if (Date.parse(ackDeadline) <= nowMs) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the acknowledgement deadline has passed already' }, { field: 'ackDeadline' });
  // Unknown or unreachable organisations, or targets that reach no one, are refused before anything is stored.
  const reached = service.preview(principal.scope, body.targets);
  if (body.issue && reached.length === 0) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the targets reach no organisation' }, { field: 'targets' });
  const draft = ctx.store.warnings.create(principal.scope, {
    id: `wrn_${crypto.randomUUID().replace(/-/g, '')}`,
    kind: body.kind,
    source: 'analyst',
    campaignId: null,
    issuerOrgId: principal.user.orgId,
    severity: body.severity,
    tlp: body.tlp,
    title: body.title,
    text: body.text,
    indicators: body.indicators,
    actions: body.actions,
    references: body.references,
    targets: body.targets,
    ackDeadline,
    remediationDeadline,
    status: 'draft',
    createdAt: at,
    createdBy: principal.user.id,
    issuedAt: null,
    issuedBy: null,
    recipientCount: 0,
  });
  if (!body.issue) return draft;
  const { warning, recipients } = service.issue(principal.scope, draft.id, principal.user.id);
  return { ...warning, recipients };
}

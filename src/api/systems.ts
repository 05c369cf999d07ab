/**
 * @module api/systems
 * `/api/v1/systems`: the information systems inventory of the caller's subtree — list (by
 * organisation, security level, software, budget rule), read, register, change, remove — and
 * `/software`, which systems run a product at or below a version (what an advisory will target).
 * Every name, URL, range and CPE is checked and made canonical on the way in (inventory/), so a
 * refusal says which entry is wrong and why. A change reloads detection's attribution.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { Scope } from '../core/scope.js';
import { checkBaseUrl, checkHostname, checkIpRange, type Checked } from '../inventory/addresses.js';
import { parseCpe } from '../inventory/cpe.js';
import { MAX_BUDGET_VND, type InstalledSoftware, type SecurityLevel, type StoredInformationSystem, type SystemBudget, type SystemPatch } from '../inventory/model.js';
import { mayBeAtOrBelow, toInstalledSoftware } from '../inventory/software.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { scopeFor } from './query-params.js';

/** A string checked and made canonical by an inventory function; its refusal is the message. */
const checked = (check: (text: string) => Checked, max: number) =>
  z.string().max(max).transform((text, issue) => {
    const result = check(text);
    if ('error' in result) {
      issue.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.value;
  });

/** The list without repeats (the first kept), once entries are canonical. */
function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const hostnames = z.array(checked(checkHostname, 260)).max(256).transform((list) => unique(list, (h) => h));
const urls = z.array(checked(checkBaseUrl, 2048)).max(64).transform((list) => unique(list, (u) => u));
const ipRanges = z.array(checked(checkIpRange, 64)).max(1024).transform((list) => unique(list, (r) => r));
const softwareItem = z
  .object({ cpe: z.string().max(1024), version: z.string().max(128).nullable().optional() })
  .strict()
  .transform((input, issue): InstalledSoftware => {
    const result = toInstalledSoftware(input);
    if ('error' in result) {
      issue.addIssue({ code: 'custom', message: result.error, path: ['cpe'] });
      return z.NEVER;
    }
    return result.software;
  });
const software = z.array(softwareItem).max(500).transform((list) => unique(list, (s) => s.cpe));
const sensorIds = z.array(z.string().min(1).max(64)).max(64).transform((list) => unique(list, (s) => s));
const securityLevel = z.number().int().min(1).max(5).transform((n) => n as SecurityLevel).describe('Decree 85/2016/NĐ-CP level, 1 (lowest) to 5');
const text = (max: number) => z.string().trim().min(1).max(max);
const owner = z.object({ unit: text(256), person: text(256).nullable().optional(), contact: text(256).nullable().optional() }).strict();
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar day');
const securityPlan = z
  .object({ approved: z.boolean(), approvedOn: isoDay.nullable().optional() })
  .strict()
  .superRefine((plan, issue) => {
    if (plan.approved && !plan.approvedOn) issue.addIssue({ code: 'custom', path: ['approvedOn'], message: 'an approved plan needs the day it was approved' });
    if (!plan.approved && plan.approvedOn) issue.addIssue({ code: 'custom', path: ['approvedOn'], message: 'a plan that is not approved has no approval day' });
  });
const amount = z.number().int('whole đồng').min(0).max(MAX_BUDGET_VND).nullable().optional();
const budget = z.object({ total: amount, security: amount }).strict().describe('VND');

const systemFields = {
  name: text(256),
  description: z.string().trim().max(4000).nullable().optional(),
  owner,
  securityLevel,
  hostnames: hostnames.optional(),
  urls: urls.optional(),
  ipRanges: ipRanges.optional(),
  software: software.optional(),
  sensorIds: sensorIds.optional(),
  securityPlan: securityPlan.optional(),
  budget: budget.optional(),
};

const cpeQuery = z.string().max(1024).transform((value, issue) => {
  const parsed = parseCpe(value);
  if ('error' in parsed) {
    issue.addIssue({ code: 'custom', message: `not a CPE 2.3 formatted string: ${parsed.error}` });
    return z.NEVER;
  }
  return parsed.cpe.formatted;
});

function checkBudget(b: SystemBudget): SystemBudget {
  if (b.total !== null && b.security !== null && b.security > b.total) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `budget.security (${b.security}) is more than budget.total (${b.total})` }, { field: 'body.budget.security' });
  }
  return b;
}

export function systemRoutes(ctx: ApiContext): FastifyPluginAsync {
  /** Sensors must be the system's organisation's own: only its events can be attributed to the system. */
  const checkSensors = (orgId: string, ids: readonly string[]): void => {
    const own = Scope.single(orgId);
    ids.forEach((id, i) => {
      if (ctx.store.sensors.get(own, id) === null) {
        throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `sensor ${id} is not a sensor of organisation ${orgId}` }, { field: `body.sensorIds.${i}` });
      }
    });
  };
  const changed = (): void => {
    ctx.ingest.reloadSystems();
    ctx.detection?.reloadControls();
  };
  const now = (): string => new Date(ctx.clock.now()).toISOString();

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();

    api.get('/', {
      schema: {
        summary: 'Information systems in your scope',
        tags: ['systems'],
        querystring: z.object({
          org: z.string().optional().describe('only this organisation’s subtree'),
          securityLevel: z.coerce.number().int().min(1).max(5).optional(),
          vendor: z.string().min(1).max(256).optional(),
          product: z.string().min(1).max(256).optional(),
          cpe: cpeQuery.optional().describe('systems with exactly this software'),
          belowSecurityBudgetMinimum: z.enum(['true', 'false']).optional().describe('security budget under a tenth of the total'),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'systems:read');
      const q = request.query;
      const items = ctx.store.systems.list(scopeFor(ctx.directory, principal.scope, q.org), {
        ...(q.securityLevel !== undefined ? { securityLevel: q.securityLevel as SecurityLevel } : {}),
        ...(q.vendor !== undefined ? { vendor: q.vendor } : {}),
        ...(q.product !== undefined ? { product: q.product } : {}),
        ...(q.cpe !== undefined ? { cpe: q.cpe } : {}),
        ...(q.belowSecurityBudgetMinimum !== undefined ? { belowSecurityBudgetMinimum: q.belowSecurityBudgetMinimum === 'true' } : {}),
      });
      return { items };
    });

    api.get('/software', {
      schema: {
        summary: 'Which systems run a product (at or below a version)',
        description: 'Versions compare segment by segment, numerically where numeric (1.10 > 1.9). Entries whose version is unknown are listed with `versionKnown: false`: they may be exposed.',
        tags: ['systems'],
        querystring: z.object({
          vendor: z.string().min(1).max(256).optional(),
          product: z.string().min(1).max(256).optional(),
          maxVersion: z.string().min(1).max(128).optional(),
          org: z.string().optional(),
        }).refine((q) => q.vendor !== undefined || q.product !== undefined, 'give a vendor, a product or both'),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'systems:read');
      const { vendor, product, maxVersion, org } = request.query;
      const uses = ctx.store.systems.findSoftware(scopeFor(ctx.directory, principal.scope, org), { ...(vendor ? { vendor } : {}), ...(product ? { product } : {}) });
      const items = [];
      for (const { system, software: sw } of uses) {
        const verdict = maxVersion === undefined ? { exposed: true, versionKnown: sw.version !== null } : mayBeAtOrBelow(sw, maxVersion);
        if (!verdict.exposed) continue;
        items.push({ systemId: system.id, systemName: system.name, orgId: system.orgId, securityLevel: system.securityLevel, software: sw, versionKnown: verdict.versionKnown });
      }
      return { items };
    });

    api.get('/:id', { schema: { summary: 'One information system', tags: ['systems'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'systems:read');
      const found = ctx.store.systems.get(principal.scope, request.params.id);
      if (!found) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'System', id: request.params.id });
      return found;
    });

    api.post('/', {
      schema: { summary: 'Register an information system', tags: ['systems'], body: z.object({ orgId: z.string().min(1).max(64), ...systemFields }).strict() },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'systems:write');
      const body = request.body;
      principal.scope.assertIncludes(body.orgId);
      if (!ctx.directory.tree().get(body.orgId)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: body.orgId });
      checkSensors(body.orgId, body.sensorIds ?? []);
      const at = now();
      const system: StoredInformationSystem = {
        id: newId('sys'),
        orgId: body.orgId,
        name: body.name,
        description: body.description ?? null,
        owner: { unit: body.owner.unit, person: body.owner.person ?? null, contact: body.owner.contact ?? null },
        securityLevel: body.securityLevel,
        hostnames: body.hostnames ?? [],
        urls: body.urls ?? [],
        ipRanges: body.ipRanges ?? [],
        software: body.software ?? [],
        sensorIds: body.sensorIds ?? [],
        securityPlan: { approved: body.securityPlan?.approved ?? false, approvedOn: body.securityPlan?.approvedOn ?? null },
        budget: checkBudget({ currency: 'VND', total: body.budget?.total ?? null, security: body.budget?.security ?? null }),
        createdAt: at,
        updatedAt: at,
      };
      ctx.store.systems.create(principal.scope, system);
      changed();
      return reply.status(201).send(ctx.store.systems.get(principal.scope, system.id));
    });

    api.patch('/:id', {
      schema: {
        summary: 'Change an information system (lists given replace the old ones)',
        tags: ['systems'],
        params: z.object({ id: z.string() }),
        body: z.object({ ...systemFields, name: systemFields.name.optional(), owner: owner.optional(), securityLevel: securityLevel.optional() }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'systems:write');
      const current = ctx.store.systems.get(principal.scope, request.params.id);
      if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'System', id: request.params.id });
      const { owner: newOwner, securityPlan: plan, budget: money, description, ...rest } = request.body;
      if (rest.sensorIds !== undefined) checkSensors(current.orgId, rest.sensorIds);
      const patch: SystemPatch = { ...rest };
      if (description !== undefined) patch.description = description;
      if (newOwner !== undefined) patch.owner = { unit: newOwner.unit, person: newOwner.person ?? null, contact: newOwner.contact ?? null };
      if (plan !== undefined) patch.securityPlan = { approved: plan.approved, approvedOn: plan.approvedOn ?? null };
      if (money !== undefined) {
        patch.budget = checkBudget({
          currency: 'VND',
          total: money.total !== undefined ? money.total : current.budget.total,
          security: money.security !== undefined ? money.security : current.budget.security,
        });
      }
      const updated = ctx.store.systems.update(principal.scope, current.id, patch, now());
      changed();
      return updated;
    });

    api.delete('/:id', { schema: { summary: 'Remove an information system', tags: ['systems'], params: z.object({ id: z.string() }) } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'systems:write');
      if (!ctx.store.systems.delete(principal.scope, request.params.id)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'System', id: request.params.id });
      changed();
      return reply.status(204).send();
    });
  };
}

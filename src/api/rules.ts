/**
 * @module api/rules
 * `/api/v1/rules`: the rules detection runs — with their source file, whether they are on for
 * the caller's organisation, and their hit counts — the files that were refused and why;
 * switching a rule on or off (for everyone, national administrators only, or for an
 * organisation's subtree), exceptions with who and why, "test this rule on the last N hours",
 * and the dashboard's tester: a pasted rule (YAML) tried on the caller's most recent events.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { behaviourRules } from '../analyze/behaviour-alerts.js';
import { webRules } from '../analyze/web-alerts.js';
import { intelRule } from '../intel/pipeline.js';
import { newId } from '../core/ids.js';
import type { DetectionControl } from '../detect/rule-set.js';
import { fieldGetterFor } from '../detect/sigma/fields/getter.js';
import { LogsourceRouter } from '../detect/sigma/fields/routing.js';
import { compileRule } from '../detect/sigma/compile.js';
import type { CompiledRule } from '../detect/sigma/contract.js';
import { loadSigmaText, sigmaRuleError } from '../detect/sigma/load.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';

const MAX_TEST_EVENTS = 200_000;
/** A pasted rule is tried on at most this many of the caller's most recent events. */
const MAX_PASTED_TEST_EVENTS = 10_000;
/** The name a pasted rule's problems are reported under (`pasted.yml:3: …`). */
const PASTED_FILE = 'pasted.yml';

/** YAML text → one compiled detection rule; any problem is `VIGIL_ERR_SIGMA_RULE` (422) with its line. */
export function compilePastedRule(yaml: string): CompiledRule {
  const loaded = loadSigmaText(yaml, PASTED_FILE);
  if (loaded.errors.length > 0) throw loaded.errors[0] as VigilError;
  const model = loaded.rules[0];
  if (model === undefined || loaded.rules.length + loaded.correlations.length + loaded.filters.length !== 1) {
    throw sigmaRuleError(PASTED_FILE, 1, `paste exactly one detection rule (found ${loaded.rules.length} rules, ${loaded.correlations.length} correlations, ${loaded.filters.length} filters)`);
  }
  try {
    return compileRule(model);
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw sigmaRuleError(PASTED_FILE, model.location.line, error instanceof Error ? error.message : String(error));
  }
}

/** The transaction analyser's classes, the behaviour kinds and intelligence matching: built in, switched and excepted like rules. */
const analysisRules = [...webRules, ...behaviourRules, intelRule];

export function ruleRoutes(ctx: ApiContext, detection: DetectionControl): FastifyPluginAsync {
  const findRule = (id: string) => {
    const set = detection.rules();
    const rule = set.rules.find((r) => r.id === id);
    const correlation = set.correlations.find((c) => c.id === id);
    if (!rule && !correlation && !analysisRules.some((w) => w.id === id)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Rule', id });
    return { rule, correlation };
  };

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/', { schema: { summary: 'Rules with status and hit counts', tags: ['rules'] } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'rules:read');
      const set = detection.rules();
      const hits = ctx.store.alerts.countByRule(principal.scope);
      const settings = ctx.store.ruleSettings.list(principal.scope);
      const chain = ctx.directory.tree().ancestors(principal.user.orgId).map((o) => o.id);
      const enabledFor = (id: string): boolean => {
        for (const orgId of chain) {
          const own = settings.find((s) => s.ruleId === id && s.orgId === orgId);
          if (own) return own.enabled;
        }
        return settings.find((s) => s.ruleId === id && s.orgId === null)?.enabled ?? true;
      };
      const items = [
        ...set.rules.map((r) => ({ id: r.id, name: r.name, title: r.title, kind: 'detection' as const, level: r.level, status: r.status, tags: r.tags, logsource: r.logsource, file: r.location.file, line: r.location.line })),
        ...set.correlations.map((c) => ({ id: c.id, name: c.name, title: c.title, kind: 'correlation' as const, level: c.level, status: null, tags: c.tags, type: c.type, rules: c.rules, file: c.location.file, line: c.location.line })),
        ...analysisRules.map((w) => ({ id: w.id, name: null, title: w.title, kind: 'analysis' as const, level: null, status: null, tags: w.tags, file: null, line: null })),
      ].map((item) => ({ ...item, enabled: enabledFor(item.id), hits: hits.get(item.id)?.hits ?? 0, lastHit: hits.get(item.id)?.lastEventTime ?? null }));
      return { items, refusedFiles: set.files.filter((f) => !f.ok), loadedAt: new Date(set.loadedAt).toISOString() };
    });

    api.patch('/:id', {
      schema: {
        summary: 'Switch a rule on or off, for everyone or for an organisation',
        tags: ['rules'],
        params: z.object({ id: z.string() }),
        body: z.object({ enabled: z.boolean(), orgId: z.string().nullable().optional().describe('null or absent: every organisation (national admins)') }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'rules:manage');
      findRule(request.params.id);
      const orgId = request.body.orgId ?? null;
      ctx.store.ruleSettings.set(principal.scope, { ruleId: request.params.id, orgId, enabled: request.body.enabled, updatedBy: principal.user.id, updatedAt: new Date(ctx.clock.now()).toISOString() });
      detection.reloadControls();
      return { ruleId: request.params.id, orgId, enabled: request.body.enabled };
    });

    api.get('/:id/exceptions', { schema: { summary: 'Exceptions to a rule', tags: ['rules'], params: z.object({ id: z.string() }) } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'rules:read');
      return { items: ctx.store.ruleExceptions.list(principal.scope, request.params.id) };
    });

    api.post('/:id/exceptions', {
      schema: {
        summary: 'Suppress a rule for a host or a value in an organisation',
        tags: ['rules'],
        params: z.object({ id: z.string() }),
        body: z.object({ orgId: z.string(), field: z.string().regex(/^[A-Za-z@_][A-Za-z0-9@_.-]{0,127}$/), value: z.string().min(1).max(1024), reason: z.string().trim().min(3).max(2000) }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'rules:manage');
      findRule(request.params.id);
      const exception = { id: newId('exc'), ruleId: request.params.id, ...request.body, createdBy: principal.user.id, createdAt: new Date(ctx.clock.now()).toISOString() };
      ctx.store.ruleExceptions.create(principal.scope, exception);
      detection.reloadControls();
      return reply.status(201).send(exception);
    });

    api.delete('/:id/exceptions/:exceptionId', { schema: { summary: 'Remove an exception', tags: ['rules'], params: z.object({ id: z.string(), exceptionId: z.string() }) } }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'rules:manage');
      if (!ctx.store.ruleExceptions.delete(principal.scope, request.params.exceptionId)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Exception', id: request.params.exceptionId });
      detection.reloadControls();
      return reply.status(204).send();
    });

    api.post('/test', {
      schema: {
        summary: 'Run a pasted Sigma rule (YAML) over your most recent stored events (at most 10,000, your scope)',
        tags: ['rules'],
        body: z.object({
          yaml: z.string().min(1).max(65_536),
          limit: z.number().int().min(1).max(500).default(50),
          from: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 time').optional().describe('only events at or after this time'),
        }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'rules:read');
      const rule = compilePastedRule(request.body.yaml);
      const router = new LogsourceRouter<true>();
      router.add(rule.logsource, true);
      const get = fieldGetterFor(rule.logsource);
      const from = request.body.from === undefined ? undefined : Date.parse(request.body.from);
      const matches: { seq: number; time: string; matchedFields: string[]; event: unknown }[] = [];
      let scanned = 0;
      let total = 0;
      let cursor: string | undefined;
      do {
        const page = ctx.store.events.search(principal.scope, { limit: Math.min(1000, MAX_PASTED_TEST_EVENTS - scanned), ...(from !== undefined ? { from } : {}), ...(cursor ? { cursor } : {}) });
        for (const stored of page.events) {
          scanned++;
          if (router.candidates(stored.event).length === 0 || !rule.matches(stored.event, get)) continue;
          total++;
          if (matches.length < request.body.limit) matches.push({ seq: stored.seq, time: stored.event['@timestamp'], matchedFields: rule.matchedFields(stored.event, get), event: stored.event });
        }
        cursor = page.next ?? undefined;
      } while (cursor && scanned < MAX_PASTED_TEST_EVENTS);
      return {
        rule: { id: rule.id, title: rule.title, level: rule.level, logsource: rule.logsource },
        ...(from !== undefined ? { from: new Date(from).toISOString() } : {}),
        scanned,
        complete: !cursor,
        matched: total,
        matches,
      };
    });

    api.post('/:id/test', {
      schema: {
        summary: 'Run a detection rule over the stored events of the last N hours (your scope)',
        tags: ['rules'],
        params: z.object({ id: z.string() }),
        body: z.object({ hours: z.number().min(0.01).max(24 * 30).default(24), limit: z.number().int().min(1).max(1000).default(50) }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'rules:read');
      const { rule } = findRule(request.params.id);
      if (!rule) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'only detection rules can be tested over stored events' }, { field: 'id' });
      const router = new LogsourceRouter<true>();
      router.add(rule.logsource, true);
      const get = fieldGetterFor(rule.logsource);
      const to = ctx.clock.now();
      const from = to - request.body.hours * 3_600_000;
      const matches: { seq: number; timestamp: string; matchedFields: string[] }[] = [];
      let scanned = 0;
      let total = 0;
      let cursor: string | undefined;
      do {
        const page = ctx.store.events.search(principal.scope, { from, to, limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const stored of page.events) {
          scanned++;
          if (router.candidates(stored.event).length === 0 || !rule.matches(stored.event, get)) continue;
          total++;
          if (matches.length < request.body.limit) matches.push({ seq: stored.seq, timestamp: stored.event['@timestamp'], matchedFields: rule.matchedFields(stored.event, get) });
        }
        cursor = page.next ?? undefined;
      } while (cursor && scanned < MAX_TEST_EVENTS);
      return { ruleId: rule.id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), scanned, complete: !cursor, matched: total, matches };
    });
  };
}

/**
 * @module api/incidents
 * `/api/v1/incidents`: incidents and their response. The owning organisation's subtree (and the
 * centre above it) reads and works an incident; an alliance member assigned as responder reads and
 * works that incident — comments, tasks, observables — and sees nothing else of the organisation:
 * the linked alerts are shown as summaries, never their events. Only the centre assigns responders;
 * the owner asks for help. Every change lands on the incident's timeline with who and when.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { alertSeverities, type Alert } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { tlpLevels } from '../intel/model.js';
import type { UserPrincipal } from '../orgs/directory.js';
import type { IncidentPatch } from '../store/store.js';
import { timelineId } from '../warn/incident-grouper.js';
import { incidentStatuses, mayMove, observableTypes, taskStatuses, type Incident, type IncidentStatus, type TimelineEntry } from '../warn/incident-model.js';
import { requireUser } from './auth-guard.js';
import type { ApiContext } from './context.js';
import { pageLimit } from './query-params.js';

const idParams = z.object({ id: z.string().max(100) });
const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 time');
/** Reading alerts for a responder's summary needs the system scope; what is shown is chosen here. */
const alertReader = Scope.system('incident alert summaries');

export function incidentRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const now = (): string => new Date(ctx.clock.now()).toISOString();
    const entry = (principal: UserPrincipal, incidentId: string, action: TimelineEntry['action'], text: string, data: Record<string, unknown> | null = null): TimelineEntry => ({
      id: timelineId(),
      incidentId,
      at: now(),
      actor: principal.user.id,
      actorOrgId: principal.user.orgId,
      action,
      text,
      data,
    });
    const load = (principal: UserPrincipal, id: string): Incident => {
      const incident = ctx.store.incidents.get(principal.scope, id);
      if (!incident) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Incident', id });
      return incident;
    };
    const requireOwner = (principal: UserPrincipal, id: string): Incident => {
      const incident = load(principal, id);
      if (ctx.store.incidents.access(principal.scope, id) !== 'owner') throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: `${principal.user.role} (responder)`, action: 'change the lifecycle of this incident' });
      return incident;
    };

    api.get('/', {
      schema: {
        summary: 'Incidents you may see (your subtree’s, and those you were assigned to as responder), latest activity first',
        tags: ['incidents'],
        querystring: z.object({
          status: z.enum(incidentStatuses).optional(),
          open: z.enum(['true', 'false']).optional(),
          severity: z.enum(alertSeverities).optional(),
          org: z.string().max(100).optional().describe('only this organisation’s subtree'),
          assignee: z.string().max(100).optional(),
          system: z.string().max(100).optional(),
          help: z.enum(['true', 'false']).optional().describe('only those that asked for help (or not)'),
          q: z.string().min(2).max(200).optional(),
          limit: pageLimit(500, 50),
          cursor: z.string().max(1024).optional(),
        }),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:read');
      const q = request.query;
      const orgIds = q.org === undefined ? undefined : principal.scope.narrow(q.org, ctx.directory.tree()).orgIds() ?? ctx.directory.tree().subtreeIds(q.org);
      return ctx.store.incidents.list(principal.scope, {
        limit: q.limit,
        ...(orgIds ? { orgIds } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.open === 'true' ? { open: true } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.assignee ? { assignee: q.assignee } : {}),
        ...(q.system ? { systemId: q.system } : {}),
        ...(q.help ? { helpRequested: q.help === 'true' } : {}),
        ...(q.q ? { text: q.q } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    });

    /** The alerts by id, in the caller's scope, of one organisation, none already in an incident. */
    const freeAlerts = (principal: UserPrincipal, ids: readonly string[]): Alert[] => {
      const alerts = ids.map((id) => {
        const alert = ctx.store.alerts.get(principal.scope, id);
        if (!alert) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Alert', id });
        return alert;
      });
      const orgs = new Set(alerts.map((a) => a.orgId));
      if (orgs.size > 1) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the alerts belong to different organisations; an incident is one organisation’s' }, { field: 'alertIds' });
      const linked = ctx.store.incidents.linkedAlertIds(principal.scope, ids);
      if (linked.size > 0) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `alerts already in an incident: ${[...linked].slice(0, 10).join(', ')}` });
      return alerts;
    };

    api.post('/', {
      schema: {
        summary: 'Open an incident by hand from alerts of one organisation (none already in an incident)',
        tags: ['incidents'],
        body: z
          .object({
            title: z.string().trim().min(3).max(300),
            alertIds: z.array(z.string().max(200)).min(1).max(500),
            severity: z.enum(alertSeverities).optional(),
            tlp: z.enum(tlpLevels).default('amber'),
          })
          .strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const body = request.body;
      const alerts = freeAlerts(principal, [...new Set(body.alertIds)]).sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
      const first = alerts[0] as Alert;
      const at = now();
      const highest = alerts.reduce((s, a) => (alertSeverities.indexOf(a.severity) > alertSeverities.indexOf(s) ? a.severity : s), first.severity);
      const id = `inc_${crypto.randomUUID().replace(/-/g, '')}`;
      const incident: Incident = {
        id, orgId: first.orgId, title: body.title, severity: body.severity ?? highest, status: 'new', tlp: body.tlp, assignee: null,
        systemId: alerts.every((a) => a.systemId === first.systemId) ? first.systemId : null,
        groupKey: `manual|${id}`, entity: { type: 'none', value: '' }, technique: 'manual',
        firstSeen: first.eventTime, lastSeen: (alerts[alerts.length - 1] as Alert).eventTime, alertCount: 0, helpRequested: false,
        createdAt: at, updatedAt: at, acknowledgedAt: null, resolvedAt: null, closedAt: null,
      };
      const created = ctx.store.incidents.create(
        principal.scope,
        incident,
        alerts.map((a) => ({ id: a.id, orgId: a.orgId, eventTime: a.eventTime })),
        [],
        entry(principal, id, 'created', `opened by hand from ${alerts.length} alert(s)`, { alertIds: alerts.slice(0, 50).map((a) => a.id) }),
      );
      return reply.code(201).send(created);
    });

    api.post('/:id/alerts', {
      schema: {
        summary: 'Link more alerts of the same organisation (none already in an incident)',
        tags: ['incidents'],
        params: idParams,
        body: z.object({ alertIds: z.array(z.string().max(200)).min(1).max(500) }).strict(),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = requireOwner(principal, request.params.id);
      const alerts = freeAlerts(principal, [...new Set(request.body.alertIds)]);
      if (alerts.some((a) => a.orgId !== incident.orgId)) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the alerts belong to another organisation than the incident' }, { field: 'alertIds' });
      const at = now();
      const highest = alerts.reduce((s, a) => (alertSeverities.indexOf(a.severity) > alertSeverities.indexOf(s) ? a.severity : s), incident.severity);
      const lastSeen = alerts.reduce((t, a) => (Date.parse(a.eventTime) > Date.parse(t) ? a.eventTime : t), incident.lastSeen);
      ctx.store.incidents.linkAlerts(principal.scope, incident.id, alerts.map((a) => ({ id: a.id, orgId: a.orgId, eventTime: a.eventTime })), { severity: highest, lastSeen, at },
        entry(principal, incident.id, 'alerts-linked', '{n} alert(s) linked by hand', { alertIds: alerts.slice(0, 50).map((a) => a.id) }));
      return ctx.store.incidents.get(principal.scope, incident.id);
    });

    api.get('/:id', { schema: { summary: 'One incident with its alerts, timeline, tasks, observables and responders', tags: ['incidents'], params: idParams } }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:read');
      const incident = load(principal, request.params.id);
      const access = ctx.store.incidents.access(principal.scope, incident.id);
      const links = ctx.store.incidents.alerts(principal.scope, incident.id);
      // The owner reads the alerts as usual; a responder gets what the incident needs of them.
      const alerts = links.slice(0, 500).flatMap(({ alertId }) => {
        const alert: Alert | null = ctx.store.alerts.get(access === 'owner' ? principal.scope : alertReader, alertId);
        if (!alert) return [];
        return [
          access === 'owner'
            ? alert
            : { id: alert.id, ruleId: alert.ruleId, ruleTitle: alert.ruleTitle, severity: alert.severity, tags: alert.tags, eventTime: alert.eventTime, details: alert.details },
        ];
      });
      return {
        ...incident,
        access,
        alerts,
        timeline: ctx.store.incidents.timeline(principal.scope, incident.id),
        tasks: ctx.store.incidents.tasks(principal.scope, incident.id),
        observables: ctx.store.incidents.observables(principal.scope, incident.id),
        responders: ctx.store.incidents.responders(principal.scope, incident.id),
      };
    });

    api.patch('/:id', {
      schema: {
        summary: 'Move an incident through its lifecycle, assign it, change its severity, TLP or title',
        description: 'Lifecycle: new → acknowledged → investigating → contained → resolved → closed; forward to any later status, or back to investigating (reopen).',
        tags: ['incidents'],
        params: idParams,
        body: z
          .object({
            status: z.enum(incidentStatuses).optional(),
            assignee: z.string().max(100).nullable().optional(),
            severity: z.enum(alertSeverities).optional(),
            tlp: z.enum(tlpLevels).optional(),
            title: z.string().trim().min(3).max(300).optional(),
            note: z.string().max(4000).optional().describe('why: kept on the timeline'),
          })
          .strict()
          .refine((b) => Object.keys(b).some((k) => k !== 'note'), 'nothing to change'),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const current = requireOwner(principal, request.params.id);
      const body = request.body;
      const at = now();
      const patch: IncidentPatch = { at };
      const entries: TimelineEntry[] = [];
      const note = body.note ? ` — ${body.note}` : '';
      if (body.status !== undefined && body.status !== current.status) {
        if (!mayMove(current.status, body.status)) {
          throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `incident ${current.id} cannot move from ${current.status} to ${body.status}` });
        }
        patch.status = body.status;
        const reached = (s: IncidentStatus): boolean => incidentStatuses.indexOf(body.status as IncidentStatus) >= incidentStatuses.indexOf(s);
        if (current.acknowledgedAt === null && reached('acknowledged')) patch.acknowledgedAt = at;
        if (reached('resolved') && current.resolvedAt === null) patch.resolvedAt = at;
        if (body.status === 'closed') patch.closedAt = at;
        if (body.status === 'investigating' && current.resolvedAt !== null) {
          patch.resolvedAt = null;
          patch.closedAt = null;
        }
        entries.push(entry(principal, current.id, 'status', `${current.status} → ${body.status}${note}`, { from: current.status, to: body.status }));
      }
      if (body.assignee !== undefined && body.assignee !== current.assignee) {
        if (body.assignee !== null) {
          // Someone who may read the incident: of the owner's chain or of a responder.
          const user = ctx.store.users.get(Scope.system('incident assignee check'), body.assignee);
          const mayWork = user !== null && user.disabled !== true && ctx.store.incidents.access(ctx.directory.scopeOf(user.orgId), current.id) !== null;
          if (!mayWork) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `user ${body.assignee} cannot work this incident` }, { field: 'assignee' });
        }
        patch.assignee = body.assignee;
        entries.push(entry(principal, current.id, 'assigned', body.assignee === null ? 'unassigned' : `assigned to ${body.assignee}`, { assignee: body.assignee }));
      }
      if (body.severity !== undefined && body.severity !== current.severity) {
        patch.severity = body.severity;
        entries.push(entry(principal, current.id, 'severity', `${current.severity} → ${body.severity}${note}`, { from: current.severity, to: body.severity }));
      }
      if (body.tlp !== undefined && body.tlp !== current.tlp) {
        patch.tlp = body.tlp;
        entries.push(entry(principal, current.id, 'tlp', `TLP:${current.tlp.toUpperCase()} → TLP:${body.tlp.toUpperCase()}`, { from: current.tlp, to: body.tlp }));
      }
      if (body.title !== undefined && body.title !== current.title) {
        patch.title = body.title;
        entries.push(entry(principal, current.id, 'title', body.title));
      }
      if (entries.length === 0) return current;
      return ctx.store.incidents.update(principal.scope, current.id, patch, entries);
    });

    api.post('/:id/comments', {
      schema: { summary: 'Comment on an incident', tags: ['incidents'], params: idParams, body: z.object({ text: z.string().trim().min(1).max(20000) }).strict() },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = load(principal, request.params.id);
      const comment = entry(principal, incident.id, 'comment', request.body.text);
      ctx.store.incidents.addTimeline(principal.scope, comment);
      return reply.code(201).send(comment);
    });

    api.post('/:id/tasks', {
      schema: {
        summary: 'Add a task',
        tags: ['incidents'],
        params: idParams,
        body: z.object({ title: z.string().trim().min(3).max(500), assignee: z.string().max(100).optional(), dueAt: isoTime.optional() }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = load(principal, request.params.id);
      const at = now();
      const task = {
        id: newId('tsk'),
        incidentId: incident.id,
        title: request.body.title,
        status: 'open' as const,
        assignee: request.body.assignee ?? null,
        dueAt: request.body.dueAt === undefined ? null : new Date(request.body.dueAt).toISOString(),
        createdAt: at,
        createdBy: principal.user.id,
        doneAt: null,
      };
      ctx.store.incidents.addTask(principal.scope, task, entry(principal, incident.id, 'task-added', task.title, { taskId: task.id }));
      return reply.code(201).send(task);
    });

    api.patch('/:id/tasks/:taskId', {
      schema: {
        summary: 'Update a task (done, cancelled, reassigned, rescheduled)',
        tags: ['incidents'],
        params: z.object({ id: z.string().max(100), taskId: z.string().max(100) }),
        body: z
          .object({ title: z.string().trim().min(3).max(500).optional(), status: z.enum(taskStatuses).optional(), assignee: z.string().max(100).nullable().optional(), dueAt: isoTime.nullable().optional() })
          .strict()
          .refine((b) => Object.keys(b).length > 0, 'nothing to change'),
      },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = load(principal, request.params.id);
      const b = request.body;
      const at = now();
      return ctx.store.incidents.updateTask(
        principal.scope,
        incident.id,
        request.params.taskId,
        {
          at,
          ...(b.title !== undefined ? { title: b.title } : {}),
          ...(b.status !== undefined ? { status: b.status } : {}),
          ...(b.assignee !== undefined ? { assignee: b.assignee } : {}),
          ...(b.dueAt !== undefined ? { dueAt: b.dueAt === null ? null : new Date(b.dueAt).toISOString() } : {}),
        },
        entry(principal, incident.id, 'task-updated', `${request.params.taskId}${b.status ? ` → ${b.status}` : ''}`, { taskId: request.params.taskId, ...b }),
      );
    });

    api.post('/:id/observables', {
      schema: {
        summary: 'Add observables (addresses, domains, hashes …) to an incident',
        tags: ['incidents'],
        params: idParams,
        body: z
          .object({ items: z.array(z.object({ type: z.enum(observableTypes), value: z.string().trim().min(1).max(2048), note: z.string().max(2000).optional() }).strict()).min(1).max(500) })
          .strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = load(principal, request.params.id);
      const at = now();
      const items = request.body.items.map((o) => ({ incidentId: incident.id, type: o.type, value: o.type === 'domain' || o.type === 'hash' || o.type === 'email' ? o.value.toLowerCase() : o.value, addedBy: principal.user.id, addedAt: at, note: o.note ?? null }));
      const added = ctx.store.incidents.addObservables(principal.scope, items, entry(principal, incident.id, 'observable-added', `${items.length} observable(s)`, { items: items.slice(0, 50).map((o) => `${o.type}:${o.value}`) }));
      return reply.code(201).send({ added });
    });

    api.post('/:id/help', {
      schema: { summary: 'Ask the centre for help with this incident', tags: ['incidents'], params: idParams, body: z.object({ text: z.string().trim().min(3).max(4000) }).strict() },
    }, async (request) => {
      const principal = requireUser(ctx.directory, request, 'incidents:work');
      const incident = requireOwner(principal, request.params.id);
      return ctx.store.incidents.update(principal.scope, incident.id, { at: now(), helpRequested: true }, [entry(principal, incident.id, 'help-requested', request.body.text)]);
    });

    api.post('/:id/responders', {
      schema: {
        summary: 'Assign an alliance member as responder (the centre only): it then sees this incident and nothing else',
        tags: ['incidents'],
        params: idParams,
        body: z.object({ org: z.string().max(100), note: z.string().max(2000).optional() }).strict(),
      },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:coordinate');
      if (!principal.scope.unrestricted) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: 'assign responders (the national centre does)' });
      const incident = requireOwner(principal, request.params.id);
      const org = ctx.store.orgs.get(principal.scope, request.body.org) ?? ctx.store.orgs.getByCode(principal.scope, request.body.org);
      if (!org) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: request.body.org });
      if (org.kind !== 'alliance') throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${org.code} is not an alliance member` }, { field: 'org' });
      const at = now();
      const added = ctx.store.incidents.addResponder(
        principal.scope,
        { incidentId: incident.id, orgId: org.id, assignedBy: principal.user.id, assignedAt: at },
        entry(principal, incident.id, 'responder-assigned', `${org.code} assigned as responder${request.body.note ? ` — ${request.body.note}` : ''}`, { orgId: org.id }),
      );
      return reply.code(added ? 201 : 200).send(ctx.store.incidents.responders(principal.scope, incident.id));
    });

    api.delete('/:id/responders/:orgId', {
      schema: { summary: 'Withdraw a responder', tags: ['incidents'], params: z.object({ id: z.string().max(100), orgId: z.string().max(100) }) },
    }, async (request, reply) => {
      const principal = requireUser(ctx.directory, request, 'incidents:coordinate');
      if (!principal.scope.unrestricted) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role: principal.user.role, action: 'withdraw responders (the national centre does)' });
      const incident = requireOwner(principal, request.params.id);
      const removed = ctx.store.incidents.removeResponder(principal.scope, incident.id, request.params.orgId, entry(principal, incident.id, 'responder-removed', `${request.params.orgId} withdrawn`, { orgId: request.params.orgId }));
      if (!removed) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Responder', id: request.params.orgId });
      return reply.code(204).send();
    });
  };
}

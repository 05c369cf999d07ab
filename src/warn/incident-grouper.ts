/**
 * @module warn/incident-grouper
 * Alerts become incidents. An alert joins the open incident of its organisation that has the same
 * system, entity and technique and was active within the window (event time, so a replay or a
 * late batch groups the same way); otherwise it opens one. What is an entity: the indicator an
 * intelligence alert matched, else the subject of a behavioural alert, else the event's source
 * address, account or host. The technique is the alert's first ATT&CK technique tag (`t1190`,
 * sub-techniques folded into theirs), else its rule. Grouping is idempotent: an alert already in an
 * incident is skipped, and an incident's id derives from its key and first alert.
 *
 * Runs in the detection pipeline right after alerts are stored, on the batch's alerts at once: one
 * lookup of linked alerts, one lookup per distinct key.
 */
import { createHash } from 'node:crypto';
import type { EcsEvent } from '../core/event.js';
import { newId } from '../core/ids.js';
import { alertSeverities, type Alert, type AlertSeverity } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Tlp } from '../intel/model.js';
import type { IncidentRepository, LinkedAlert } from '../store/store.js';
import { incidentSeverity, maxSeverity, type Incident, type IncidentEntity, type IncidentObservable, type ObservableType, type TimelineEntry } from './incident-model.js';

export interface IncidentGroupingOptions {
  /** An open incident takes alerts for this long after its last one. */
  windowMinutes: number;
  /** Alerts below this severity open no incident (they still join one that is open). */
  minSeverity: AlertSeverity;
  tlp: Tlp;
}

export const defaultGroupingOptions: IncidentGroupingOptions = { windowMinutes: 60, minSeverity: 'low', tlp: 'amber' };

/** The information system an alert concerns (inventory attribution), with its security level. */
export interface SystemRef {
  id: string;
  securityLevel: number;
}

export interface GroupingContext {
  /** The stored event of a sequence number, or null. */
  eventOf(seq: number): EcsEvent | null;
  /** The system the alert's event concerns, when the inventory knows it. */
  systemOf?(alert: Alert, event: EcsEvent | null): SystemRef | null;
}

const system = Scope.system('incident grouping');

function field(event: EcsEvent | null, path: readonly string[]): string | null {
  let value: unknown = event;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string' && value[0] !== '') return value[0];
  return null;
}

/** The entity an alert is about (see the module comment). */
export function entityOf(alert: Alert, event: EcsEvent | null): IncidentEntity {
  const indicator = alert.details?.indicator;
  if (indicator) return { type: 'indicator', value: `${indicator.type}:${indicator.value}` };
  const group = alert.group ?? {};
  const groupIp = group['source.ip'] ?? group['client.ip'];
  if (groupIp) return { type: 'ip', value: groupIp };
  const groupUser = group['user.name'];
  if (groupUser) return { type: 'user', value: groupUser };
  const ip = field(event, ['source', 'ip']) ?? field(event, ['client', 'ip']);
  if (ip !== null) return { type: 'ip', value: ip };
  const user = field(event, ['user', 'name']);
  if (user !== null) return { type: 'user', value: user };
  const host = field(event, ['host', 'name']);
  if (host !== null) return { type: 'host', value: host.toLowerCase() };
  return { type: 'none', value: '' };
}

/** `attack.t1190` → `t1190`; `attack.t1059.001` → `t1059`; none → the rule id. */
export function techniqueOf(alert: Alert): string {
  for (const tag of alert.tags) {
    const m = /^attack\.(t\d{4})(?:\.\d{3})?$/i.exec(tag);
    if (m) return (m[1] as string).toLowerCase();
  }
  return alert.ruleId;
}

export function groupKeyOf(systemId: string | null, entity: IncidentEntity, technique: string): string {
  return `${systemId ?? '-'}|${entity.type}:${entity.value}|${technique}`;
}

function incidentId(orgId: string, groupKey: string, firstAlertId: string): string {
  return `inc_${createHash('sha256').update(`${orgId}\u0000${groupKey}\u0000${firstAlertId}`).digest('hex').slice(0, 32)}`;
}

function observableOf(entity: IncidentEntity): { type: ObservableType; value: string } | null {
  switch (entity.type) {
    case 'ip':
      return { type: 'ip', value: entity.value };
    case 'user':
      return { type: 'user', value: entity.value };
    case 'host':
      return { type: 'host', value: entity.value };
    case 'indicator': {
      const colon = entity.value.indexOf(':');
      const type = entity.value.slice(0, colon);
      const value = entity.value.slice(colon + 1);
      const map: Record<string, ObservableType> = { ipv4: 'ip', ipv6: 'ip', cidr: 'ip', domain: 'domain', url: 'url', md5: 'hash', sha1: 'hash', sha256: 'hash', email: 'email', 'user-agent': 'user-agent' };
      return { type: map[type] ?? 'other', value };
    }
    default:
      return null;
  }
}

interface Pending {
  orgId: string;
  key: string;
  entity: IncidentEntity;
  technique: string;
  system: SystemRef | null;
  alerts: Alert[];
}

/** A timeline entry id. */
export function timelineId(): string {
  return newId('tml');
}

export class IncidentGrouper {
  private readonly options: IncidentGroupingOptions;

  constructor(
    private readonly incidents: IncidentRepository,
    private readonly context: GroupingContext,
    options: Partial<IncidentGroupingOptions> = {},
  ) {
    this.options = { ...defaultGroupingOptions, ...options };
  }

  /** Groups the alerts (those already in an incident are skipped); returns the incidents touched. */
  group(alerts: readonly Alert[], now: string): { created: Incident[]; updated: string[] } {
    const created: Incident[] = [];
    const updated = new Set<string>();
    if (alerts.length === 0) return { created, updated: [] };
    const linked = this.incidents.linkedAlertIds(system, alerts.map((a) => a.id));
    const pending = new Map<string, Pending>();
    for (const alert of alerts) {
      if (linked.has(alert.id)) continue;
      const seq = alert.eventSeqs[0];
      const event = seq === undefined ? null : this.context.eventOf(seq);
      const entity = entityOf(alert, event);
      const technique = techniqueOf(alert);
      const systemRef = this.context.systemOf?.(alert, event) ?? null;
      const key = groupKeyOf(systemRef?.id ?? null, entity, technique);
      const mapKey = `${alert.orgId}\u0000${key}`;
      let group = pending.get(mapKey);
      if (!group) {
        group = { orgId: alert.orgId, key, entity, technique, system: systemRef, alerts: [] };
        pending.set(mapKey, group);
      }
      group.alerts.push(alert);
    }
    const windowMs = this.options.windowMinutes * 60_000;
    for (const group of pending.values()) {
      group.alerts.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      let i = 0;
      while (i < group.alerts.length) {
        const first = group.alerts[i] as Alert;
        const open = this.incidents.findOpen(system, group.orgId, group.key, new Date(Date.parse(first.eventTime) - windowMs).toISOString());
        // The alerts of this group that fall within the window of the incident they join or open.
        let lastSeen = open ? Math.max(Date.parse(open.lastSeen), Date.parse(first.eventTime)) : Date.parse(first.eventTime);
        let j = i;
        let highest: AlertSeverity = 'informational';
        while (j < group.alerts.length) {
          const alert = group.alerts[j] as Alert;
          const time = Date.parse(alert.eventTime);
          if (time - lastSeen > windowMs) break;
          lastSeen = Math.max(lastSeen, time);
          highest = maxSeverity(highest, alert.severity);
          j++;
        }
        const batch = group.alerts.slice(i, j);
        i = j;
        const links: LinkedAlert[] = batch.map((a) => ({ id: a.id, orgId: a.orgId, eventTime: a.eventTime }));
        const level = group.system?.securityLevel ?? null;
        if (open) {
          const severity = maxSeverity(open.severity, incidentSeverity(highest, level));
          this.incidents.linkAlerts(system, open.id, links, { severity, lastSeen: new Date(lastSeen).toISOString(), at: now }, {
            id: timelineId(), incidentId: open.id, at: now, actor: 'system', actorOrgId: null, action: 'alerts-linked', text: '{n} alert(s) linked',
            data: { alertIds: batch.slice(0, 50).map((a) => a.id) },
          });
          updated.add(open.id);
          continue;
        }
        if (alertSeverities.indexOf(highest) < alertSeverities.indexOf(this.options.minSeverity)) continue;
        const incident = this.open(group, batch, links, highest, level, now);
        if (incident) created.push(incident);
      }
    }
    return { created, updated: [...updated] };
  }

  private open(group: Pending, batch: readonly Alert[], links: readonly LinkedAlert[], highest: AlertSeverity, level: number | null, now: string): Incident | null {
    const first = batch[0] as Alert;
    const id = incidentId(group.orgId, group.key, first.id);
    const subject = group.entity.type === 'none' ? '' : ` — ${group.entity.type === 'indicator' ? group.entity.value.slice(group.entity.value.indexOf(':') + 1) : group.entity.value}`;
    const incident: Incident = {
      id,
      orgId: group.orgId,
      title: `${first.ruleTitle}${subject}`.slice(0, 300),
      severity: incidentSeverity(highest, level),
      status: 'new',
      tlp: this.options.tlp,
      assignee: null,
      systemId: group.system?.id ?? null,
      groupKey: group.key,
      entity: group.entity,
      technique: group.technique,
      firstSeen: first.eventTime,
      lastSeen: (batch[batch.length - 1] as Alert).eventTime,
      alertCount: 0,
      helpRequested: false,
      createdAt: now,
      updatedAt: now,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
    };
    const observable = observableOf(group.entity);
    const observables: IncidentObservable[] = observable ? [{ incidentId: id, ...observable, addedBy: 'alert', addedAt: now, note: null }] : [];
    const entry: TimelineEntry = {
      id: timelineId(), incidentId: id, at: now, actor: 'system', actorOrgId: null, action: 'created',
      text: `opened from ${batch.length} alert(s) of ${first.ruleId}`, data: { alertIds: batch.slice(0, 50).map((a) => a.id), groupKey: group.key },
    };
    try {
      return this.incidents.create(system, incident, links, observables, entry);
    } catch {
      // The same incident exists (a replay that raced): link to it instead.
      const existing = this.incidents.get(system, id);
      if (!existing) throw new Error(`incident ${id} could not be created`);
      this.incidents.linkAlerts(system, id, links, { severity: existing.severity, lastSeen: incident.lastSeen, at: now }, { ...entry, id: timelineId(), action: 'alerts-linked', text: '{n} alert(s) linked' });
      return null;
    }
  }
}

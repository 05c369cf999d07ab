import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import type { Alert, OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/open.js';
import { entityOf, IncidentGrouper, techniqueOf, type SystemRef } from './incident-grouper.js';
import { incidentSeverity, mayMove } from './incident-model.js';

const system = Scope.system('incident grouper test');
const created = '2026-11-25T00:00:00.000Z';
const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: created,
});

function alert(id: string, orgId: string, minute: number, patch: Partial<Alert> = {}): Alert {
  return {
    id, orgId, ruleId: 'rule-sqli', ruleTitle: 'SQL injection', kind: 'detection', severity: 'high', tags: ['attack.initial-access', 'attack.t1190'],
    eventTime: new Date(Date.UTC(2026, 10, 25, 8, minute)).toISOString(), createdAt: created, eventSeqs: [minute], matchedFields: [],
    group: null, status: 'open', resolution: null, acknowledgedBy: null, acknowledgedAt: null, closedBy: null, closedAt: null, note: null, details: null, systemId: null, ...patch,
  };
}

const eventFrom = (ip: string | null, user?: string): EcsEvent =>
  ({ '@timestamp': created, ...(ip ? { source: { ip } } : {}), ...(user ? { user: { name: user } } : {}) }) as unknown as EcsEvent;

describe('incident grouping', () => {
  let dir: string;
  let store: SqliteStore;
  let events: Map<number, EcsEvent>;
  let systems: Map<string, SystemRef>;
  let grouper: IncidentGrouper;
  const now = '2026-11-25T09:00:00.000Z';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-incidents-'));
    store = openSqliteStore({ path: join(dir, 'v.db') });
    for (const o of [org('root', null, 'national'), org('hn', 'root', 'province'), org('hcm', 'root', 'province')]) store.orgs.create(system, o);
    events = new Map();
    systems = new Map();
    grouper = new IncidentGrouper(store.incidents, {
      eventOf: (seq) => events.get(seq) ?? null,
      systemOf: (a) => (a.systemId ? (systems.get(a.systemId) ?? null) : null),
    }, { windowMinutes: 30 });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = (orgId?: string) => store.incidents.list(orgId ? Scope.single(orgId) : system, { limit: 100 }).items;

  it('one incident per organisation, entity and technique; separate organisations never share one', () => {
    for (let m = 0; m < 6; m++) events.set(m, eventFrom(m < 4 ? '203.0.113.5' : '198.51.100.7'));
    const alerts = [alert('a0', 'hn', 0), alert('a1', 'hn', 1), alert('a2', 'hcm', 2), alert('a3', 'hn', 3), alert('a4', 'hn', 4), alert('a5', 'hn', 5, { tags: ['attack.t1059.001'] })];
    const result = grouper.group(alerts, now);
    expect(result.created).toHaveLength(4);
    const hn = all('hn');
    expect(hn.map((i) => `${i.entity.value} ${i.technique} ${i.alertCount}`).sort()).toEqual(['198.51.100.7 t1059 1', '198.51.100.7 t1190 1', '203.0.113.5 t1190 3']);
    expect(all('hcm').map((i) => i.alertCount)).toEqual([1]);
    const main = hn.find((i) => i.alertCount === 3);
    expect(main).toMatchObject({ firstSeen: alerts[0]?.eventTime, lastSeen: alerts[3]?.eventTime, status: 'new', tlp: 'amber' });
  });

  it('a quiet spell longer than the window starts a new incident; a closed incident takes nothing', () => {
    events.set(0, eventFrom('203.0.113.5'));
    events.set(50, eventFrom('203.0.113.5'));
    events.set(55, eventFrom('203.0.113.5'));
    grouper.group([alert('a0', 'hn', 0)], now);
    grouper.group([alert('a50', 'hn', 50)], now);
    expect(all('hn')).toHaveLength(2);
    const latest = all('hn')[0];
    store.incidents.update(system, latest?.id as string, { at: now, status: 'closed', closedAt: now }, []);
    grouper.group([alert('a55', 'hn', 55)], now);
    expect(all('hn')).toHaveLength(3);
    // Within one batch, a gap splits too.
    events.set(100, eventFrom('192.0.2.1'));
    events.set(140, eventFrom('192.0.2.1'));
    grouper.group([alert('b140', 'hn', 140), alert('b100', 'hn', 100)], now);
    expect(all('hn').filter((i) => i.entity.value === '192.0.2.1')).toHaveLength(2);
  });

  it('is idempotent: the same alerts again change nothing', () => {
    events.set(1, eventFrom('203.0.113.5'));
    const first = grouper.group([alert('a1', 'hn', 1)], now);
    expect(first.created).toHaveLength(1);
    expect(grouper.group([alert('a1', 'hn', 1)], now)).toEqual({ created: [], updated: [] });
    expect(all()[0]?.alertCount).toBe(1);
    expect(store.incidents.timeline(system, first.created[0]?.id as string).map((e) => e.action)).toEqual(['created']);
  });

  it('raises severity on security level 4–5 systems and keeps the highest alert', () => {
    systems.set('sys-dvc', { id: 'sys-dvc', securityLevel: 4 });
    events.set(1, eventFrom('203.0.113.5'));
    events.set(2, eventFrom('203.0.113.5'));
    grouper.group([alert('a1', 'hn', 1, { severity: 'medium', systemId: 'sys-dvc' })], now);
    expect(all()[0]).toMatchObject({ severity: 'high', systemId: 'sys-dvc' });
    grouper.group([alert('a2', 'hn', 2, { severity: 'high', systemId: 'sys-dvc' })], now);
    expect(all()[0]).toMatchObject({ severity: 'critical', alertCount: 2 });
    expect(incidentSeverity('critical', 5)).toBe('critical');
    expect(incidentSeverity('informational', 5)).toBe('informational');
    expect(incidentSeverity('high', 3)).toBe('high');
  });

  it('informational alerts open nothing but join an open incident', () => {
    events.set(1, eventFrom('203.0.113.5'));
    events.set(2, eventFrom('203.0.113.5'));
    grouper.group([alert('i1', 'hn', 1, { severity: 'informational' })], now);
    expect(all()).toHaveLength(0);
    grouper.group([alert('a2', 'hn', 2)], now);
    grouper.group([alert('i3', 'hn', 3, { severity: 'informational', eventSeqs: [2] })], now);
    expect(all()[0]?.alertCount).toBe(2);
  });

  it('names the entity: indicator, behaviour subject, source address, account, host', () => {
    const intel = alert('x', 'hn', 1, { details: { indicator: { id: 'ind_1', type: 'ipv4', value: '203.0.113.9', source: 'misp', confidence: 80, tlp: 'green', labels: [] } } });
    expect(entityOf(intel, eventFrom('10.0.0.1'))).toEqual({ type: 'indicator', value: 'ipv4:203.0.113.9' });
    expect(entityOf(alert('x', 'hn', 1, { group: { 'user.name': 'nguyenvana' } }), null)).toEqual({ type: 'user', value: 'nguyenvana' });
    expect(entityOf(alert('x', 'hn', 1), eventFrom(null, 'tranthib'))).toEqual({ type: 'user', value: 'tranthib' });
    expect(entityOf(alert('x', 'hn', 1), { '@timestamp': created, host: { name: 'WEB01' } } as unknown as EcsEvent)).toEqual({ type: 'host', value: 'web01' });
    expect(entityOf(alert('x', 'hn', 1), null)).toEqual({ type: 'none', value: '' });
    expect(techniqueOf(alert('x', 'hn', 1, { tags: ['attack.persistence', 'attack.T1505.003'] }))).toBe('t1505');
    expect(techniqueOf(alert('x', 'hn', 1, { tags: [] }))).toBe('rule-sqli');
  });

  it('refuses an alert of another organisation into an incident', () => {
    events.set(1, eventFrom('203.0.113.5'));
    const { created: [incident] } = grouper.group([alert('a1', 'hn', 1)], now);
    expect(() =>
      store.incidents.linkAlerts(system, incident?.id as string, [{ id: 'z', orgId: 'hcm', eventTime: now }], { severity: 'high', lastSeen: now, at: now }, {
        id: 'tml_1', incidentId: incident?.id as string, at: now, actor: 'system', actorOrgId: null, action: 'alerts-linked', text: '{n}', data: null,
      }),
    ).toThrow(/another organisation/);
    expect(() => store.incidents.linkAlerts(Scope.single('hcm'), incident?.id as string, [], { severity: 'high', lastSeen: now, at: now }, {
      id: 'tml_2', incidentId: incident?.id as string, at: now, actor: 'system', actorOrgId: null, action: 'alerts-linked', text: '{n}', data: null,
    })).toThrow(/not found/);
  });

  it('allows forward moves and reopening only', () => {
    expect(mayMove('new', 'closed')).toBe(true);
    expect(mayMove('acknowledged', 'new')).toBe(false);
    expect(mayMove('closed', 'investigating')).toBe(true);
    expect(mayMove('closed', 'resolved')).toBe(false);
    expect(mayMove('investigating', 'investigating')).toBe(false);
  });
});

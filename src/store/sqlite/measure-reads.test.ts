/**
 * The two reads the measures need (warn/measures-service): each sensor's latest event since a time,
 * and the incidents a scope owns that are open or were created since a time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import type { OrgKind, Organization } from '../../core/model.js';
import { Scope } from '../../core/scope.js';
import type { Incident, IncidentStatus } from '../../warn/incident-model.js';
import type { EventToStore } from '../store.js';
import { openSqliteStore, type SqliteStore } from './open.js';

const system = Scope.system('measure reads test');
const day1 = Date.UTC(2026, 10, 1);
const day2 = day1 + 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: iso(day1),
});

let store: SqliteStore;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  for (const o of [org('vn', null, 'national'), org('hn', 'vn', 'province'), org('hcm', 'vn', 'province'), org('firm', 'vn', 'alliance')]) store.orgs.create(system, o);
});
afterEach(() => store.close());

const event = (ts: number, orgId: string, sensorId: string): EventToStore => ({
  ts, orgId, sensorId, event: { '@timestamp': iso(ts), event: { kind: 'event' }, organization: { id: orgId } } as unknown as EcsEvent,
});

describe('latest event per sensor', () => {
  it('gives each sensor its latest event since a time, across day partitions, within the scope', () => {
    store.ingest.commit(system, {
      orgId: 'hn', sensorId: 'sen_a', idempotencyKey: null, receivedAt: day2, deadLetters: [],
      events: [event(day1 + 5, 'hn', 'sen_a'), event(day2 + 7, 'hn', 'sen_a'), event(day2 + 3, 'hn', 'sen_a'), event(day1 + 9, 'hn', 'sen_b'), event(day2 + 1, 'hcm', 'sen_c')],
      summary: { batchId: 'b1', received: 5, accepted: 5, rejected: [], firstSeq: null, lastSeq: null },
    });
    const sensors = [
      { sensorId: 'sen_a', orgId: 'hn' }, { sensorId: 'sen_b', orgId: 'hn' }, { sensorId: 'sen_c', orgId: 'hcm' },
      { sensorId: 'sen_silent', orgId: 'hn' }, { sensorId: 'sen_c', orgId: 'hn' },
    ];
    expect(store.events.latestBySensor(system, sensors, day1)).toEqual(new Map([['sen_a', day2 + 7], ['sen_b', day1 + 9], ['sen_c', day2 + 1]]));
    expect(store.events.latestBySensor(system, sensors, day2 + 2)).toEqual(new Map([['sen_a', day2 + 7]]));
    // HN's scope asks nothing of HCM's sensor, even named under HN
    expect(store.events.latestBySensor(Scope.single('hn'), sensors, day1)).toEqual(new Map([['sen_a', day2 + 7], ['sen_b', day1 + 9]]));
    expect(store.events.latestBySensor(system, [], day1)).toEqual(new Map());
  });
});

describe('incidents for measures', () => {
  function incident(id: string, orgId: string, status: IncidentStatus, created: number): Incident {
    return {
      id, orgId, title: id, severity: 'high', status, tlp: 'amber', assignee: null, systemId: null, groupKey: id, entity: { type: 'none', value: '' }, technique: 't1190',
      firstSeen: iso(created), lastSeen: iso(created), alertCount: 1, helpRequested: false, createdAt: iso(created), updatedAt: iso(created),
      acknowledgedAt: null, resolvedAt: status === 'resolved' || status === 'closed' ? iso(created + 1000) : null, closedAt: null,
    };
  }

  it('returns the scope’s own incidents that are open or created since the time, not those it responds to', () => {
    const specs: [string, string, IncidentStatus, number][] = [
      ['open-old', 'hn', 'investigating', day1 - 40 * 86_400_000],
      ['closed-old', 'hn', 'closed', day1 - 40 * 86_400_000],
      ['resolved-new', 'hn', 'resolved', day1 + 1000],
      ['hcm-open', 'hcm', 'new', day1],
    ];
    for (const [id, orgId, status, created] of specs) {
      store.incidents.create(system, incident(id, orgId, status, created), [], [], {
        id: `tml_${id}`, incidentId: id, at: iso(created), actor: 'system', actorOrgId: null, action: 'created', text: 'created', data: null,
      });
    }
    store.incidents.addResponder(system, { incidentId: 'hcm-open', orgId: 'firm', assignedBy: 'u', assignedAt: iso(day1) }, {
      id: 'tml_r', incidentId: 'hcm-open', at: iso(day1), actor: 'u', actorOrgId: 'vn', action: 'responder-assigned', text: 'firm', data: null,
    });
    const ids = (scope: Scope) => store.incidents.openOrCreatedSince(scope, day1).map((i) => i.id).sort();
    expect(ids(system)).toEqual(['hcm-open', 'open-old', 'resolved-new']);
    expect(ids(Scope.single('hn'))).toEqual(['open-old', 'resolved-new']);
    expect(ids(Scope.single('firm'))).toEqual([]);
  });
});

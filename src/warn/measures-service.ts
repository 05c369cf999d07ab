/**
 * @module warn/measures-service
 * Reads what the measures need from the store, in the caller's scope, and hands it to the pure
 * computations (warn/measures, warn/posture, warn/campaign-timeline). One call reads each source
 * once for the whole subtree: the recipients of issued warnings, the incidents open or created in
 * the period, the systems inventory, and for each sensor watching a system its latest event within
 * the silence window (`EventRepository.latestBySensor`: a short indexed probe per sensor).
 */
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Organization } from '../core/model.js';
import type { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import { campaignTimeline, type CampaignTimeline } from './campaign-timeline.js';
import { computeMeasures, defaultSilenceMs, type Measures, type OrgMeasures } from './measures.js';
import { postureOf, type Posture } from './posture.js';

export interface MeasuresOptions {
  /** A sensor silent this long makes its systems count as sending nothing. */
  silenceHours: number;
  /** At most this many entries in each list of systems or overdue items. */
  listLimit: number;
}

export const defaultMeasuresOptions: MeasuresOptions = { silenceHours: defaultSilenceMs / 3_600_000, listLimit: 200 };

/** Epoch ms, both inclusive. */
export interface MeasuresPeriod {
  from: number;
  to: number;
}

export interface OrgLabel {
  orgId: string;
  code: string;
  name: { vi: string; en: string };
  kind: Organization['kind'];
}

export interface OrgReport extends OrgLabel {
  own: Measures;
  subtree: Measures;
}

export interface MeasuresReport {
  period: { from: string; to: string };
  silenceHours: number;
  org: OrgReport;
  /** One level down, within the scope. */
  children: OrgReport[];
}

export interface PostureReport extends Posture, OrgLabel {
  period: { from: string; to: string };
  children: (OrgLabel & { score: number })[];
}

const label = (org: Organization): OrgLabel => ({ orgId: org.id, code: org.code, name: { vi: org.nameVi, en: org.nameEn }, kind: org.kind });

export class MeasuresService {
  private readonly options: MeasuresOptions;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    options: Partial<MeasuresOptions> = {},
  ) {
    this.options = { ...defaultMeasuresOptions, ...options };
  }

  /** The last `days` days up to now. */
  lastDays(days: number): MeasuresPeriod {
    const now = this.clock.now();
    return { from: now - days * 86_400_000, to: now };
  }

  /** Measures of every organisation of `scope` (the subtree of `rootOrgId`). */
  private compute(scope: Scope, period: MeasuresPeriod): { orgs: Organization[]; measures: Map<string, OrgMeasures> } {
    const now = this.clock.now();
    const silenceMs = this.options.silenceHours * 3_600_000;
    const orgs = this.store.orgs.list(scope);
    const systems = this.store.systems.list(scope);
    const sensors = systems.flatMap((s) => s.sensorIds.map((sensorId) => ({ sensorId, orgId: s.orgId })));
    const measures = computeMeasures({
      now,
      period: { from: period.from, to: period.to + 1 },
      orgs,
      // Every issued warning: "overdue now" looks past the period.
      recipients: this.store.warnings.allRecipients(scope, 0),
      incidents: this.store.incidents.openOrCreatedSince(scope, period.from),
      systems,
      sensorLastEvent: this.store.events.latestBySensor(scope, sensors, now - silenceMs),
      silenceMs,
      listLimit: this.options.listLimit,
    });
    return { orgs, measures };
  }

  private periodOut(period: MeasuresPeriod): { from: string; to: string } {
    return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() };
  }

  /** The organisation `orgId` (whose subtree `scope` is) and its children, own and rolled up. */
  report(scope: Scope, orgId: string, period: MeasuresPeriod): MeasuresReport {
    const { orgs, measures } = this.compute(scope, period);
    const byId = new Map(orgs.map((o) => [o.id, o]));
    const root = byId.get(orgId);
    const rootMeasures = measures.get(orgId);
    if (!root || !rootMeasures) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: orgId });
    const children = orgs
      .filter((o) => o.parentId === orgId)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((o) => ({ ...label(o), own: (measures.get(o.id) as OrgMeasures).own, subtree: (measures.get(o.id) as OrgMeasures).subtree }));
    return {
      period: this.periodOut(period),
      silenceHours: this.options.silenceHours,
      org: { ...label(root), own: rootMeasures.own, subtree: rootMeasures.subtree },
      children,
    };
  }

  /** The posture of `orgId` (from its subtree's measures), with its children's scores. */
  posture(scope: Scope, orgId: string, period: MeasuresPeriod): PostureReport {
    const { orgs, measures } = this.compute(scope, period);
    const root = orgs.find((o) => o.id === orgId);
    const rootMeasures = measures.get(orgId);
    if (!root || !rootMeasures) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: orgId });
    const silence = { silenceHours: this.options.silenceHours };
    const children = orgs
      .filter((o) => o.parentId === orgId)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((o) => ({ ...label(o), score: postureOf(o.id, (measures.get(o.id) as OrgMeasures).subtree, silence).score }));
    return { ...label(root), ...postureOf(orgId, rootMeasures.subtree, silence), period: this.periodOut(period), children };
  }

  /**
   * For the centre (an unrestricted scope): each campaign detected in the period, from its first
   * detection to the last targeted organisation warned. Newest first.
   */
  campaigns(scope: Scope, period: MeasuresPeriod): { period: { from: string; to: string }; items: CampaignTimeline[] } {
    const viewer = { scope, orgId: null };
    const items: CampaignTimeline[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = this.store.campaigns.list({ limit: 500, ...(cursor !== undefined ? { cursor } : {}) });
      let older = false;
      for (const campaign of page.items) {
        const detected = Date.parse(campaign.detectedAt);
        if (detected < period.from) {
          older = true;
          continue;
        }
        if (detected > period.to) continue;
        const warning = campaign.warningId === null ? null : this.store.warnings.getOwned(scope, campaign.warningId);
        if (warning === null || warning.status === 'draft') {
          items.push(campaignTimeline(campaign, warning === null ? null : { id: warning.id, issuedAt: null, recipientOrgIds: [] }, []));
          continue;
        }
        const recipients = this.store.warnings.recipients(viewer, warning.id).map((r) => r.orgId);
        const deliveries = this.store.deliveries.list(scope, { subjectId: warning.id, limit: 1_000_000 });
        items.push(campaignTimeline(campaign, { id: warning.id, issuedAt: warning.issuedAt, recipientOrgIds: recipients }, deliveries));
      }
      // Newest first: once a page reaches campaigns detected before the period, none later is in it.
      if (older || page.next === null) break;
      cursor = page.next;
    }
    return { period: this.periodOut(period), items };
  }
}

/**
 * @module intel/pipeline
 * Threat intelligence in the detection pipeline. The matcher (intel/matcher.ts) holds every
 * indicator in force in memory and follows the store's changes by version, so an event costs hash
 * lookups, never a query. A hit becomes
 *  - a sighting, always (the owner of the indicator learns where it was seen), and
 *  - an alert `vigil-intel-match` for the event's organisation — only when TLP lets that
 *    organisation see the indicator (intel/tlp.ts): a RED indicator shared with one province never
 *    alerts, and so never reveals itself, to another.
 *
 * Indicators that arrive while Vigil runs are also hunted in the stored events of the last
 * `retroDays` ("who talked to this address in the last 30 days"), a few pages per batch so live
 * detection never waits long. Alert ids derive from the indicator and the event, so the live and the
 * retrospective pass, or a replay, never store one twice.
 */
import { openAlert, type Alert, type AlertSeverity } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { OrgTree } from '../orgs/tree.js';
import type { StoredEvent, Store } from '../store/store.js';
import { effectiveConfidence } from './decay.js';
import { IndicatorMatcher, type MatchHit } from './matcher.js';
import type { Indicator, Sighting } from './model.js';
import { formatTlp, maySee } from './tlp.js';
import type { WarningLists } from './warning-lists.js';

export const INTEL_RULE_ID = 'vigil-intel-match';
export const intelRule = { id: INTEL_RULE_ID, title: 'Threat intelligence match', tags: ['attack.command-and-control'] } as const;

const system = Scope.system('intelligence matching reads every indicator and every organisation’s events');
/** Indicator changes are pulled at most this often. */
const SYNC_EVERY_MS = 1_000;
const CHANGES_PAGE = 10_000;
/** Pages of stored events a retrospective hunt reads per detection batch. */
const RETRO_PAGES_PER_STEP = 5;
const RETRO_PAGE = 1_000;
const DAY_MS = 86_400_000;

/** The pipeline's deterministic alert ids (detection-service `alertId`): rule and key. */
export type AlertIdOf = (ruleId: string, key: string) => string;

export interface IntelPipelineOptions {
  warningLists: WarningLists;
  alertId: AlertIdOf;
  retroDays: number;
  tree: () => OrgTree;
  now: () => number;
  log?: (message: string) => void;
}

interface RetroHunt {
  matcher: IndicatorMatcher;
  from: number;
  to: number;
  cursor: string | undefined;
  scanned: number;
}

export interface IntelResult {
  alerts: Alert[];
  sightings: Sighting[];
}

export class IntelPipeline {
  private readonly matcher: IndicatorMatcher;
  private version = 0;
  private loaded = false;
  private lastSync = 0;
  private pendingRetro: Indicator[] = [];
  private hunt: RetroHunt | null = null;
  readonly counters = { hits: 0, alerts: 0, withheldByTlp: 0, retroEvents: 0, retroHits: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: IntelPipelineOptions,
  ) {
    // Only ids and values stay in the matcher; a hit reads its indicator from the store (rare).
    this.matcher = new IndicatorMatcher([], { warnings: options.warningLists, now: options.now, resolve: (id) => this.store.indicators.find(system, id) ?? undefined });
  }

  get size(): number {
    return this.matcher.size;
  }

  /** Pulls what changed in the store since the last pull. The first pull loads everything. */
  sync(force = false): void {
    const now = this.options.now();
    if (!force && now - this.lastSync < SYNC_EVERY_MS) return;
    this.lastSync = now;
    for (;;) {
      const page = this.store.indicators.changedSince(system, this.version, CHANGES_PAGE);
      for (const indicator of page.items) {
        const known = this.matcher.has(indicator.id);
        const outcome = this.matcher.add(indicator);
        // Indicators new to a running centre are hunted in the past too (not the initial load).
        if (this.loaded && !known && 'added' in outcome) this.pendingRetro.push(indicator);
      }
      this.version = page.version;
      if (page.items.length < CHANGES_PAGE) break;
    }
    if (!this.loaded) {
      this.loaded = true;
      this.options.log?.(`intel: ${this.matcher.size} indicators in force`);
    }
  }

  /** Matches one stored event (live). */
  match(stored: StoredEvent, orgId: string, createdAt: string, out: IntelResult): void {
    const hits = this.matcher.match(stored.event);
    if (hits.length > 0) this.record(hits, stored, orgId, createdAt, out);
  }

  /**
   * One step of the retrospective hunt for indicators that arrived while running: at most a few
   * pages of stored events, newest first, up to `upToSeq` (what live matching has not seen with
   * these indicators). Returns true while there is more to do.
   */
  retroStep(upToSeq: number, createdAt: string, out: IntelResult): boolean {
    if (this.hunt === null) {
      if (this.pendingRetro.length === 0 || this.options.retroDays <= 0) {
        this.pendingRetro = [];
        return false;
      }
      const now = this.options.now();
      this.hunt = {
        matcher: new IndicatorMatcher(this.pendingRetro, { warnings: this.options.warningLists, now: this.options.now }),
        from: now - this.options.retroDays * DAY_MS,
        to: now + 1,
        cursor: undefined,
        scanned: 0,
      };
      this.pendingRetro = [];
    }
    const hunt = this.hunt;
    for (let i = 0; i < RETRO_PAGES_PER_STEP; i++) {
      const page = this.store.events.search(system, { from: hunt.from, to: hunt.to, limit: RETRO_PAGE, ...(hunt.cursor ? { cursor: hunt.cursor } : {}) });
      for (const stored of page.events) {
        if (stored.seq > upToSeq) continue;
        const orgId = stored.event.organization?.id;
        if (orgId === undefined) continue;
        hunt.scanned++;
        const hits = hunt.matcher.match(stored.event);
        if (hits.length > 0) {
          this.counters.retroHits += hits.length;
          this.record(hits, stored, orgId, createdAt, out);
        }
      }
      this.counters.retroEvents += page.events.length;
      hunt.cursor = page.next ?? undefined;
      if (!hunt.cursor) {
        this.options.log?.(`intel: retrospective hunt for ${hunt.matcher.size} new indicators read ${hunt.scanned} events of the last ${this.options.retroDays} days`);
        this.hunt = null;
        return this.pendingRetro.length > 0;
      }
    }
    return true;
  }

  private record(hits: MatchHit[], stored: StoredEvent, orgId: string, createdAt: string, out: IntelResult): void {
    const tree = this.options.tree();
    for (const hit of hits) {
      this.counters.hits++;
      const indicator = hit.indicator;
      out.sightings.push({ indicatorId: indicator.id, orgId, eventSeq: stored.seq, eventTime: stored.event['@timestamp'], field: hit.field, value: hit.value });
      if (!maySee(indicator, orgId, tree)) {
        this.counters.withheldByTlp++;
        continue;
      }
      this.counters.alerts++;
      out.alerts.push(intelAlert(indicator, hit, stored, orgId, createdAt, this.options.now(), this.options.alertId));
    }
  }
}

function severityOf(confidence: number): AlertSeverity {
  return confidence >= 80 ? 'high' : confidence >= 50 ? 'medium' : 'low';
}

function intelAlert(indicator: Indicator, hit: MatchHit, stored: StoredEvent, orgId: string, createdAt: string, now: number, idOf: AlertIdOf): Alert {
  const confidence = Math.round(effectiveConfidence(indicator, now));
  const context = [indicator.source, `confidence ${confidence}`, formatTlp(indicator.tlp), ...indicator.labels.slice(0, 3)].join(', ');
  return openAlert({
    id: idOf(INTEL_RULE_ID, `${indicator.id}\u0000${stored.seq}\u0000${hit.field}`),
    orgId,
    ruleId: INTEL_RULE_ID,
    ruleTitle: `${intelRule.title}: ${indicator.type} ${indicator.value.length > 120 ? `${indicator.value.slice(0, 120)}…` : indicator.value}`,
    kind: 'detection',
    severity: severityOf(confidence),
    tags: [...intelRule.tags, ...indicator.attack.map((t) => `attack.${t.toLowerCase()}`)],
    eventTime: stored.event['@timestamp'],
    createdAt,
    eventSeqs: [stored.seq],
    matchedFields: [hit.field],
    group: { [hit.field]: hit.value },
    details: {
      summary: `${hit.field} ${hit.value} matches ${indicator.type} indicator ${indicator.value} (${context})`,
      measures: { confidence },
      indicator: { id: indicator.id, type: indicator.type, value: indicator.value, source: indicator.source, confidence, tlp: indicator.tlp, labels: indicator.labels },
    },
  });
}

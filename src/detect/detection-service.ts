/**
 * @module detect/detection-service
 * Detection in the pipeline. It consumes stored events in `seq` order from a persisted cursor:
 * each event is routed to the rules whose logsource can apply, matched, and turned into alerts
 * owned by the event's organisation; rule matches also feed the correlation engine. Alerts are
 * stored before the cursor (and the correlation windows) are saved together, so after a crash the
 * last batch is simply processed again — at least once — and its alerts, whose ids are derived
 * from the rule and the events, are not stored twice.
 */
import { createHash } from 'node:crypto';
import { behaviourAlert, behaviourRuleId } from '../analyze/behaviour-alerts.js';
import { BehaviourEngine, type BehaviourOptions } from '../analyze/behaviour/index.js';
import { PARAMETER_FIELD } from '../analyze/parameter-key.js';
import { INTEL_RULE_ID, IntelPipeline, type IntelResult } from '../intel/pipeline.js';
import type { WarningLists } from '../intel/warning-lists.js';
import { isWebEvent, WebEventAnalyzer, type WebFinding } from '../analyze/web-alerts.js';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../core/clock.js';
import { getField, type EcsEvent, type EcsObject } from '../core/event.js';
import { openAlert, type Alert, type AlertSeverity, type RuleException, type RuleSetting } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { IncidentGrouper, type GroupingContext, type IncidentGroupingOptions } from '../warn/incident-grouper.js';
import type { Incident } from '../warn/incident-model.js';
import { CampaignService, type CampaignOptions } from '../warn/campaigns.js';
import type { NotificationSink } from '../warn/notification.js';
import { WarningService, type EscalationOptions } from '../warn/warning-service.js';
import { emptyAttributor, SystemAttributor } from '../inventory/attribution.js';
import type { OrgTree } from '../orgs/tree.js';
import type { StoredEvent, Store } from '../store/store.js';
import { MAX_INCIDENT_SUMMARIES, summariseDetections, type DetectionsReport } from './detections-report.js';
import { RuleIndex } from './rule-index.js';
import { emptyRuleSet, type DetectionControl, type RuleSet, type RuleSink } from './rule-set.js';
import type { CompiledRule, CorrelationHit, CorrelationSpec, FieldGetter, RuleMatch } from './sigma/contract.js';
import { CorrelationEngine } from './sigma/correlation/engine.js';
import { fieldGetterFor } from './sigma/fields/getter.js';

export const DETECTION_CONSUMER = 'detect';
/** The behaviour engine's baselines and windows, saved beside detection's cursor. */
export const BEHAVIOUR_STATE = 'detect.behaviour';
const system = Scope.system('detection consumes every organisation’s events');
/** Correlations count per organisation: one agency's failures never add up with another's. */
const ORG_FIELD = 'organization.id';

interface RoutedRule {
  rule: CompiledRule;
  get: FieldGetter;
  /**
   * False when a correlation refers to the rule without `generate: true`: by default only the
   * correlation produces results (Sigma correlation rules specification, "Generate").
   */
  alerts: boolean;
}

/**
 * Correlation state is saved with the cursor after every batch, so it must stay small: at most
 * 20,000 live groups per correlation and 1,000 retained events per group (a group that reaches a
 * threshold fires and starts again long before that).
 */
const correlationLimits = { maxGroupsPerCorrelation: 20_000, maxEventsPerGroup: 1_000 };

/**
 * The cursor and the correlation windows are saved together, at most this often (and at stop).
 * After a crash detection resumes from the last save: the events since are processed again against
 * the windows as they were then — at least once — and give the same alert ids, so nothing is
 * stored twice. Saving after every batch would serialise the windows thousands of times a second.
 */
const SAVE_EVERY_MS = 2_000;

/**
 * The behaviour engine's state (weeks of baselines, account histories) is larger, and it is saved
 * less often. After a crash the events since its last save are not learned again (detection
 * resumes from its own cursor): at most this much of the baselines' input is lost, never alerts
 * already stored. At a clean stop both are saved.
 */
const BEHAVIOUR_SAVE_EVERY_MS = 30_000;

export interface DetectionOptions {
  batchSize?: number;
  /** Also run the web-transaction analyser over web events (alerts under `vigil-web-<class>`). */
  webAnalysis?: boolean;
  /** Behavioural analysis (alerts under `vigil-behaviour-<kind>`): false, or options (default on). */
  behaviour?: false | Partial<BehaviourOptions>;
  /** Threat-intelligence matching (alerts `vigil-intel-match`, sightings): false, or its settings. */
  intel?: false | { warningLists: WarningLists; retroDays: number };
  /** Grouping of new alerts into incidents (warn/incident-grouper): false, or its settings (default on). */
  incidents?: false | Partial<IncidentGroupingOptions>;
  /** Campaign detection across organisations (warn/campaigns): false, or its settings (default on). */
  campaigns?: false | Partial<CampaignOptions>;
  /** Where campaign warnings go (delivery's outbox); without it campaigns wait for an analyst. */
  notifications?: NotificationSink;
  /** Escalation steps of warnings, for the campaign warnings' service. */
  escalation?: Partial<EscalationOptions>;
  /** New alerts and the incidents they opened or grew, summarised and bounded (the live stream). */
  onDetections?: (report: DetectionsReport) => void;
  /** Called after each batch (metrics, tests). */
  onBatch?: (info: { events: number; alerts: number; lastSeq: number }) => void;
  log?: (message: string) => void;
}

export class DetectionService implements DetectionControl, RuleSink {
  private ruleSet: RuleSet = emptyRuleSet;
  private index = new RuleIndex<RoutedRule>([]);
  private correlation = new CorrelationEngine([], correlationLimits);
  private correlationById = new Map<string, CorrelationSpec>();
  private running = false;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private controlsVersion = -1;
  private exceptionsByRule = new Map<string, RuleException[]>();
  private disabledByOrg = new Map<string, Set<string>>();
  private settings: RuleSetting[] = [];
  /** Which information system an event concerns; rebuilt with the controls (systems changed). */
  private attributor: SystemAttributor = emptyAttributor;
  controlsChanged = 0;
  /** Last seq processed (in memory); the persisted cursor trails it by at most SAVE_EVERY_MS. */
  private position: number | null = null;
  private readonly web: WebEventAnalyzer | null;
  private behaviour: BehaviourEngine | null;
  private readonly intel: IntelPipeline | null;
  private readonly incidents: IncidentGrouper | null;
  private readonly campaigns: CampaignService | null;
  private lastSave = 0;
  private lastBehaviourSave = 0;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly tree: () => OrgTree,
    private readonly options: DetectionOptions = {},
  ) {
    this.web = options.webAnalysis === false ? null : new WebEventAnalyzer();
    this.behaviour = options.behaviour === false ? null : new BehaviourEngine(options.behaviour ?? {});
    this.incidents = options.incidents === false ? null : new IncidentGrouper(store.incidents, incidentContext(store), options.incidents ?? {});
    const warnings = options.notifications ? new WarningService(store, options.notifications, clock, options.escalation ?? {}) : null;
    this.campaigns = options.campaigns === false ? null : new CampaignService(store, warnings, clock, options.campaigns ?? {});
    this.intel = !options.intel
      ? null
      : new IntelPipeline(store, { ...options.intel, alertId, tree, now: () => clock.now(), ...(options.log ? { log: options.log } : {}) });
  }

  private readonly eventOf = (seq: number): EcsEvent | null => this.store.events.get(system, seq)?.event ?? null;

  /** Swaps in a new rule set; correlation windows of correlations that still exist are kept. */
  setRules(ruleSet: RuleSet): void {
    const state = this.correlation.snapshot();
    this.ruleSet = ruleSet;
    const correlations = ruleSet.correlations.map(perOrganisation);
    this.correlationById = new Map(correlations.map((c) => [c.id, c]));
    this.correlation = CorrelationEngine.restore(correlations, state, correlationLimits);
    const silenced = new Set<string>();
    for (const c of ruleSet.correlations) {
      if (!c.generate) for (const ref of c.rules) silenced.add(ref);
    }
    this.index = new RuleIndex(
      ruleSet.rules.map((rule) => ({
        rule,
        get: fieldGetterFor(rule.logsource),
        alerts: !silenced.has(rule.id) && !(rule.name !== null && silenced.has(rule.name)),
      })),
    );
  }

  rules(): RuleSet {
    return this.ruleSet;
  }

  /** Exceptions, settings or information systems changed: reload them before the next batch. */
  reloadControls(): void {
    this.controlsChanged++;
  }

  start(): void {
    const saved = this.store.consumerState.get(system, DETECTION_CONSUMER);
    if (saved !== null) {
      try {
        const specs = this.ruleSet.correlations.map(perOrganisation);
        this.correlation = CorrelationEngine.restore(specs, JSON.parse(saved), correlationLimits);
      } catch (error) {
        this.options.log?.(`detection: correlation state could not be restored (${String(error)}); windows start empty`);
      }
    }
    const behaviourState = this.behaviour === null ? null : this.store.consumerState.get(system, BEHAVIOUR_STATE);
    if (behaviourState !== null) {
      try {
        this.behaviour = BehaviourEngine.restore(JSON.parse(behaviourState), this.options.behaviour || {});
        const learnedTo = this.store.cursors.get(system, BEHAVIOUR_STATE);
        const detectedTo = this.store.cursors.get(system, DETECTION_CONSUMER);
        if (learnedTo < detectedTo) this.options.log?.(`detection: behaviour baselines miss events ${learnedTo + 1}–${detectedTo} (saved less often than the cursor; see BEHAVIOUR_SAVE_EVERY_MS)`);
      } catch (error) {
        this.options.log?.(`detection: behaviour baselines could not be restored (${String(error)}); learning starts again`);
      }
    }
    this.unsubscribe = this.bus.subscribe('events.stored', () => this.schedule());
    this.timer = setInterval(() => this.schedule(), 1000);
    this.timer.unref();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
    this.save();
  }

  /** Processes events again from after `seq` (an operator re-running detection; tests). */
  rewind(seq: number): void {
    this.position = seq;
    this.store.consumerState.save(system, DETECTION_CONSUMER, seq, JSON.stringify(this.correlation.snapshot()));
  }

  private save(withBehaviour = true): void {
    if (this.position === null) return;
    this.store.consumerState.save(system, DETECTION_CONSUMER, this.position, JSON.stringify(this.correlation.snapshot()));
    this.lastSave = this.clock.now();
    if (withBehaviour && this.behaviour !== null) {
      this.store.consumerState.save(system, BEHAVIOUR_STATE, this.position, JSON.stringify(this.behaviour.snapshot()));
      this.lastBehaviourSave = this.lastSave;
    }
  }

  /** New events may be there: run now (the bus and a timer also wake it). */
  wake(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    setImmediate(() => {
      try {
        while (!this.stopped && (this.runBatch() > 0 || this.runRetroHunt()));
      } catch (error) {
        this.options.log?.(`detection: batch failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      }
    });
  }

  /** The last seq processed. */
  processedSeq(): number {
    return this.position ?? this.store.cursors.get(system, DETECTION_CONSUMER);
  }

  /** Processes one batch after the cursor; returns how many events it read. Synchronous. */
  runBatch(): number {
    this.position ??= this.store.cursors.get(system, DETECTION_CONSUMER);
    this.intel?.sync();
    const events = this.store.events.readAfter(system, this.position, this.options.batchSize ?? 2000);
    if (events.length === 0) return 0;
    this.refreshControls();
    const alerts: Alert[] = [];
    const intel: IntelResult = { alerts: [], sightings: [] };
    const now = new Date(this.clock.now()).toISOString();
    for (const stored of events) this.detect(stored, alerts, now, intel);
    const lastSeq = (events[events.length - 1] as StoredEvent).seq;
    this.keepIntelAlerts(intel, alerts);
    this.store.alerts.insert(system, alerts);
    this.reportDetections(alerts, this.incidents?.group(alerts, now));
    this.campaigns?.observe(alerts, this.eventOf);
    this.store.sightings.record(system, intel.sightings);
    this.position = lastSeq;
    const at = this.clock.now();
    if (at - this.lastSave >= SAVE_EVERY_MS) this.save(at - this.lastBehaviourSave >= BEHAVIOUR_SAVE_EVERY_MS);
    this.options.onBatch?.({ events: events.length, alerts: alerts.length, lastSeq });
    return events.length;
  }

  /**
   * One step of the retrospective hunt for indicators added while running (intel/pipeline.ts);
   * true while there is more to do.
   */
  runRetroHunt(): boolean {
    if (this.intel === null) return false;
    this.intel.sync();
    this.refreshControls();
    const found: IntelResult = { alerts: [], sightings: [] };
    const more = this.intel.retroStep(this.processedSeq(), new Date(this.clock.now()).toISOString(), found);
    const alerts: Alert[] = [];
    this.keepIntelAlerts(found, alerts);
    this.store.alerts.insert(system, alerts);
    this.reportDetections(alerts, this.incidents?.group(alerts, new Date(this.clock.now()).toISOString()));
    this.campaigns?.observe(alerts, this.eventOf);
    this.store.sightings.record(system, found.sightings);
    return more;
  }

  /** Tells `onDetections` (the live stream) what this batch raised; never fails the batch. */
  private reportDetections(alerts: readonly Alert[], grouped: { created: Incident[]; updated: string[] } | undefined): void {
    const listener = this.options.onDetections;
    if (!listener || (alerts.length === 0 && !grouped?.created.length && !grouped?.updated.length)) return;
    try {
      const created = grouped?.created ?? [];
      const createdIds = new Set(created.map((i) => i.id));
      const updated = (grouped?.updated ?? []).filter((id) => !createdIds.has(id)).slice(0, MAX_INCIDENT_SUMMARIES).flatMap((id) => this.store.incidents.get(system, id) ?? []);
      listener(summariseDetections(alerts, created, updated));
    } catch (error) {
      this.options.log?.(`detection: live report failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Intelligence alerts, minus those switched off or excepted for their organisation. */
  private keepIntelAlerts(intel: IntelResult, alerts: Alert[]): void {
    for (const alert of intel.alerts) {
      if (this.disabledFor(alert.orgId).has(INTEL_RULE_ID)) continue;
      const seq = alert.eventSeqs[0];
      const stored = seq === undefined ? null : this.store.events.get(system, seq);
      if (stored !== null && this.excepted(INTEL_RULE_ID, alert.orgId, stored.event)) continue;
      if (stored !== null && alert.systemId === null) alert.systemId = this.attributor.systemOf(stored.event, alert.orgId);
      alerts.push(alert);
    }
  }

  private detect(stored: StoredEvent, alerts: Alert[], now: string, intel: IntelResult): void {
    const event = stored.event;
    const orgId = event.organization?.id;
    if (orgId === undefined) return;
    const firstAlert = alerts.length;
    this.intel?.match(stored, orgId, now, intel);
    const time = Date.parse(event['@timestamp']);
    const disabled = this.disabledFor(orgId);
    if (this.web !== null && isWebEvent(event)) this.analyseWeb(stored, orgId, disabled, alerts, now);
    if (this.behaviour !== null) {
      for (const finding of this.behaviour.observe(event)) {
        const ruleId = behaviourRuleId(finding.kind);
        if (disabled.has(ruleId) || this.excepted(ruleId, finding.orgId, event)) continue;
        alerts.push(behaviourAlert({ finding, seq: stored.seq, createdAt: now, idOf: alertId }));
      }
    }
    for (const routed of this.index.candidates(event)) {
      const rule = routed.rule;
      if (disabled.has(rule.id)) continue;
      if (!rule.matches(event, routed.get)) continue;
      if (this.excepted(rule.id, orgId, event)) continue;
      if (routed.alerts) alerts.push(this.detectionAlert(rule, stored, orgId, routed.get, now));
      const match: RuleMatch = {
        ruleId: rule.id,
        ruleName: rule.name,
        time,
        ref: stored.seq,
        value: (field) => (field === ORG_FIELD ? orgId : routed.get(event, field)),
      };
      for (const hit of this.correlation.process(match)) {
        const spec = this.correlationById.get(hit.correlationId);
        const hitOrg = hit.group[ORG_FIELD] ?? orgId;
        if (spec && !disabled.has(spec.id) && !this.excepted(spec.id, hitOrg, event)) alerts.push(correlationAlert(spec, hit, hitOrg, event, now));
      }
    }
    if (alerts.length > firstAlert) this.attributeAlerts(event, orgId, alerts, firstAlert);
  }

  /**
   * The one place alerts get their system: every alert raised on an event (rules, correlations,
   * analyser, behaviour) is attributed by that event, once, and only to a system of the alert's
   * own organisation. Intelligence alerts are attributed in `keepIntelAlerts`.
   */
  private attributeAlerts(event: EcsEvent, orgId: string, alerts: Alert[], from: number): void {
    const systemId = this.attributor.systemOf(event, orgId);
    if (systemId === null) return;
    for (let i = from; i < alerts.length; i++) {
      const alert = alerts[i] as Alert;
      if (alert.orgId === orgId && alert.systemId === null) alert.systemId = systemId;
    }
  }

  /** The analyser's verdict on a web event, as alerts (same ids, exceptions and switches as rules). */
  private analyseWeb(stored: StoredEvent, orgId: string, disabled: Set<string>, alerts: Alert[], now: string): void {
    const event = stored.event;
    for (const found of (this.web as WebEventAnalyzer).inspect(event, stored.seq)) {
      if (disabled.has(found.ruleId) || this.excepted(found.ruleId, orgId, event)) continue;
      const finding = this.withoutSuppressedParameters(found, orgId);
      if (finding === null) continue;
      alerts.push(openAlert({
        id: alertId(finding.ruleId, String(stored.seq)),
        orgId,
        ruleId: finding.ruleId,
        ruleTitle: finding.title,
        kind: 'detection',
        severity: finding.severity,
        tags: finding.tags,
        eventTime: event['@timestamp'],
        createdAt: now,
        eventSeqs: [stored.seq],
        matchedFields: finding.locations,
        group: null,
        details: { evidence: finding.evidence },
      }));
    }
  }

  /**
   * The finding without the parameters an analyst marked as false positives for this service
   * (exceptions on {@link PARAMETER_FIELD}); null when none is left.
   */
  private withoutSuppressedParameters(finding: WebFinding, orgId: string): WebFinding | null {
    const exceptions = this.exceptionsByRule.get(finding.ruleId);
    if (!exceptions?.some((e) => e.field === PARAMETER_FIELD)) return finding;
    const chain = new Set(this.tree().ancestors(orgId).map((o) => o.id));
    const suppressed = new Set(exceptions.filter((e) => e.field === PARAMETER_FIELD && chain.has(e.orgId)).map((e) => e.value));
    const keep = finding.parameterKeys.map((key) => !suppressed.has(key));
    if (keep.every(Boolean)) return finding;
    if (!keep.some(Boolean)) return null;
    const locations = finding.locations.filter((_, i) => keep[i]);
    return { ...finding, locations, parameterKeys: finding.parameterKeys.filter((_, i) => keep[i]), evidence: finding.evidence.filter((e) => locations.includes(e.location)) };
  }

  private detectionAlert(rule: CompiledRule, stored: StoredEvent, orgId: string, get: FieldGetter, now: string): Alert {
    return openAlert({
      id: alertId(rule.id, String(stored.seq)),
      orgId,
      ruleId: rule.id,
      ruleTitle: rule.title,
      kind: 'detection',
      severity: severityOf(rule.level),
      tags: rule.tags,
      eventTime: stored.event['@timestamp'],
      createdAt: now,
      eventSeqs: [stored.seq],
      matchedFields: rule.matchedFields(stored.event, get),
      group: null,
      details: null,
    });
  }

  private refreshControls(): void {
    if (this.controlsVersion === this.controlsChanged) return;
    this.controlsVersion = this.controlsChanged;
    this.exceptionsByRule = new Map();
    for (const exception of this.store.ruleExceptions.list(system)) {
      const list = this.exceptionsByRule.get(exception.ruleId);
      if (list) list.push(exception);
      else this.exceptionsByRule.set(exception.ruleId, [exception]);
    }
    this.settings = this.store.ruleSettings.list(system);
    this.disabledByOrg = new Map();
    this.attributor = new SystemAttributor(this.store.systems.list(system));
  }

  /** Rules switched off for an organisation: the setting nearest to it in its chain wins. */
  private disabledFor(orgId: string): Set<string> {
    let disabled = this.disabledByOrg.get(orgId);
    if (disabled) return disabled;
    disabled = new Set();
    const chain = this.tree().ancestors(orgId).map((o) => o.id);
    const byRule = new Map<string, RuleSetting[]>();
    for (const setting of this.settings) {
      const list = byRule.get(setting.ruleId);
      if (list) list.push(setting);
      else byRule.set(setting.ruleId, [setting]);
    }
    for (const [ruleId, settings] of byRule) {
      let decided: boolean | null = null;
      for (const id of chain) {
        const own = settings.find((s) => s.orgId === id);
        if (own) {
          decided = own.enabled;
          break;
        }
      }
      if (decided === null) decided = settings.find((s) => s.orgId === null)?.enabled ?? true;
      if (!decided) disabled.add(ruleId);
    }
    this.disabledByOrg.set(orgId, disabled);
    return disabled;
  }

  /** An exception of the event's organisation or of one above it suppresses the rule. */
  private excepted(ruleId: string, orgId: string, event: EcsEvent): boolean {
    const exceptions = this.exceptionsByRule.get(ruleId);
    if (!exceptions) return false;
    const chain = new Set(this.tree().ancestors(orgId).map((o) => o.id));
    for (const exception of exceptions) {
      if (!chain.has(exception.orgId)) continue;
      const value = getField(event as EcsObject, exception.field);
      if (Array.isArray(value) ? value.some((v) => String(v) === exception.value) : value !== undefined && value !== null && String(value) === exception.value) return true;
    }
    return false;
  }
}

function perOrganisation(spec: CorrelationSpec): CorrelationSpec {
  return spec.groupBy.includes(ORG_FIELD) ? spec : { ...spec, groupBy: [...spec.groupBy, ORG_FIELD] };
}

function correlationAlert(spec: CorrelationSpec, hit: CorrelationHit, orgId: string, event: EcsEvent, now: string): Alert {
  const { [ORG_FIELD]: _org, ...group } = hit.group;
  return openAlert({
    id: alertId(spec.id, `${JSON.stringify(hit.group)}:${hit.ref}`),
    orgId,
    ruleId: spec.id,
    ruleTitle: spec.title,
    kind: 'correlation',
    severity: severityOf(spec.level),
    tags: spec.tags,
    eventTime: event['@timestamp'],
    createdAt: now,
    eventSeqs: hit.refs.length > 0 ? hit.refs : [hit.ref],
    matchedFields: spec.groupBy.filter((f) => f !== ORG_FIELD),
    group,
    details: null,
  });
}

/** Sigma `level` → alert severity; a rule without a level is `medium` (Sigma's default guidance). */
export function severityOf(level: string | null): AlertSeverity {
  switch (level) {
    case 'informational':
    case 'low':
    case 'medium':
    case 'high':
    case 'critical':
      return level;
    default:
      return 'medium';
  }
}

/** Deterministic: the same rule over the same events always yields the same id. */
/** What incident grouping reads of the store: the alert's event, and its system's security level. */
function incidentContext(store: Store): GroupingContext {
  return {
    eventOf: (seq) => store.events.get(system, seq)?.event ?? null,
    systemOf: (alert) => {
      if (alert.systemId === null || alert.systemId === undefined) return null;
      const found = store.systems.get(system, alert.systemId);
      return found === null ? null : { id: found.id, securityLevel: found.securityLevel };
    },
  };
}

export function alertId(ruleId: string, key: string): string {
  return `alr_${createHash('sha256').update(`${ruleId}\u0000${key}`).digest('hex').slice(0, 32)}`;
}

/**
 * @module analyze/behaviour/engine
 * Behavioural analysis per client, per account and per service over event time (issue 4, part 2).
 * The engine observes ECS events one at a time, in order, and returns what they reveal: brute
 * force, credential stuffing, enumeration, scanning, rate and error anomalies against a seasonal
 * baseline, unusually large responses, and an established account's first admin section or first
 * country. It is pure and synchronous — no timers, no I/O, no wall clock: time is `@timestamp` —
 * so reprocessing the same events gives the same findings, and a snapshot restored in the middle of
 * a stream continues exactly. Everything is scoped by `organization.id` (every key's scope starts
 * with it; no state is shared between organisations) and every map is bounded, least recently seen
 * forgotten first. Hostile input never throws: what cannot be used is skipped and counted.
 */
import type { EcsEvent } from '../../core/event.js';
import { createAccountState, observeAccount, type AccountState } from './accounts.js';
import { BoundedMap, type Slot } from './bounded-map.js';
import type { DetectionContext } from './context.js';
import { observeEnumeration, type EnumerationTracker } from './enumeration.js';
import { createEventView, readEventView } from './event-view.js';
import { completeFinding, type BehaviourFinding, type FindingDraft } from './findings.js';
import { createSizeStats, observeResponseSize, type SizeStats } from './large-response.js';
import { createClientState, createServiceLogins, loginFailed, loginOutcome, loginSucceeded, notALogin, observeServiceLogin, observeSourceFailure, type ClientState, type LoginOutcome } from './logins.js';
import { accountBytes, clientBytes, keyBytes, serviceBytes, sizeStatsBytes, trackerBytes } from './memory.js';
import { resolveBehaviourOptions, type BehaviourOptions } from './options.js';
import { createIdList, pathTemplate, queryIdentifiers } from './paths.js';
import { isScanStatus, observeScanning } from './scanning.js';
import { createServiceState, observeServiceRequest, type ServiceState } from './service-rate.js';
import { layoutOf, parseSnapshot, snapshotVersion, type BehaviourCounters, type BehaviourSnapshot } from './snapshot.js';

export type { BehaviourFinding, BehaviourKind, BehaviourSeverity } from './findings.js';
export type { BehaviourOptions } from './options.js';
export type { BehaviourCounters, BehaviourSnapshot } from './snapshot.js';

/** Separates the parts of a composite scope: organisation, then client or service. */
const separator = '\u0000';
const recentServiceCount = 4;

interface ServiceShortcut {
  name: string;
  /** `<organisation>\0<service>`, the scope of its response-size statistics. */
  sizes: string;
  slot: Slot<ServiceState> | null;
}

export interface BehaviourStats {
  trackedClients: number;
  trackedAccounts: number;
  trackedServices: number;
  approxBytes: number;
}

export class BehaviourEngine {
  private readonly options: Readonly<BehaviourOptions>;
  private readonly context: DetectionContext;
  private readonly ids = createIdList();
  private clients: BoundedMap<ClientState>;
  private accounts: BoundedMap<AccountState>;
  private services: BoundedMap<ServiceState>;
  private responseSizes: BoundedMap<SizeStats>;
  private enumeration: BoundedMap<EnumerationTracker>;
  private tally = { received: 0, emitted: 0, unusable: 0, late: 0, failed: 0 };
  /** The organisation of the previous event and its key prefix: a batch comes from one sensor. */
  private lastOrg = { orgId: '', prefix: '' };
  /**
   * The last few services of that organisation (a portal's web and SSO events interleave), with
   * their slots and the scope of their response-size keys, so that their keys need not be built
   * and hashed again for every event. `service` is the current event's.
   */
  private recentServices: ServiceShortcut[] = Array.from({ length: recentServiceCount }, () => ({ name: '', sizes: '', slot: null }));
  private nextShortcut = 0;
  private service: ServiceShortcut = { name: '', sizes: '', slot: null };
  /** Findings of the event being observed; allocated only when one fires. */
  private found: BehaviourFinding[] | null = null;

  /** Options not given take the defaults of `defaultBehaviourOptions`; invalid ones throw, all named at once. */
  constructor(options?: Partial<BehaviourOptions>) {
    this.options = resolveBehaviourOptions(options);
    const o = this.options;
    this.clients = new BoundedMap(o.maxClients);
    this.accounts = new BoundedMap(o.maxAccounts);
    this.services = new BoundedMap(o.maxServices);
    this.responseSizes = new BoundedMap(o.maxResponseTemplates);
    this.enumeration = new BoundedMap(o.maxEnumerationTrackers);
    this.context = { view: createEventView(), options: o, event: undefined, emit: (draft) => this.record(draft) };
  }

  /**
   * Observes one event (in event-time order; late events are tolerated within each window) and
   * returns the findings it completes, usually none. The event's `organization.id` scopes all
   * state. Never throws.
   */
  observe(event: EcsEvent): BehaviourFinding[] {
    this.tally.received++;
    this.found = null;
    try {
      if (readEventView(event, this.context.view)) {
        this.context.event = event;
        this.observeView();
      } else this.tally.unusable++;
    } catch {
      // A bug must cost one event, not the stream; the count shows it.
      this.tally.failed++;
    }
    this.context.event = undefined;
    const found = this.found ?? [];
    this.found = null;
    return found;
  }

  private record(draft: FindingDraft): void {
    const view = this.context.view;
    (this.found ??= []).push(completeFinding(draft, view.orgId, view.timeMs));
    this.tally.emitted++;
  }

  private observeView(): void {
    const { view } = this.context;
    const org = this.orgPrefix();
    const service = this.serviceOf(org);
    if (view.web && !observeServiceRequest(service, this.context)) this.tally.late++;
    const login = loginOutcome(view);
    if (login !== notALogin) {
      const bucket = Math.floor(view.timeMs / (this.options.bucketSeconds * 1000));
      observeServiceLogin((service.logins ??= createServiceLogins(bucket)), this.context, login === loginFailed);
      if (login === loginFailed && view.ip !== '') observeSourceFailure(this.clients.obtain(view.orgId, view.ip, createClientState), this.context);
    }
    const template = view.web ? this.observeResponse() : '';
    if (view.user !== '' && this.succeeded(login)) {
      observeAccount(this.accounts.obtain(view.orgId, view.user, createAccountState), this.context, view.web && template === '' && view.path !== '' ? pathTemplate(view.path) : template);
    }
  }

  /** `<organisation>\0`, the start of composite scopes; the previous event's is reused. */
  private orgPrefix(): string {
    const { view } = this.context;
    if (this.lastOrg.orgId !== view.orgId) {
      this.lastOrg.orgId = view.orgId;
      this.lastOrg.prefix = view.orgId + separator;
      for (const shortcut of this.recentServices) shortcut.slot = null;
    }
    return this.lastOrg.prefix;
  }

  private serviceOf(org: string): ServiceState {
    const { view } = this.context;
    for (const shortcut of this.recentServices) {
      if (shortcut.slot !== null && shortcut.slot.live && shortcut.name === view.service) {
        this.service = shortcut;
        return this.services.use(shortcut.slot);
      }
    }
    const shortcut = this.recentServices[this.nextShortcut] as ServiceShortcut;
    this.nextShortcut = (this.nextShortcut + 1) % recentServiceCount;
    shortcut.slot = this.services.obtainSlot(view.orgId, view.service, createServiceState);
    shortcut.name = view.service;
    shortcut.sizes = org + view.service;
    this.service = shortcut;
    return shortcut.slot.value;
  }

  /** Scanning, enumeration and response sizes of a web event; its path template when 2xx, else ''. */
  private observeResponse(): string {
    const { view } = this.context;
    if (isScanStatus(view.status) && view.ip !== '') observeScanning(this.clients.obtain(view.orgId, view.ip, createClientState), this.context);
    if (view.status < 200 || view.status >= 300 || view.path === '') return '';
    const ids = this.ids;
    ids.count = 0;
    const template = pathTemplate(view.path, ids);
    if (view.query !== '') queryIdentifiers(view.query, ids);
    if (ids.count > 0 && view.ip !== '') observeEnumeration(this.enumeration, this.context, template, ids);
    if (view.bytes >= 0) observeResponseSize(this.responseSizes.obtain(this.service.sizes, template, createSizeStats), this.context, template);
    return template;
  }

  /** Whether the event is a success of its account: a login that worked, a 2xx/3xx request, an authentication success. */
  private succeeded(login: LoginOutcome): boolean {
    const { view } = this.context;
    if (login !== notALogin) return login === loginSucceeded;
    if (view.web) return view.status >= 200 && view.status < 400 && view.outcome !== 'failure';
    return view.outcome === 'success';
  }

  /** Counts of what the engine received, emitted, dropped (and why), failed on and forgot. */
  counters(): BehaviourCounters {
    const t = this.tally;
    return {
      received: t.received,
      emitted: t.emitted,
      dropped: { unusable: t.unusable, late: t.late },
      failed: t.failed,
      evicted: { clients: this.clients.evicted, accounts: this.accounts.evicted, services: this.services.evicted, responseSizes: this.responseSizes.evicted, enumeration: this.enumeration.evicted },
    };
  }

  /** The whole state as plain JSON-serialisable data (a copy: the engine goes on unaffected). */
  snapshot(): BehaviourSnapshot {
    return structuredClone({
      version: snapshotVersion,
      layout: layoutOf(this.options),
      counters: this.counters(),
      clients: this.clients.toData(),
      accounts: this.accounts.toData(),
      services: this.services.toData(),
      responseSizes: this.responseSizes.toData(),
      enumeration: this.enumeration.toData(),
    });
  }

  /**
   * An engine continuing from `snapshot` under `options` (defaults where not given). Throws a
   * BehaviourSnapshotError naming the problem when the snapshot is not one, has another version or
   * was taken with other bucket/window lengths or time zone.
   */
  static restore(snapshot: unknown, options?: Partial<BehaviourOptions>): BehaviourEngine {
    const engine = new BehaviourEngine(options);
    const data = parseSnapshot(snapshot, engine.options);
    const o = engine.options;
    engine.clients = BoundedMap.fromData(data.clients, o.maxClients);
    engine.accounts = BoundedMap.fromData(data.accounts, o.maxAccounts);
    engine.services = BoundedMap.fromData(data.services, o.maxServices);
    engine.responseSizes = BoundedMap.fromData(data.responseSizes, o.maxResponseTemplates);
    engine.enumeration = BoundedMap.fromData(data.enumeration, o.maxEnumerationTrackers);
    const c = data.counters;
    engine.tally = { received: c.received, emitted: c.emitted, unusable: c.dropped.unusable, late: c.dropped.late, failed: c.failed };
    engine.clients.evicted += c.evicted.clients;
    engine.accounts.evicted += c.evicted.accounts;
    engine.services.evicted += c.evicted.services;
    engine.responseSizes.evicted += c.evicted.responseSizes;
    engine.enumeration.evicted += c.evicted.enumeration;
    return engine;
  }

  /** Tracked keys and an estimate of the heap they hold (walks every map: not for the hot path). */
  stats(): BehaviourStats {
    let bytes = 0;
    for (const [, key, client] of this.clients.entries()) bytes += keyBytes(key) + clientBytes(client);
    for (const [, key, account] of this.accounts.entries()) bytes += keyBytes(key) + accountBytes(account);
    for (const [, key, service] of this.services.entries()) bytes += keyBytes(key) + serviceBytes(service);
    for (const [, key, stats] of this.responseSizes.entries()) bytes += keyBytes(key) + sizeStatsBytes(stats);
    for (const [, key, tracker] of this.enumeration.entries()) bytes += keyBytes(key) + trackerBytes(tracker);
    return { trackedClients: this.clients.size, trackedAccounts: this.accounts.size, trackedServices: this.services.size, approxBytes: bytes };
  }
}

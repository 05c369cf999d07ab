/**
 * @module store/store
 * The storage interfaces. `sqlite/` implements them for the embedded centre; a PostgreSQL adapter
 * will implement the same interfaces and pass the same conformance suite (`store.suite.ts`).
 *
 * Every method takes a `Scope` first: reads return only rows of organisations in the scope, writes
 * refuse (`VIGIL_ERR_OUT_OF_SCOPE`) rows for organisations outside it. Methods are synchronous: the
 * embedded store is in-process SQLite and the ingest hot path commits a whole batch in one call.
 *
 * Events carry a sequence number (`seq`), assigned at commit, strictly increasing in commit order
 * across the whole store. It is the cursor space of consumers (detection): a consumer persists the
 * last `seq` it finished and resumes with `events.readAfter(seq)`, which gives at-least-once
 * processing across restarts.
 */
import type { EcsEvent } from '../core/event.js';
import type { Indicator, IndicatorType, Sighting, Tlp } from '../intel/model.js';
import type { IntelFeed, IntelFeedPatch, IntelFeedRunState, StoredIntelFeed } from '../intel/feed-model.js';
import type { IntelViewer } from '../intel/tlp.js';
import type { InformationSystem, InstalledSoftware, SecurityLevel, StoredInformationSystem, SystemPatch } from '../inventory/model.js';
import type { Alert, AlertKind, AlertResolution, AlertSeverity, AlertStatus, ApiToken, BatchSummary, DeadLetter, Organization, RuleException, RuleSetting, Sensor, User, UserCredentials } from '../core/model.js';
import type { Scope } from '../core/scope.js';
import type { Campaign, CampaignStatus } from '../warn/campaign-model.js';
import type { RemediationReport, Warning, WarningRecipient, WarningStatus } from '../warn/warning-model.js';
import type { Contact, ContactChannel, ContactPatch, Delivery, DeliveryStatus, StoredContact } from '../warn/delivery-model.js';
import type { Notification } from '../warn/notification.js';
import type { Incident, IncidentObservable, IncidentResponder, IncidentStatus, IncidentTask, TaskStatus, TimelineEntry } from '../warn/incident-model.js';

/** An event ready to store: the normalised document and the keys the store indexes. */
export interface EventToStore {
  /** `@timestamp` in epoch milliseconds. */
  ts: number;
  orgId: string;
  sensorId: string;
  event: EcsEvent;
}

export interface StoredEvent {
  seq: number;
  event: EcsEvent;
}

export interface DeadLetterToStore {
  parser: string;
  code: string;
  reason: string;
  lineNo: number;
  raw: string;
}

/** One batch, committed atomically: events, dead letters, rollups and the idempotency record. */
export interface BatchToCommit {
  orgId: string;
  sensorId: string;
  /** The sender's Idempotency-Key; null when the sender gave none. */
  idempotencyKey: string | null;
  receivedAt: number;
  events: EventToStore[];
  deadLetters: DeadLetterToStore[];
  /** The summary without sequence numbers; the store fills `firstSeq`/`lastSeq`. */
  summary: BatchSummary;
}

export interface EventFieldFilter {
  /** Dotted ECS field name, e.g. `source.ip`, `event.category`. */
  field: string;
  /** Exact value (compared as text; for arrays, any element). */
  value: string;
}

export interface EventSearch {
  /** Inclusive lower bound of `@timestamp`, epoch ms. */
  from?: number;
  /** Exclusive upper bound of `@timestamp`, epoch ms. */
  to?: number;
  filters?: EventFieldFilter[];
  /** Case-insensitive substring of `event.original`. */
  text?: string;
  limit: number;
  /** Opaque cursor from a previous page of the same query. */
  cursor?: string;
}

export interface EventPage {
  events: StoredEvent[];
  /** Cursor of the next page (older events), or null when this was the last. */
  next: string | null;
}

export interface EventRepository {
  /** Newest first by `@timestamp`, then `seq`. */
  search(scope: Scope, query: EventSearch): EventPage;
  /** Events with `seq > afterSeq`, ascending by `seq`, at most `limit`. */
  readAfter(scope: Scope, afterSeq: number, limit: number): StoredEvent[];
  get(scope: Scope, seq: number): StoredEvent | null;
  /** Highest `seq` committed, 0 when empty. */
  lastSeq(scope: Scope): number;
  /** Drops every event whose `@timestamp` day is before `beforeDay` (epoch ms of a UTC midnight). Returns rows dropped. */
  dropBefore(scope: Scope, beforeDay: number): number;
  /** Count of events in scope (and optional time range). */
  count(scope: Scope, from?: number, to?: number): number;
  /**
   * For each sensor (with its organisation), the `@timestamp` (epoch ms) of its latest event at or
   * after `since`; sensors with none are absent. Which systems send nothing (measures).
   */
  latestBySensor(scope: Scope, sensors: readonly { sensorId: string; orgId: string }[], since: number): Map<string, number>;
}

export const rollupDimensions = ['orgId', 'dataset', 'category', 'outcome'] as const;
export type RollupDimension = (typeof rollupDimensions)[number];

export interface RollupQuery {
  from: number;
  to: number;
  /** Width of a bucket in minutes (1 = per minute; 60 = hourly …). */
  bucketMinutes: number;
  groupBy: RollupDimension[];
}

export interface RollupRow {
  /** Start of the bucket, epoch ms. */
  bucket: number;
  orgId?: string;
  dataset?: string;
  category?: string;
  outcome?: string;
  count: number;
}

export interface RollupRepository {
  query(scope: Scope, query: RollupQuery): RollupRow[];
}

export type CommitResult =
  | { status: 'stored'; summary: BatchSummary }
  | { status: 'duplicate'; summary: BatchSummary };

export interface IngestRepository {
  /** Stores the whole batch in one transaction, or returns the summary of the earlier batch with the same key. */
  commit(scope: Scope, batch: BatchToCommit): CommitResult;
  /** The summary of an earlier batch with this sensor and key, if any. */
  findBatch(scope: Scope, sensorId: string, idempotencyKey: string): BatchSummary | null;
  /** Forgets idempotency records older than `before` (epoch ms). */
  expireBatches(scope: Scope, before: number): number;
}

/**
 * Commits ingest batches, possibly on another thread: the embedded centre commits on a writer
 * thread so that SQLite's work overlaps with HTTP and parsing on the main thread. The promise
 * resolves only once the batch is durable.
 */
export interface BatchCommitter {
  commit(batch: BatchToCommit): Promise<CommitResult>;
  close(): Promise<void>;
}

export interface DeadLetterQuery {
  sensorId?: string;
  parser?: string;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface DeadLetterRepository {
  list(scope: Scope, query: DeadLetterQuery): { items: DeadLetter[]; next: string | null };
  dropBefore(scope: Scope, before: number): number;
}

export interface OrgRepository {
  list(scope: Scope): Organization[];
  get(scope: Scope, id: string): Organization | null;
  getByCode(scope: Scope, code: string): Organization | null;
  /** The parent must be inside the scope (a root organisation needs the system scope). */
  create(scope: Scope, org: Organization): void;
  update(scope: Scope, id: string, patch: Partial<Pick<Organization, 'nameVi' | 'nameEn' | 'sector' | 'region'>>): Organization;
}

export interface UserRepository {
  list(scope: Scope): User[];
  get(scope: Scope, id: string): User | null;
  /** For login: the user with its password hash. */
  findCredentials(scope: Scope, username: string): UserCredentials | null;
  create(scope: Scope, user: UserCredentials): void;
  update(scope: Scope, id: string, patch: Partial<Pick<UserCredentials, 'displayName' | 'role' | 'locale' | 'disabled' | 'passwordHash'>>): User;
}

export interface Session {
  digest: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface CredentialRepository {
  createSession(scope: Scope, session: Session): void;
  findSession(scope: Scope, digest: string): Session | null;
  deleteSession(scope: Scope, digest: string): void;
  expireSessions(scope: Scope, before: number): number;
  createToken(scope: Scope, token: ApiToken, digest: string): void;
  listTokens(scope: Scope, userId: string): ApiToken[];
  findToken(scope: Scope, digest: string): ApiToken | null;
  revokeToken(scope: Scope, id: string): void;
  touchToken(scope: Scope, id: string, at: string): void;
}

export interface SensorRepository {
  list(scope: Scope): Sensor[];
  get(scope: Scope, id: string): Sensor | null;
  /** For authentication: the sensor whose key has this SHA-256 digest. */
  findByKeyDigest(scope: Scope, digest: string): Sensor | null;
  create(scope: Scope, sensor: Sensor, keyDigest: string): void;
  update(scope: Scope, id: string, patch: Partial<Omit<Sensor, 'id' | 'orgId' | 'createdAt' | 'keyPrefix' | 'demo'>>): Sensor;
  rotateKey(scope: Scope, id: string, keyPrefix: string, keyDigest: string): void;
}

/** Persisted positions of event consumers (detection) in `seq` space. */
export interface CursorRepository {
  get(scope: Scope, consumer: string): number;
  set(scope: Scope, consumer: string, seq: number): void;
}

export interface AlertQuery {
  status?: AlertStatus;
  severity?: AlertSeverity;
  kind?: AlertKind;
  ruleId?: string;
  /** Alerts attributed to this information system. */
  systemId?: string;
  /** Inclusive lower bound of the event time, epoch ms. */
  from?: number;
  /** Exclusive upper bound of the event time, epoch ms. */
  to?: number;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface AlertUpdate {
  status: AlertStatus;
  resolution?: AlertResolution | null;
  by: string;
  at: string;
  note?: string | null;
}

export interface AlertRepository {
  /** Stores new alerts; an alert whose id exists is left as it is. Returns how many were new. */
  insert(scope: Scope, alerts: Alert[]): number;
  /** Newest event time first. */
  list(scope: Scope, query: AlertQuery): { items: Alert[]; next: string | null };
  get(scope: Scope, id: string): Alert | null;
  update(scope: Scope, id: string, update: AlertUpdate): Alert;
  /** Alerts per rule (hit counts), over the scope. */
  countByRule(scope: Scope): Map<string, { hits: number; lastEventTime: string | null }>;
}

export interface IndicatorQuery {
  type?: IndicatorType;
  /** Exact canonical value. */
  value?: string;
  /** Substring of the value, description or labels. */
  text?: string;
  source?: string;
  tlp?: Tlp;
  /** Revoked and expired indicators too (default: only those in force at `now`). */
  all?: boolean;
  now: number;
  limit: number;
  cursor?: string;
}

/**
 * Indicators. Reads are decided by TLP 2.0 over the tree (`IntelViewer`, intel/tlp.ts), not by the
 * subtree alone: GREEN intelligence of an alliance member reaches every province, RED reaches only
 * its named recipients. Writes are scoped to the owner's subtree like everything else.
 */
export interface IndicatorRepository {
  /**
   * Adds indicators, or refreshes those already held from the same source for the same owner
   * (same type and value): last seen, confidence, validity, context — a feed sending an indicator
   * again never duplicates it. Returns the stored indicators (existing ids kept).
   */
  upsert(scope: Scope, indicators: Indicator[]): { added: number; updated: number; stored: Indicator[] };
  get(viewer: IntelViewer, id: string): Indicator | null;
  /** One indicator by id among those owned in the scope (housekeeping, the matcher's lookups). */
  find(scope: Scope, id: string): Indicator | null;
  list(viewer: IntelViewer, query: IndicatorQuery): { items: Indicator[]; next: string | null };
  revoke(scope: Scope, id: string, at: string): Indicator;
  /**
   * Every indicator changed (added, refreshed, revoked) after `version`, in version order, for the
   * matcher to follow incrementally; `version` 0 reads everything.
   */
  changedSince(scope: Scope, version: number, limit: number): { items: (Indicator & { version: number })[]; version: number };
  count(scope: Scope): number;
  /**
   * Indicators of one TLP level the viewer may see (the same TLP filter as `list`), revoked and
   * expired ones included, added or changed after a point, ascending by `updatedAt` and then by
   * their position: the "date added" order a TAXII collection pages in (TAXII 2.1 §3.3).
   */
  listAddedAfter(viewer: IntelViewer, query: AddedAfterQuery): AddedIndicator[];
  /** How many indicators the viewer may see (the same TLP filter), by type, TLP, source and state at `now`. */
  countByState(viewer: IntelViewer, now: number): IndicatorStateCount[];
}

/** In force, past its `validUntil`, or revoked (revocation wins over expiry). */
export type IndicatorState = 'active' | 'expired' | 'revoked';

export interface IndicatorStateCount {
  type: IndicatorType;
  tlp: Tlp;
  source: string;
  state: IndicatorState;
  count: number;
}

export interface AddedAfterQuery {
  tlp: Tlp;
  /** Epoch ms: only indicators whose `updatedAt` is later (or equal, when `afterPosition` is given). */
  after: number;
  /** The `position` of the last row of the previous page: rows at exactly `after` past it come too. */
  afterPosition?: number;
  limit: number;
}

export interface AddedIndicator {
  indicator: Indicator;
  /** `updatedAt` in epoch ms. */
  addedAt: number;
  /** A number that orders indicators with the same `addedAt`; opaque, stable. */
  position: number;
}

export interface SightingRepository {
  /** Records sightings; the same indicator on the same event field is recorded once. */
  record(scope: Scope, sightings: Sighting[]): number;
  /** The sightings of an indicator in the scope (the centre: the whole country), newest first. */
  list(scope: Scope, indicatorId: string, limit: number): Sighting[];
  /** Sightings per organisation in the scope, for an indicator. */
  countByOrg(scope: Scope, indicatorId: string): { orgId: string; count: number; lastSeen: string }[];
  /** For each of the indicators, its sightings per organisation in the scope: how many, first and last event time. */
  summariseByOrg(scope: Scope, indicatorIds: readonly string[]): SightingSummary[];
  /**
   * Sightings in the scope at or after `since` (event time, epoch ms) of indicators the viewer may
   * see (the indicators' TLP filter): how many, in how many organisations, and the `top` most sighted.
   */
  activity(scope: Scope, viewer: IntelViewer, query: { since: number; top: number }): SightingActivity;
}

export interface SightingSummary {
  indicatorId: string;
  orgId: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface SightingActivity {
  sightings: number;
  organisations: number;
  /** Most sighted first (ties: the latest sighted first). */
  top: { indicatorId: string; count: number; lastSeen: string }[];
}

/**
 * Intelligence feeds managed over the API (intel/feed-model). Every read and write is confined to
 * the scope: a feed of an organisation outside it is not found. Run state is written by the
 * scheduler (intel/feed-scheduler) in the owner's scope.
 */
export interface IntelFeedRepository {
  /** Ordered by organisation, then id. */
  list(scope: Scope): StoredIntelFeed[];
  get(scope: Scope, id: string): StoredIntelFeed | null;
  /** A new feed, its run state empty; `VIGIL_ERR_CONFLICT` when the id is taken. */
  create(scope: Scope, feed: IntelFeed): StoredIntelFeed;
  /**
   * Changes a feed. A new `url` or `collectionId` forgets the cursor and runs the feed at the next
   * look (it is another source now), as does enabling it; a new `everyMinutes` moves the next run
   * to the last run plus the new interval.
   */
  update(scope: Scope, id: string, patch: IntelFeedPatch, at: string): StoredIntelFeed;
  /** False when there was no such feed in the scope. The indicators it brought stay. */
  delete(scope: Scope, id: string): boolean;
  /** Records (part of) a run's outcome; false when the feed has gone meanwhile. */
  recordRun(scope: Scope, id: string, state: Partial<IntelFeedRunState>): boolean;
}

export interface SystemQuery {
  securityLevel?: SecurityLevel;
  /** Systems running software of this vendor / product / exact CPE (lower-case, as stored). */
  vendor?: string;
  product?: string;
  cpe?: string;
  /** True: only systems whose security budget is known and under a tenth; false: all others. */
  belowSecurityBudgetMinimum?: boolean;
}

/** Installed software by vendor and/or product (at least one), exact, case-insensitive. */
export interface SoftwareQuery {
  vendor?: string;
  product?: string;
}

export interface SoftwareUse {
  system: InformationSystem;
  software: InstalledSoftware;
}

/** Information systems (inventory/model), scoped like everything else. */
export interface SystemRepository {
  /** Ordered by organisation, then name. */
  list(scope: Scope, query?: SystemQuery): InformationSystem[];
  get(scope: Scope, id: string): InformationSystem | null;
  /** `VIGIL_ERR_CONFLICT` when the organisation already has a system of that name. */
  create(scope: Scope, system: StoredInformationSystem): void;
  /** A given `software` list replaces the old one. */
  update(scope: Scope, id: string, patch: SystemPatch, updatedAt: string): InformationSystem;
  /** False when there was no such system in the scope. */
  delete(scope: Scope, id: string): boolean;
  /** Each installed software entry that matches, with its system (ordered by organisation, system). */
  findSoftware(scope: Scope, query: SoftwareQuery): SoftwareUse[];
}

export interface RuleExceptionRepository {
  list(scope: Scope, ruleId?: string): RuleException[];
  create(scope: Scope, exception: RuleException): void;
  delete(scope: Scope, id: string): boolean;
}

export interface RuleSettingRepository {
  /** Every setting visible in the scope, plus the global ones. */
  list(scope: Scope): RuleSetting[];
  /** Global settings need the system scope (national administrators act through it). */
  set(scope: Scope, setting: RuleSetting): void;
}

/** Opaque persisted state of a consumer (correlation windows), saved with its cursor. */
export interface ConsumerStateRepository {
  get(scope: Scope, consumer: string): string | null;
  /** Saves the state and the cursor together, atomically. */
  save(scope: Scope, consumer: string, seq: number, state: string): void;
}

/** An alert as an incident links it. */
export interface LinkedAlert {
  id: string;
  orgId: string;
  eventTime: string;
}

/** How a scope may reach an incident: its own subtree's, or as an assigned responder. */
export type IncidentAccess = 'owner' | 'responder';

export interface IncidentQuery {
  /** Narrower than the scope: these organisations only. */
  orgIds?: readonly string[];
  status?: IncidentStatus;
  /** Only those not resolved or closed. */
  open?: boolean;
  severity?: AlertSeverity;
  assignee?: string;
  systemId?: string;
  helpRequested?: boolean;
  /** Text in the title or the entity. */
  text?: string;
  limit: number;
  cursor?: string;
}

export interface IncidentPatch {
  at: string;
  status?: IncidentStatus;
  severity?: AlertSeverity;
  tlp?: Tlp;
  title?: string;
  assignee?: string | null;
  helpRequested?: boolean;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
}

export interface TaskPatch {
  at: string;
  title?: string;
  status?: TaskStatus;
  assignee?: string | null;
  dueAt?: string | null;
}

/**
 * Incidents (warn/incident-model). Readable by the owning organisation's subtree and by the
 * organisations assigned as responders; the lifecycle (`update`, `linkAlerts`, responders) only
 * by the owner's subtree. Timeline entries are written in the same transaction as the change.
 */
export interface IncidentRepository {
  /** Which of these alerts already belong to an incident. */
  linkedAlertIds(scope: Scope, alertIds: readonly string[]): Set<string>;
  /** The open incident of the organisation with this grouping key seen at or after `seenSince`. */
  findOpen(scope: Scope, orgId: string, groupKey: string, seenSince: string): Incident | null;
  create(scope: Scope, incident: Incident, alerts: readonly LinkedAlert[], observables: readonly IncidentObservable[], entry: TimelineEntry): Incident;
  /** Links alerts not yet linked; the entry's `{n}` becomes how many. Returns how many were new. */
  linkAlerts(scope: Scope, incidentId: string, alerts: readonly LinkedAlert[], update: { severity: AlertSeverity; lastSeen: string; at: string }, entry: TimelineEntry): number;
  access(scope: Scope, id: string): IncidentAccess | null;
  get(scope: Scope, id: string): Incident | null;
  /** Latest activity first. */
  list(scope: Scope, query: IncidentQuery): { items: Incident[]; next: string | null };
  update(scope: Scope, id: string, patch: IncidentPatch, entries: readonly TimelineEntry[]): Incident;
  alerts(scope: Scope, id: string): { alertId: string; eventTime: string }[];
  addTimeline(scope: Scope, entry: TimelineEntry): void;
  timeline(scope: Scope, id: string): TimelineEntry[];
  addTask(scope: Scope, task: IncidentTask, entry: TimelineEntry): IncidentTask;
  updateTask(scope: Scope, incidentId: string, taskId: string, patch: TaskPatch, entry: TimelineEntry): IncidentTask;
  tasks(scope: Scope, id: string): IncidentTask[];
  /** Adds those not there yet (type and value); the entry is written when any was new. */
  addObservables(scope: Scope, observables: readonly IncidentObservable[], entry: TimelineEntry | null): number;
  observables(scope: Scope, id: string): IncidentObservable[];
  addResponder(scope: Scope, responder: IncidentResponder, entry: TimelineEntry): boolean;
  removeResponder(scope: Scope, incidentId: string, orgId: string, entry: TimelineEntry): boolean;
  responders(scope: Scope, id: string): IncidentResponder[];
  /** Incidents owned in the scope (not those it responds to) that are open, or were created at or after `since` (epoch ms): measures. */
  openOrCreatedSince(scope: Scope, since: number): Incident[];
}

/** Who reads warnings: the user's scope and organisation (TLP AMBER+STRICT and RED name organisations). */
export interface WarningViewer {
  scope: Scope;
  /** Null for the system. */
  orgId: string | null;
}

export interface WarningQuery {
  status?: WarningStatus;
  severity?: AlertSeverity;
  campaignId?: string;
  /** Only those addressed to this organisation. */
  addressedTo?: string;
  /** Only those with a recipient in the viewer's scope that has not acknowledged. */
  unacknowledged?: boolean;
  limit: number;
  cursor?: string;
}

export interface OverdueRecipient {
  recipient: WarningRecipient;
  what: 'acknowledgement' | 'remediation';
  /** The escalation step due: 1 the parent, 2 the centre. */
  step: number;
}

/** Warnings and their recipients (warn/warning-model: who reads what under TLP). */
export interface WarningRepository {
  /** A new draft. */
  create(scope: Scope, warning: Warning): Warning;
  /** Only when the scope includes the issuer. */
  getOwned(scope: Scope, id: string): Warning | null;
  get(viewer: WarningViewer, id: string): Warning | null;
  /** Newest first. */
  list(viewer: WarningViewer, query: WarningQuery): { items: Warning[]; next: string | null };
  /** Edits a draft. */
  update(scope: Scope, id: string, patch: Partial<Pick<Warning, 'severity' | 'tlp' | 'title' | 'text' | 'indicators' | 'actions' | 'references' | 'targets' | 'ackDeadline' | 'remediationDeadline'>>): Warning;
  /** Issues a draft to the resolved recipients, atomically. */
  issue(scope: Scope, id: string, by: string, at: string, recipients: readonly WarningRecipient[]): Warning;
  withdraw(scope: Scope, id: string): Warning;
  /** The recipients the viewer may see: all for the issuer's chain, else those in its scope. */
  recipients(viewer: WarningViewer, id: string): WarningRecipient[];
  recipient(scope: Scope, warningId: string, orgId: string): WarningRecipient | null;
  acknowledge(scope: Scope, warningId: string, orgId: string, by: string, at: string): WarningRecipient;
  /** Replaces the reports of the given systems; a system the warning does not concern is refused. */
  reportRemediation(scope: Scope, warningId: string, orgId: string, reports: readonly RemediationReport[]): WarningRecipient;
  /** Recipients whose next escalation step is due at `now` (deadline + step × `stepMs`). */
  overdue(scope: Scope, now: number, stepMs: number): OverdueRecipient[];
  /** Records an escalation step; false when another worker took it already. */
  markEscalated(scope: Scope, warningId: string, orgId: string, what: 'acknowledgement' | 'remediation', step: number, at: string): boolean;
  /** Recipients of warnings issued since `since` (epoch ms) in the scope, with their warning's deadlines (measures). */
  allRecipients(scope: Scope, since: number): (WarningRecipient & { ackDeadline: string; remediationDeadline: string; severity: AlertSeverity; issuedAt: string })[];
}

export interface CampaignObservation {
  alertId: string;
  key: string;
  orgId: string;
  eventTime: string;
}

/** Campaigns across organisations (warn/campaign-model); the centre's business, read with the system or root scope. */
export interface CampaignRepository {
  /** Records observations (an alert and key already recorded is ignored). */
  observe(observations: readonly CampaignObservation[]): void;
  /** Distinct organisations with an observation of `key` at or after `since`, first hit first, with their alert counts. */
  orgsFor(key: string, since: string): { orgId: string; first: string; last: string; alerts: number; alertIds: string[] }[];
  /** Records which campaign these alerts belong to (the first campaign of an alert keeps it). */
  linkAlerts(campaignId: string, alertIds: readonly string[]): void;
  /** The campaign, not dismissed, that one of these alerts already belongs to. */
  campaignOfAlerts(alertIds: readonly string[]): Campaign | null;
  /** The campaign of this key not dismissed and seen at or after `since`. */
  findActive(keyType: string, keyValue: string, since: string): Campaign | null;
  create(campaign: Campaign): Campaign;
  update(id: string, patch: Partial<Pick<Campaign, 'status' | 'severity' | 'orgIds' | 'alertCount' | 'indicators' | 'software' | 'lastSeen' | 'confirmedBy' | 'confirmedAt' | 'warningId' | 'warnedAt' | 'title'>>): Campaign;
  get(id: string): Campaign | null;
  list(query: { status?: CampaignStatus; limit: number; cursor?: string }): { items: Campaign[]; next: string | null };
}

/** One outbox row to create for a notification, as delivery routing decided it (warn/delivery-routing). */
export interface NewDelivery {
  id: string;
  contactId: string | null;
  channel: ContactChannel | 'none';
  address: string | null;
  status: 'pending' | 'no-contact';
  digest: boolean;
  /** Epoch ms; null for `no-contact`. */
  nextAttemptAt: number | null;
  lastError: string | null;
}

/** A pending delivery the worker may send now, with what it needs to render it. */
export interface DueDelivery {
  delivery: Delivery;
  notification: Notification;
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  subjectId?: string;
  notificationId?: string;
  channel?: ContactChannel | 'none';
  limit: number;
}

export interface ContactRepository {
  /** Ordered by organisation, channel and address. */
  list(scope: Scope, query?: { channel?: ContactChannel; enabledOnly?: boolean }): Contact[];
  get(scope: Scope, id: string): Contact | null;
  /** With the webhook secret: for the delivery worker only, never for the API. */
  getStored(scope: Scope, id: string): StoredContact | null;
  /** Refuses a second contact of the organisation with the same channel and address (`VIGIL_ERR_CONFLICT`). */
  create(scope: Scope, contact: StoredContact): void;
  update(scope: Scope, id: string, patch: ContactPatch, updatedAt: string): Contact;
  setSecret(scope: Scope, id: string, secret: string, updatedAt: string): Contact;
  delete(scope: Scope, id: string): boolean;
}

/** The durable outbox of deliveries. Deliveries belong to the recipient organisation. */
export interface DeliveryRepository {
  /**
   * Stores each notification not seen before and its deliveries, in one transaction: `route` is
   * given the recipient's enabled contacts (read in the same transaction) and says which rows to
   * create. A notification id already stored is skipped whole. Returns the ids newly stored.
   */
  enqueue(scope: Scope, notifications: readonly Notification[], route: (notification: Notification, contacts: readonly StoredContact[]) => NewDelivery[], now: number): string[];
  notification(scope: Scope, id: string): Notification | null;
  /** Pending deliveries on `channels` whose next attempt is due at `now`, oldest first. */
  due(scope: Scope, now: number, channels: readonly ContactChannel[], limit: number): DueDelivery[];
  /** Epoch ms of the earliest next attempt of a pending delivery on `channels`, or null. */
  nextDueAt(scope: Scope, channels: readonly ContactChannel[]): number | null;
  markDelivered(scope: Scope, ids: readonly string[], at: number): void;
  /** Counts an attempt that failed: pending again at `nextAttemptAt`, or `failed` for good when it is null. */
  markAttemptFailed(scope: Scope, ids: readonly string[], error: string, at: number, nextAttemptAt: number | null): void;
  /** Notes on pending rows of a channel that cannot be sent now why they wait (e.g. no SMTP server configured). */
  noteWaiting(scope: Scope, channel: ContactChannel, reason: string, at: number): void;
  list(scope: Scope, query: DeliveryQuery): Delivery[];
  get(scope: Scope, id: string): Delivery | null;
  /** Makes a pending or failed delivery due now (attempts are kept). */
  retryNow(scope: Scope, id: string, now: number): Delivery;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly events: EventRepository;
  readonly rollups: RollupRepository;
  readonly ingest: IngestRepository;
  readonly deadLetters: DeadLetterRepository;
  readonly orgs: OrgRepository;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly sensors: SensorRepository;
  readonly cursors: CursorRepository;
  readonly alerts: AlertRepository;
  readonly ruleExceptions: RuleExceptionRepository;
  readonly ruleSettings: RuleSettingRepository;
  readonly consumerState: ConsumerStateRepository;
  readonly indicators: IndicatorRepository;
  readonly sightings: SightingRepository;
  readonly intelFeeds: IntelFeedRepository;
  readonly systems: SystemRepository;
  readonly incidents: IncidentRepository;
  readonly warnings: WarningRepository;
  readonly campaigns: CampaignRepository;
  readonly contacts: ContactRepository;
  readonly deliveries: DeliveryRepository;
  /** Applied schema version. */
  schemaVersion(): number;
  close(): void;
}

/**
 * @module analyze/behaviour-alerts
 * Behavioural findings in the detection pipeline: each kind is a rule of its own,
 * `vigil-behaviour-<kind>`, with the same alert model, switches and exceptions as Sigma rules. The
 * alert id is derived from the kind, the organisation, the subject and the window that fired, so
 * the same events processed again (after a crash, a replay) give the same alert, stored once.
 */
import { ConfigError } from '../core/errors.js';
import { openAlert, type Alert, type AlertSeverity } from '../core/model.js';
import { behaviourKinds, defaultBehaviourOptions, resolveBehaviourOptions, type BehaviourFinding, type BehaviourKind, type BehaviourOptions } from './behaviour/index.js';

const titles: Record<BehaviourKind, string> = {
  'brute-force': 'Password guessing against one account or a few (behaviour)',
  'credential-stuffing': 'Credential stuffing: many accounts failing (behaviour)',
  enumeration: 'Enumeration of records by walking identifiers (behaviour)',
  scanning: 'Scanning: bursts of not-found and forbidden across many paths (behaviour)',
  'rate-anomaly': 'Request rate far above the service’s own baseline for this hour (behaviour)',
  'error-anomaly': 'Server errors far above the service’s own baseline (behaviour)',
  'large-response': 'Response far larger than usual for this page (behaviour)',
  'new-admin-path': 'Account used an administrative page for the first time (behaviour)',
  'new-country': 'Account seen from a new country (behaviour)',
};

/** MITRE ATT&CK techniques of each kind. */
const tagsOf: Record<BehaviourKind, string[]> = {
  'brute-force': ['attack.credential-access', 'attack.t1110.001'],
  'credential-stuffing': ['attack.credential-access', 'attack.t1110.004'],
  enumeration: ['attack.collection', 'attack.t1213'],
  scanning: ['attack.reconnaissance', 'attack.t1595.003'],
  'rate-anomaly': ['attack.impact', 'attack.t1499'],
  'error-anomaly': ['attack.impact', 'attack.t1499'],
  'large-response': ['attack.exfiltration', 'attack.t1041'],
  'new-admin-path': ['attack.privilege-escalation', 'attack.t1078'],
  'new-country': ['attack.initial-access', 'attack.t1078'],
};

export function behaviourRuleId(kind: BehaviourKind): string {
  return `vigil-behaviour-${kind}`;
}

/** The behaviour kinds as rules, for the rules API (switches, exceptions, hit counts). */
export const behaviourRules: readonly { id: string; title: string; tags: string[] }[] = behaviourKinds.map((kind) => ({
  id: behaviourRuleId(kind),
  title: titles[kind],
  tags: tagsOf[kind],
}));

export interface BehaviourAlertInput {
  finding: BehaviourFinding;
  /** Store sequence number of the event that completed the finding. */
  seq: number;
  createdAt: string;
  /** The deterministic id function of the pipeline (`alertId(ruleId, key)`). */
  idOf: (ruleId: string, key: string) => string;
}

/** A finding as a new (open) alert. */
export function behaviourAlert({ finding, seq, createdAt, idOf }: BehaviourAlertInput): Alert {
  const ruleId = behaviourRuleId(finding.kind);
  const severity: AlertSeverity = finding.severity;
  return openAlert({
    id: idOf(ruleId, `${finding.orgId}\u0000${finding.subject}\u0000${finding.windowStart}`),
    orgId: finding.orgId,
    ruleId,
    ruleTitle: titles[finding.kind],
    kind: 'behaviour',
    severity,
    tags: tagsOf[finding.kind],
    eventTime: finding.time,
    createdAt,
    eventSeqs: [seq],
    matchedFields: Object.keys(finding.fields),
    group: finding.fields,
    details: { summary: finding.summary, measures: finding.measures },
  });
}

/**
 * The configuration's `detection.behaviour` section as engine options: false when switched off;
 * unknown option names and invalid values are configuration errors, reported before anything starts.
 */
export function behaviourOptionsFromConfig(section: { enabled: boolean } & Record<string, number | boolean>): false | Partial<BehaviourOptions> {
  if (!section.enabled) return false;
  const options: Partial<Record<keyof BehaviourOptions, number>> = {};
  const problems: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(section)) {
    if (name === 'enabled') continue;
    if (!(name in defaultBehaviourOptions)) problems.push({ path: `detection.behaviour.${name}`, message: `unknown option (known: enabled, ${Object.keys(defaultBehaviourOptions).join(', ')})` });
    else if (typeof value !== 'number') problems.push({ path: `detection.behaviour.${name}`, message: 'must be a number' });
    else options[name as keyof BehaviourOptions] = value;
  }
  if (problems.length === 0) {
    try {
      resolveBehaviourOptions(options);
    } catch (error) {
      problems.push({ path: 'detection.behaviour', message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}

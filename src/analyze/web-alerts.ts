/**
 * @module analyze/web-alerts
 * The analyser in the detection pipeline: a web event (access log, proxy, WAF) becomes a
 * transaction, and an attack verdict becomes one alert per class — the same alert model, the same
 * deterministic ids (analyser class + event seq) and the same exceptions and switches as Sigma
 * rules, under rule ids `vigil-web-<class>`.
 */
import type { EcsEvent } from '../core/event.js';
import { TransactionAnalyzer } from './analyzer.js';
import type { AttackClass, Verdict } from './contract.js';
import { detectors } from './detectors/index.js';
import { parameterKey, siteOf } from './parameter-key.js';
import { transactionFromJson } from './transaction.js';

/** ATT&CK techniques per class: exploitation of public-facing applications, unless stated. */
const tagsOf: Record<AttackClass, string[]> = {
  sqli: ['attack.initial-access', 'attack.t1190'],
  xss: ['attack.initial-access', 'attack.t1190', 'attack.t1189'],
  lfi: ['attack.initial-access', 'attack.t1190', 'attack.collection', 'attack.t1005'],
  rfi: ['attack.initial-access', 'attack.t1190'],
  rce: ['attack.initial-access', 'attack.t1190', 'attack.execution', 'attack.t1059'],
  code: ['attack.initial-access', 'attack.t1190', 'attack.execution', 'attack.t1059'],
  ssrf: ['attack.initial-access', 'attack.t1190'],
  xxe: ['attack.initial-access', 'attack.t1190'],
  deser: ['attack.initial-access', 'attack.t1190'],
  webshell: ['attack.persistence', 'attack.t1505.003'],
  scanner: ['attack.reconnaissance', 'attack.t1595.002'],
  other: ['attack.initial-access', 'attack.t1190'],
};

const titles: Record<AttackClass, string> = {
  sqli: 'SQL injection (transaction analysis)',
  xss: 'Cross-site scripting (transaction analysis)',
  lfi: 'Path traversal / local file inclusion (transaction analysis)',
  rfi: 'Remote file inclusion (transaction analysis)',
  rce: 'OS command injection (transaction analysis)',
  code: 'Code or template injection (transaction analysis)',
  ssrf: 'Server-side request forgery (transaction analysis)',
  xxe: 'XML external entity (transaction analysis)',
  deser: 'Unsafe deserialisation (transaction analysis)',
  webshell: 'Web shell access or upload (transaction analysis)',
  scanner: 'Vulnerability scanner (transaction analysis)',
  other: 'Web attack (transaction analysis)',
};

export interface WebFinding {
  ruleId: string;
  title: string;
  severity: 'medium' | 'high' | 'critical';
  tags: string[];
  /** Where the class was found (`args.q`, `headers.referer` …), strongest first. */
  locations: string[];
  /** For each location, its parameter key (`<site><path template> <location>`), for feedback. */
  parameterKeys: string[];
  /** The decoded inputs that decided, by location (the verdict's evidence for this class). */
  evidence: { location: string; decoded: string }[];
}

/** The analyser's classes as rules, for the rules API (switches, exceptions, hit counts). */
export const webRules: readonly { id: string; title: string; tags: string[] }[] = (Object.keys(titles) as AttackClass[]).map((cls) => ({
  id: `vigil-web-${cls}`,
  title: titles[cls],
  tags: tagsOf[cls],
}));

export function webRuleId(cls: AttackClass): string {
  return `vigil-web-${cls}`;
}

/** True for events that are HTTP transactions (ECS `event.category: web`). */
export function isWebEvent(event: EcsEvent): boolean {
  const category = event.event.category;
  return Array.isArray(category) && category.includes('web') && typeof event['url'] === 'object';
}

export class WebEventAnalyzer {
  private readonly analyzer = new TransactionAnalyzer(detectors);

  /** The attack classes found in a web event, one finding per class; empty when benign. */
  inspect(event: EcsEvent, seq: number): WebFinding[] {
    const transaction = transactionFromJson(event, seq);
    if ('error' in transaction) return [];
    const verdict: Verdict = this.analyzer.analyze(transaction);
    if (!verdict.attack) return [];
    const severity = verdict.score >= 9 ? 'critical' : verdict.score >= 7 ? 'high' : 'medium';
    const site = siteOf(event);
    return verdict.classes.map((cls) => {
      const evidence = verdict.evidence.filter((e) => e.class === cls).map((e) => ({ location: e.location, decoded: e.decoded }));
      const locations = [...new Set(evidence.map((e) => e.location))];
      return {
        evidence,
        ruleId: webRuleId(cls),
        title: titles[cls],
        severity,
        tags: tagsOf[cls],
        locations,
        parameterKeys: locations.map((location) => parameterKey(site, transaction.uri, location)),
      };
    });
  }
}

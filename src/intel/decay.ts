/**
 * @module intel/decay
 * Confidence decay: an indicator is less likely to still be malicious the longer it has not been
 * seen, and how fast depends on what it is. An IP address is re-assigned or cleaned within weeks
 * (dynamic addresses, cloud instances, NAT), a domain lives months, a URL's path dies with the
 * campaign, while a file hash names the same bytes for ever. So the effective confidence halves
 * every half-life after `lastSeen`:
 *
 *     effective(t) = confidence × 2^(−(t − lastSeen) / halfLife)      (t ≥ lastSeen)
 *
 * and below a floor the indicator stops matching. One parameter per type (MISP's decay model has
 * a lifetime and a shape parameter instead; a half-life is easier to state and to explain to an
 * analyst). The floor is on the STIX 2.1 `confidence` scale (0–100, §3.2 and Appendix A). A new
 * sighting (a later `lastSeen`) restarts the clock. Pure functions: the matcher turns
 * `matchableUntil` into one number per indicator, so the hot path compares two numbers.
 */
import type { Indicator, IndicatorType } from './model.js';
import { parseTimestamp } from './timestamp.js';

export interface DecayPolicy {
  /** Half-life in days per indicator type; null: does not decay. */
  readonly halfLifeDays: Readonly<Record<IndicatorType, number | null>>;
  /** Effective confidence (0–100) below which an indicator stops matching. */
  readonly floor: number;
}

/**
 * Defaults. JA3/JA4 fingerprints name a TLS stack, which changes with a tool's releases (slow);
 * e-mail addresses and user-agents are as cheap to change as domains. The floor of 15 is the
 * value STIX 2.1 Appendix A gives "Low" on its None/Low/Med/High scale: below it an indicator is
 * as good as "None".
 */
export const defaultDecayPolicy: DecayPolicy = Object.freeze({
  halfLifeDays: Object.freeze({
    ipv4: 30,
    ipv6: 30,
    cidr: 30,
    domain: 90,
    url: 60,
    md5: null,
    sha1: null,
    sha256: null,
    email: 90,
    ja3: 180,
    ja4: 180,
    'user-agent': 90,
  }),
  floor: 15,
});

const DAY_MS = 86_400_000;

export type DecayInput = Pick<Indicator, 'type' | 'confidence' | 'lastSeen'>;

function clampConfidence(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(100, Math.max(0, confidence)) : 0;
}

/**
 * Effective confidence at `atMs` (epoch ms). Before `lastSeen` (an event older than the latest
 * sighting) it is the stated confidence; an unparseable `lastSeen` is taken as "just seen" — the
 * store validates timestamps, and a bad one must not silently switch an indicator off.
 */
export function effectiveConfidence(indicator: DecayInput, atMs: number, policy: DecayPolicy = defaultDecayPolicy): number {
  const confidence = clampConfidence(indicator.confidence);
  const halfLife = policy.halfLifeDays[indicator.type];
  if (halfLife === null || halfLife === undefined) return confidence;
  const lastSeen = parseTimestamp(indicator.lastSeen);
  if (Number.isNaN(lastSeen) || atMs <= lastSeen) return confidence;
  return confidence * 2 ** (-(atMs - lastSeen) / (halfLife * DAY_MS));
}

/**
 * The last instant (epoch ms) at which the effective confidence is still at or above the floor:
 * +Infinity when it never decays below it, −Infinity when it starts below. Solving
 * `confidence × 2^(−age/halfLife) = floor` gives `age = halfLife × log2(confidence / floor)`.
 */
export function matchableUntil(indicator: DecayInput, policy: DecayPolicy = defaultDecayPolicy): number {
  const confidence = clampConfidence(indicator.confidence);
  if (policy.floor <= 0) return Infinity;
  if (confidence < policy.floor) return -Infinity;
  const halfLife = policy.halfLifeDays[indicator.type];
  if (halfLife === null || halfLife === undefined) return Infinity;
  const lastSeen = parseTimestamp(indicator.lastSeen);
  if (Number.isNaN(lastSeen)) return Infinity;
  return lastSeen + halfLife * DAY_MS * Math.log2(confidence / policy.floor);
}

/** Whether the indicator still matches at `atMs` as far as decay goes (the matcher's test). */
export function isAboveFloor(indicator: DecayInput, atMs: number, policy: DecayPolicy = defaultDecayPolicy): boolean {
  return atMs <= matchableUntil(indicator, policy);
}

/** Problems with a policy (empty when valid), for configuration checks at start-up. */
export function decayPolicyProblems(policy: DecayPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(policy.floor) || policy.floor < 0 || policy.floor > 100) problems.push(`floor ${policy.floor} is not between 0 and 100`);
  for (const [type, days] of Object.entries(policy.halfLifeDays)) {
    if (days !== null && (!Number.isFinite(days) || days <= 0)) problems.push(`half-life of ${type} (${days} days) is not a positive number of days or null`);
  }
  return problems;
}

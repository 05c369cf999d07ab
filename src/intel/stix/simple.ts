/**
 * @module intel/stix/simple
 * The bridge between STIX patterns and Vigil's flat indicators. Most shared patterns are one
 * observation expression of equality tests joined by OR (`[ipv4-addr:value = '203.0.113.7' OR
 * ipv4-addr:value = '198.51.100.0/24']`, `[file:hashes.'SHA-256' = '…']`): those become a list of
 * `{ type, value }` the line-rate matcher can index. Anything else (AND, NOT, other operators,
 * qualifiers, several observations, paths with no indicator type) returns null and is evaluated
 * by `evaluate` instead. Recognised paths (STIX 2.1 §6):
 * - `ipv4-addr:value`, `ipv6-addr:value` → ipv4/ipv6, or cidr for a block (a `/32` or `/128` is
 *   one host); `domain-name:value` → domain; `url:value` → url; `email-addr:value` → email;
 * - `file:hashes.MD5`, `'SHA-1'`, `'SHA-256'` (hash-algorithm-ov names; `SHA1`/`sha256` spellings
 *   are read too) → md5/sha1/sha256;
 * - `network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'` → user-agent;
 * - JA3/JA4 have no STIX property; Vigil exports them under its own extension
 *   (`network-traffic:extensions.'x-vigil-tls-ext'.ja3`) and reads back only that one.
 * Values are put in the canonical form of `intel/normalise`, the one the line-rate matcher indexes;
 * a value that is not valid for its type makes the pattern the evaluator's. Matching a `domain`
 * indicator includes subdomains (intel/model), which is broader than the exact `=` of §9.6.1; the
 * other types match as the evaluator does. The reverse, `patternFor`, writes the pattern for one
 * indicator, escaping as §9.2 requires.
 */
import { VigilError } from '../../core/errors.js';
import type { IndicatorType } from '../model.js';
import { normaliseIndicator } from '../normalise.js';
import { formatPattern } from './pattern-ast.js';
import type { ComparisonExpression, ComparisonTest, Constant, PathStep, Pattern } from './pattern-ast.js';
import { isSingleAddress, parseNetwork } from './address.js';
import { parsePattern } from './pattern.js';

export interface SimpleIndicator {
  type: IndicatorType;
  value: string;
}

/** Vigil's extension key for TLS client fingerprints, which STIX has no property for. */
export const VIGIL_TLS_EXTENSION = 'x-vigil-tls-ext';

const HASH_TYPES: Readonly<Record<string, IndicatorType>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256' };
const VALUE_TYPES: Readonly<Record<string, IndicatorType>> = { 'domain-name': 'domain', url: 'url', 'email-addr': 'email' };

/** The indicators of a simple pattern (parsed, or as text), or null when it needs the evaluator or does not parse. */
export function simpleIndicators(pattern: Pattern | string): SimpleIndicator[] | null {
  if (typeof pattern === 'string') {
    const parsed = parsePattern(pattern);
    return parsed.ok ? simpleIndicators(parsed.pattern) : null;
  }
  if (pattern.root.kind !== 'observation') return null;
  const tests: ComparisonTest[] = [];
  if (!collectOrTests(pattern.root.comparison, tests)) return null;
  const out = new Map<string, SimpleIndicator>();
  for (const test of tests) {
    if (test.negated || (test.operator !== '=' && test.operator !== 'IN')) return null;
    const constants = test.operator === 'IN' ? test.values : [test.value];
    for (const constant of constants) {
      if (constant.kind !== 'string') return null;
      const indicator = indicatorOf(test.path.objectType, test.path.steps, constant.value);
      if (!indicator) return null;
      out.set(`${indicator.type}\u0000${indicator.value}`, indicator);
    }
  }
  return out.size > 0 ? [...out.values()] : null;
}

function collectOrTests(e: ComparisonExpression, into: ComparisonTest[]): boolean {
  if (e.kind === 'test') {
    into.push(e);
    return true;
  }
  return e.kind === 'or' && collectOrTests(e.left, into) && collectOrTests(e.right, into);
}

function indicatorOf(objectType: string, steps: readonly PathStep[], raw: string): SimpleIndicator | null {
  const keys = steps.map((s) => (s.kind === 'key' ? s.name : null));
  if (keys.includes(null)) return null;
  const path = keys as string[];
  let type: IndicatorType | null = null;
  let text = raw;
  if (path.length === 1 && path[0] === 'value') {
    if (objectType === 'ipv4-addr' || objectType === 'ipv6-addr') {
      // A /32 or /128 block is one host (the spec's own examples write hosts that way).
      const net = parseNetwork(raw);
      const v4 = objectType === 'ipv4-addr';
      if (!net || (net.bytes.length === 4) !== v4) return null;
      type = isSingleAddress(net) ? (v4 ? 'ipv4' : 'ipv6') : 'cidr';
      if (type !== 'cidr') text = raw.trim().split('/')[0] ?? raw;
    } else {
      type = VALUE_TYPES[objectType] ?? null;
    }
  } else if (objectType === 'file' && path.length === 2 && path[0] === 'hashes') {
    type = HASH_TYPES[(path[1] ?? '').toUpperCase().replace(/-/g, '')] ?? null;
  } else if (objectType === 'network-traffic' && path[0] === 'extensions') {
    const [, extension, header, name] = path;
    if (path.length === 4 && extension === 'http-request-ext' && header === 'request_header' && name?.toLowerCase() === 'user-agent') type = 'user-agent';
    if (path.length === 3 && extension === VIGIL_TLS_EXTENSION && (header === 'ja3' || header === 'ja4')) type = header;
  }
  if (!type) return null;
  const normalised = normaliseIndicator(type, text);
  return 'value' in normalised ? { type, value: normalised.value } : null;
}

/** The STIX pattern that matches one indicator. */
export function patternFor(type: IndicatorType, value: string): string {
  const normalised = normaliseIndicator(type, value);
  if ('error' in normalised) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `not a valid ${type} indicator: ${normalised.error}` }, { field: 'value' });
  const canonical = normalised.value;
  const key = (name: string): PathStep => ({ kind: 'key', name });
  let objectType: string;
  let steps: PathStep[];
  switch (type) {
    case 'ipv4':
    case 'ipv6':
    case 'cidr':
      objectType = canonical.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
      steps = [key('value')];
      break;
    case 'domain':
    case 'url':
    case 'email':
      objectType = { domain: 'domain-name', url: 'url', email: 'email-addr' }[type];
      steps = [key('value')];
      break;
    case 'md5':
    case 'sha1':
    case 'sha256':
      objectType = 'file';
      steps = [key('hashes'), key({ md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' }[type])];
      break;
    case 'user-agent':
      objectType = 'network-traffic';
      steps = [key('extensions'), key('http-request-ext'), key('request_header'), key('User-Agent')];
      break;
    case 'ja3':
    case 'ja4':
      objectType = 'network-traffic';
      steps = [key('extensions'), key(VIGIL_TLS_EXTENSION), key(type)];
      break;
  }
  const constant: Constant = { kind: 'string', value: canonical };
  return formatPattern({ root: { kind: 'observation', offset: 0, comparison: { kind: 'test', operator: '=', path: { objectType, steps }, negated: false, value: constant, offset: 1 } } });
}

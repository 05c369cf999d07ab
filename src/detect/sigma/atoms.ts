/**
 * @module detect/sigma/atoms
 * Required atoms for prefiltering many rules at once: a set of lower-cased literal strings of
 * which at least one must occur in the string form of some field value for the rule to match
 * (numbers are compared by their text). Derived bottom-up: a string value contributes its longest
 * literal segment; OR (values, alternatives, `1 of`, several conditions) unions its children and
 * is null when any child is; AND (`all`, map items, `and`, `all of`) keeps its most selective
 * child. NOT, regexes, numbers, null, exists, cidr, comparisons and field references give null: no
 * literal is guaranteed. Keywords give their literals too: a keyword matches inside some leaf of
 * the event, and the prefilter's text holds every leaf.
 */
import type { ResolvedCondition } from './condition.js';
import type { ItemSpec, LeafValue } from './modifiers.js';
import { literalSegments } from './values.js';

export type Atoms = string[] | null;

function leafAtom(l: LeafValue): string | null {
  if (l.t !== 'str') return null;
  const segments = literalSegments(l.s);
  let best = '';
  for (const s of segments) if (s.length > best.length) best = s;
  return best === '' ? null : best.toLowerCase();
}

/** Union of alternatives: null when any is null. */
export function anyOf(children: Atoms[]): Atoms {
  const out = new Set<string>();
  for (const c of children) {
    if (c === null) return null;
    for (const a of c) out.add(a);
  }
  return [...out];
}

/**
 * Values found in nearly every event of some source — HTTP methods, protocol words, the Windows
 * directory — tell the prefilter nothing: `cs-method: GET` AND a list of injection strings must be
 * keyed on the injection strings, or the rule runs on every request.
 */
const commonAtoms = new Set([
  'get', 'post', 'head', 'put', 'options', 'http', 'https', 'http/1.1', 'true', 'false', 'null',
  '.exe', '.dll', 'c:\\', 'c:\\windows\\', '\\windows\\', 'system32', '\\system32\\', 'windows', 'microsoft',
  '200', '301', '302', '304', '403', '404', '500',
]);

function selectivity(atom: string): number {
  return commonAtoms.has(atom) ? 0 : atom.length;
}

/** The most selective of several required sets: the one whose least selective atom is best. */
export function allOf(children: Atoms[]): Atoms {
  let best: string[] | null = null;
  let bestScore = -1;
  for (const c of children) {
    if (c === null || c.length === 0) continue;
    const score = Math.min(...c.map(selectivity)) * 1000 - c.length;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export function itemAtoms(spec: ItemSpec): Atoms {
  if (spec.negated) return null;
  const perValue = spec.values.map((alts) => anyOf(alts.map((l) => {
    const a = leafAtom(l);
    return a === null ? null : [a];
  })));
  return spec.linkAll ? allOf(perValue) : anyOf(perValue);
}

export function conditionAtoms(node: ResolvedCondition, searchAtoms: ReadonlyMap<string, Atoms>): Atoms {
  switch (node.kind) {
    case 'id':
      return searchAtoms.get(node.name) ?? null;
    case 'not':
      return null;
    case 'and':
      return allOf(node.args.map((a) => conditionAtoms(a, searchAtoms)));
    case 'or':
      return anyOf(node.args.map((a) => conditionAtoms(a, searchAtoms)));
  }
}

/**
 * @module detect/sigma/atoms
 * Required atoms for prefiltering many rules at once: a set of lower-cased literal strings of
 * which at least one must occur in the string form of some field value for the rule to match
 * (numbers are compared by their text). Derived bottom-up: a string value contributes its longest
 * literal segment; OR (values, alternatives, `1 of`, several conditions) unions its children and
 * is null when any child is; AND (`all`, map items, `and`, `all of`) keeps its most selective
 * child. NOT, keywords, regexes, numbers, null, exists, cidr, comparisons and field references give
 * null: no literal is guaranteed.
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

/** The most selective of several required sets: the one whose shortest atom is longest. */
export function allOf(children: Atoms[]): Atoms {
  let best: string[] | null = null;
  let bestScore = -1;
  for (const c of children) {
    if (c === null || c.length === 0) continue;
    const score = Math.min(...c.map((a) => a.length)) * 1000 - c.length;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export function itemAtoms(spec: ItemSpec): Atoms {
  if (spec.field === null || spec.negated) return null;
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

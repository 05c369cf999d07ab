/**
 * @module detect/sigma/yaml-node
 * A located view of a YAML document: plain maps, sequences and scalars that each remember the
 * 1-based line they start on, so every later error can name the file and line of the offending
 * node. Also the deep merge used by Sigma rule collections (`action: global` / `repeat`), which
 * must keep those lines (pySigma `deep_dict_update`: maps merge recursively, otherwise the later
 * document wins).
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';

export type ScalarValue = string | number | boolean | null;

export interface LEntry {
  key: string;
  line: number;
  value: LNode;
}

export type LNode =
  | { kind: 'map'; line: number; entries: LEntry[] }
  | { kind: 'seq'; line: number; items: LNode[] }
  | { kind: 'scalar'; line: number; value: ScalarValue };

export type LMap = Extract<LNode, { kind: 'map' }>;

/** Converts a parsed YAML node into a located node (aliases resolved, keys stringified). */
export function toLocated(node: unknown, doc: Document.Parsed, lines: LineCounter): LNode {
  const lineOf = (n: YamlNode | null | undefined): number => {
    const offset = n?.range?.[0];
    return offset === undefined ? 1 : lines.linePos(offset).line;
  };
  const convert = (n: unknown, depth: number): LNode => {
    if (depth > 64) return { kind: 'scalar', line: 1, value: null };
    if (isAlias(n)) return convert(n.resolve(doc), depth + 1);
    if (isMap(n)) {
      const entries: LEntry[] = [];
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        entries.push({ key, line: lineOf(keyNode), value: convert(pair.value, depth + 1) });
      }
      return { kind: 'map', line: lineOf(n), entries };
    }
    if (isSeq(n)) {
      return { kind: 'seq', line: lineOf(n), items: n.items.map((item) => convert(item, depth + 1)) };
    }
    if (isScalar(n)) {
      const v = n.value;
      const value: ScalarValue =
        v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? v
          : typeof v === 'bigint'
            ? Number(v)
            : String(n.source ?? v);
      return { kind: 'scalar', line: lineOf(n), value };
    }
    return { kind: 'scalar', line: 1, value: null };
  };
  return convert(node, 0);
}

export function entry(map: LMap, key: string): LEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function withoutKey(map: LMap, key: string): LMap {
  return { ...map, entries: map.entries.filter((e) => e.key !== key) };
}

/** Deep merge: maps merge key by key; anything else in `over` replaces what `base` had. */
export function deepMerge(base: LNode, over: LNode): LNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries = base.entries.map((e) => ({ ...e }));
  for (const o of over.entries) {
    const i = entries.findIndex((e) => e.key === o.key);
    const existing = i >= 0 ? entries[i] : undefined;
    if (existing) entries[i] = { key: o.key, line: o.line, value: deepMerge(existing.value, o.value) };
    else entries.push(o);
  }
  return { kind: 'map', line: over.line, entries };
}

/** What a node is, for "wrong type" messages. */
export function describe(node: LNode): string {
  if (node.kind !== 'scalar') return node.kind === 'map' ? 'a map' : 'a list';
  return node.value === null ? 'null' : `a ${typeof node.value}`;
}

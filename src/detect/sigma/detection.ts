/**
 * @module detect/sigma/detection
 * The `detection` section (and a filter's `filter` section) → `DetectionModel`. Structure per
 * the rules spec ("Detection", "Lists", "Maps", "Keywords search"): a map is AND-ed, a list of
 * maps OR-ed, a list of plain values is a keyword search (OR, or AND with `'|all'`). Every item is
 * checked here — unknown modifiers, types, regexes RE2 cannot compile — by running the modifier
 * chain once without placeholders; the condition is parsed and resolved so an undefined search
 * identifier is reported at the condition's line. `timeframe` belonged to the deprecated
 * aggregations and is ignored.
 */
import { ConditionError, parseCondition, resolveCondition } from './condition.js';
import { applyModifiers, ModifierError } from './modifiers.js';
import type { ConditionModel, DetectionItemModel, DetectionModel, SearchModel } from './model.js';
import { describe } from './yaml-node.js';
import type { LMap, LNode, ScalarValue } from './yaml-node.js';

export type Report = (line: number, detail: string, column?: number) => void;

/** Parses a detection map; `reserved` keys (condition, and `rules` for filters) are not searches. */
export function parseDetection(map: LMap, report: Report, reserved: readonly string[] = []): DetectionModel | null {
  let ok = true;
  const fail: Report = (line, detail, column) => {
    ok = false;
    report(line, detail, column);
  };
  const searches: SearchModel[] = [];
  let conditionEntry: { line: number; value: LNode } | undefined;
  for (const e of map.entries) {
    if (e.key === 'condition') conditionEntry = e;
    else if (e.key === 'timeframe' || reserved.includes(e.key)) continue;
    else {
      const search = parseSearch(e.key, e.line, e.value, fail);
      if (search) searches.push(search);
    }
  }
  if (!conditionEntry) {
    fail(map.line, "the detection has no 'condition'");
    return null;
  }
  const texts: { text: string; line: number }[] = [];
  const c = conditionEntry.value;
  if (c.kind === 'scalar' && typeof c.value === 'string') texts.push({ text: c.value, line: c.line });
  else if (c.kind === 'seq' && c.items.length > 0 && c.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string')) {
    for (const i of c.items) if (i.kind === 'scalar') texts.push({ text: String(i.value), line: i.line });
  } else {
    fail(c.line, `'condition' must be a string or a list of strings, not ${describe(c)}`);
    return null;
  }
  const names = searches.map((s) => s.name);
  const conditions: ConditionModel[] = [];
  for (const t of texts) {
    try {
      const tree = parseCondition(t.text);
      resolveCondition(tree, names);
      conditions.push({ text: t.text, line: t.line, tree });
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      fail(t.line, `condition '${t.text}' (at character ${err.pos + 1}): ${err.message}`);
    }
  }
  return ok ? { searches, conditions } : null;
}

function parseSearch(name: string, line: number, node: LNode, fail: Report): SearchModel | null {
  const alternatives: DetectionItemModel[][] = [];
  if (node.kind === 'map') {
    const items = parseMap(node, fail);
    if (!items) return null;
    alternatives.push(items);
  } else if (node.kind === 'seq') {
    if (node.items.length === 0) {
      fail(node.line, `search '${name}' is an empty list`);
      return null;
    }
    const keywords: ScalarValue[] = [];
    for (const item of node.items) {
      if (item.kind === 'scalar') keywords.push(item.value);
      else if (item.kind === 'map') {
        const items = parseMap(item, fail);
        if (!items) return null;
        alternatives.push(items);
      } else {
        fail(item.line, `search '${name}' may hold values or maps, not a nested list`);
        return null;
      }
    }
    if (keywords.length > 0) {
      const item: DetectionItemModel = { field: null, modifiers: [], values: keywords, line: node.line };
      if (!checkItem(item, fail)) return null;
      alternatives.push([item]);
    }
  } else {
    const item: DetectionItemModel = { field: null, modifiers: [], values: [node.value], line: node.line };
    if (!checkItem(item, fail)) return null;
    alternatives.push([item]);
  }
  return { name, line, alternatives };
}

function parseMap(map: LMap, fail: Report): DetectionItemModel[] | null {
  if (map.entries.length === 0) {
    fail(map.line, 'a search map must not be empty');
    return null;
  }
  const items: DetectionItemModel[] = [];
  for (const e of map.entries) {
    const [fieldPart = '', ...modifiers] = e.key.split('|');
    const field = fieldPart === '' ? null : fieldPart;
    let values: ScalarValue[];
    const v = e.value;
    if (v.kind === 'scalar') values = [v.value];
    else if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar')) {
      values = v.items.map((i) => (i.kind === 'scalar' ? i.value : null));
      if (values.length === 0) {
        fail(v.line, `'${e.key}' has an empty list of values`);
        return null;
      }
    } else {
      fail(v.line, `the value of '${e.key}' must be a value or a list of values, not ${describe(v)}`);
      return null;
    }
    const item: DetectionItemModel = { field, modifiers, values, line: e.line };
    if (!checkItem(item, fail)) return null;
    items.push(item);
  }
  return items;
}

/** Runs the modifier chain once (placeholders left open) to report its problems at load time. */
function checkItem(item: DetectionItemModel, fail: Report): boolean {
  try {
    applyModifiers(item.field, item.modifiers, item.values, {});
    return true;
  } catch (err) {
    if (!(err instanceof ModifierError)) throw err;
    const key = [item.field ?? '', ...item.modifiers].join('|');
    fail(item.line, `'${key}': ${err.message}`);
    return false;
  }
}

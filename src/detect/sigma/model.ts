/**
 * @module detect/sigma/model
 * The rule model: what a Sigma document says, validated, with locations, before anything is
 * compiled. Detection structure per the Sigma rules spec ("Detection"): a search identifier is a
 * map (items AND-ed), a list of maps (OR-ed), or a list of plain values (keywords, OR-ed); each
 * item is `field|modifier|…: value(s)`.
 */
import type { Logsource, RuleLocation, SigmaLevel } from './contract.js';
import type { ConditionNode } from './condition.js';
import type { ScalarValue } from './yaml-node.js';

/** One `field|modifiers: values` entry (field null: a keyword search over the whole event). */
export interface DetectionItemModel {
  field: string | null;
  modifiers: string[];
  values: ScalarValue[];
  line: number;
}

/** A search identifier: alternatives OR-ed, the items of one alternative AND-ed. */
export interface SearchModel {
  name: string;
  line: number;
  alternatives: DetectionItemModel[][];
}

export interface ConditionModel {
  text: string;
  line: number;
  tree: ConditionNode;
}

export interface DetectionModel {
  searches: SearchModel[];
  /** Several conditions (a YAML list) are OR-ed (rules spec "Condition"). */
  conditions: ConditionModel[];
}

export interface SigmaRuleModel {
  /** The rule's `id`, or a stable id derived from file and title when it has none. */
  id: string;
  name: string | null;
  title: string;
  description: string | null;
  level: SigmaLevel | null;
  status: string | null;
  tags: string[];
  logsource: Logsource;
  /** Interesting fields to display (`fields`). */
  fields: string[];
  falsepositives: string[];
  detection: DetectionModel;
  location: RuleLocation;
}

/** A Sigma filter (filters spec): adds `and not <condition>` to the rules it names. */
export interface SigmaFilterModel {
  id: string;
  title: string;
  logsource: Logsource;
  /** Rule ids or names; empty means every rule whose logsource the filter's covers. */
  rules: string[];
  detection: DetectionModel;
  location: RuleLocation;
}

/**
 * @module core/event
 * The normalised event: Elastic Common Schema (ECS) as nested plain objects.
 * Field names and types follow the ECS reference (https://www.elastic.co/guide/en/ecs/current/):
 * `@timestamp`, `event.*`, `source.*`, `url.*`, `http.*`, `user_agent.*`, `user.*`, `host.*`,
 * `process.*`, `winlog.*` … plus `organization.id` (set by ingest from the sensor, never from the
 * payload) and `observer.*` (the sensor).
 */

export type EcsScalar = string | number | boolean | null;
export type EcsValue = EcsScalar | EcsValue[] | EcsObject;
export interface EcsObject {
  [field: string]: EcsValue | undefined;
}

/** ECS `event.outcome` allowed values (ECS "event.outcome" categorisation field). */
export type EventOutcome = 'success' | 'failure' | 'unknown';

/** ECS `event.*` fields used by Vigil. Categories and types follow ECS categorisation fields. */
export type EventFields = {
  kind?: 'event' | 'alert' | 'metric' | 'state' | 'pipeline_error' | 'signal';
  category?: string[];
  type?: string[];
  outcome?: EventOutcome;
  action?: string;
  code?: string;
  dataset?: string;
  module?: string;
  provider?: string;
  severity?: number;
  original?: string;
  created?: string;
  ingested?: string;
  id?: string;
  duration?: number;
  timezone?: string;
  [field: string]: EcsValue | undefined;
};

/** A normalised event. Every other ECS field set is reachable through the index signature. */
export type EcsEvent = {
  '@timestamp': string;
  event: EventFields;
  message?: string;
  tags?: string[];
  labels?: { [key: string]: string };
  organization?: { id: string; name?: string };
  observer?: { id?: string; name?: string; type?: string; hostname?: string; ip?: string; vendor?: string; product?: string; version?: string };
  [field: string]: EcsValue | undefined;
};

/** Reads a dotted ECS path (`source.ip`) from a nested event. Returns undefined when absent. */
export function getField(event: EcsObject, path: string): EcsValue | undefined {
  const direct = event[path];
  if (direct !== undefined) return direct;
  let node: EcsValue | undefined = event;
  let start = 0;
  while (start <= path.length) {
    let dot = path.indexOf('.', start);
    if (dot === -1) dot = path.length;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as EcsObject)[path.slice(start, dot)];
    if (node === undefined) return undefined;
    start = dot + 1;
  }
  return node;
}

/** Writes a dotted ECS path into a nested event, creating intermediate objects. */
export function setField(event: EcsObject, path: string, value: EcsValue): void {
  let node: EcsObject = event;
  let start = 0;
  for (;;) {
    const dot = path.indexOf('.', start);
    if (dot === -1) {
      node[path.slice(start)] = value;
      return;
    }
    const key = path.slice(start, dot);
    let child = node[key];
    if (child === undefined || child === null || typeof child !== 'object' || Array.isArray(child)) {
      child = {};
      node[key] = child;
    }
    node = child;
    start = dot + 1;
  }
}

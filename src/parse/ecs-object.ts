/**
 * @module parse/ecs-object
 * Building nested ECS objects on the hot path. `core/event`'s `setField` splits a dotted path on
 * every call; normalisers that write known fields in a tight loop reach the parent object once
 * with `childObject` and assign the leaf directly.
 */
import type { EcsObject } from '../core/event.js';

/** `parent[key]` as an object, created (or replacing a non-object) when absent. */
export function childObject(parent: EcsObject, key: string): EcsObject {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing;
  const created: EcsObject = {};
  parent[key] = created;
  return created;
}

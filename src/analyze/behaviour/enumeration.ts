/**
 * @module analyze/behaviour/enumeration
 * Enumeration: one client walking identifiers (IDOR harvesting, scraping of citizens' records). Per
 * (organisation, client, path template, parameter) the distinct identifier values served with a
 * 2xx are kept over a long window, so that a slow walk of one request every 20–30 s is still seen
 * within the hour. It fires when there are many values and most of them sit next to another value
 * (a walk): a citizen opening their own few records again and again adds nothing, and a clerk
 * opening unrelated records does not walk. At most one finding per tracker and window.
 */
import type { BoundedMap } from './bounded-map.js';
import { commonFields, type DetectionContext } from './context.js';
import { behaviourFields } from './findings.js';
import type { IdList } from './paths.js';
import { countRecent, createRecentSet, touchRecent, walkRange, walkShare, type RecentSet } from './windows.js';

export interface EnumerationTracker {
  values: RecentSet;
  /** Time of the last finding (0: never). */
  firedAt: number;
}

export function createEnumerationTracker(): EnumerationTracker {
  return { values: createRecentSet(), firedAt: -0 };
}

const separator = '\u0000';

/** Identifier values of a 2xx response to the event's source. */
export function observeEnumeration(trackers: BoundedMap<EnumerationTracker>, context: DetectionContext, template: string, ids: IdList): void {
  const { view } = context;
  for (let i = 0; i < ids.count; i++) {
    const param = ids.params[i] as string;
    // Scoped by organisation only: a scope per client would cost a map per citizen.
    const tracker = trackers.obtain(view.orgId, view.ip + separator + param + separator + template, createEnumerationTracker);
    observeValue(tracker, context, template, param, ids.groups[i] as number, ids.values[i] as number);
  }
}

function observeValue(tracker: EnumerationTracker, context: DetectionContext, template: string, param: string, group: number, value: number): void {
  const { view, options } = context;
  const windowMs = options.enumerationWindowSeconds * 1000;
  if (!touchRecent(tracker.values, group, value, view.timeMs, windowMs, options.maxValuesPerKey)) return;
  const distinct = countRecent(tracker.values, view.timeMs, windowMs);
  if (distinct < options.enumerationDistinct) return;
  if (tracker.firedAt !== 0 && view.timeMs < tracker.firedAt + windowMs) return;
  const share = walkShare(tracker.values, options.enumerationWalkDistance);
  if (share < options.enumerationWalkShare) return;
  tracker.firedAt = view.timeMs;
  const { lowest, highest } = walkRange(tracker.values);
  context.emit({
    kind: 'enumeration',
    subject: `src:${view.ip}|${template}|${param}`,
    windowStartMs: view.timeMs - windowMs,
    severity: 'high',
    measures: { distinct, walkShare: share, lowest, highest, threshold: options.enumerationDistinct, windowMinutes: options.enumerationWindowSeconds / 60, capped: tracker.values.capped ? 1 : 0 },
    fields: commonFields(context, { [behaviourFields.template]: template, [behaviourFields.parameter]: param }),
  });
}

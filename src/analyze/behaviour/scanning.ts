/**
 * @module analyze/behaviour/scanning
 * Scanning: one client asking for many paths that do not exist or are refused — 400, 403, 404 and
 * 405 — within a short window (vulnerability scanners, forced browsing, wordlists). Distinct paths
 * are counted, not requests, so a browser retrying a missing favicon never adds up. At most one
 * finding per client and window.
 */
import { commonFields, type DetectionContext } from './context.js';
import type { ClientState } from './logins.js';
import { hashText } from './paths.js';
import { countRecent, createRecentSet, touchRecent } from './windows.js';

export function isScanStatus(status: number): boolean {
  return status === 404 || status === 403 || status === 400 || status === 405;
}

/** A 400/403/404/405 answered to the event's source. */
export function observeScanning(client: ClientState, context: DetectionContext): void {
  const { view, options } = context;
  const windowMs = options.scanWindowSeconds * 1000;
  const paths = (client.scanPaths ??= createRecentSet());
  if (!touchRecent(paths, hashText(view.path), 0, view.timeMs, windowMs, options.maxValuesPerKey)) return;
  const distinct = countRecent(paths, view.timeMs, windowMs);
  if (distinct < options.scanDistinctPaths) return;
  if (client.scanAt !== 0 && view.timeMs < client.scanAt + windowMs) return;
  client.scanAt = view.timeMs;
  context.emit({
    kind: 'scanning',
    subject: `src:${view.ip}`,
    windowStartMs: view.timeMs - windowMs,
    severity: distinct >= 3 * options.scanDistinctPaths ? 'high' : 'medium',
    measures: { distinctPaths: distinct, threshold: options.scanDistinctPaths, windowSeconds: options.scanWindowSeconds, status: view.status },
    fields: commonFields(context),
  });
}

/**
 * @module intel/stats
 * Figures about the intelligence a reader holds: its indicators in force, expired and revoked, by
 * type, by TLP and by source — only those TLP 2.0 lets the reader's organisation see (the store's
 * TLP filter, intel/tlp.ts `maySee`) — and the sightings in the reader's scope of those indicators
 * over the last 24 hours and 7 days, with the most sighted ones. The API (`/api/v1/intel/stats`)
 * and `vigil intel stats` show the same object.
 */
import type { Scope } from '../core/scope.js';
import type { IndicatorRepository, IndicatorState, SightingRepository } from '../store/store.js';
import { indicatorTypes, tlpLevels, type IndicatorType, type Tlp } from './model.js';
import type { IntelViewer } from './tlp.js';

export const indicatorStates: readonly IndicatorState[] = ['active', 'expired', 'revoked'];

export type StateCounts = Record<IndicatorState, number> & { total: number };

export interface SightingWindow {
  sightings: number;
  organisations: number;
}

export interface IntelStatistics {
  /** When the figures were taken (ISO 8601). */
  at: string;
  indicators: {
    total: StateCounts;
    byType: ({ type: IndicatorType } & StateCounts)[];
    byTlp: ({ tlp: Tlp } & StateCounts)[];
    /** Most indicators first. */
    bySource: ({ source: string } & StateCounts)[];
  };
  sightings: {
    last24h: SightingWindow;
    last7d: SightingWindow;
    /** The most sighted indicators of the last 7 days. */
    top: { indicatorId: string; type: IndicatorType; value: string; tlp: Tlp; count: number; lastSeen: string }[];
  };
}

const DAY = 24 * 60 * 60 * 1000;

export function intelStatistics(
  sources: { indicators: IndicatorRepository; sightings: SightingRepository; now: number },
  reader: { viewer: IntelViewer; scope: Scope },
  options: { top?: number } = {},
): IntelStatistics {
  const { now } = sources;
  const empty = (): StateCounts => ({ active: 0, expired: 0, revoked: 0, total: 0 });
  const total = empty();
  const byType = new Map<IndicatorType, StateCounts>();
  const byTlp = new Map<Tlp, StateCounts>();
  const bySource = new Map<string, StateCounts>();
  const add = <K>(map: Map<K, StateCounts>, key: K, state: IndicatorState, n: number) => {
    let counts = map.get(key);
    if (!counts) map.set(key, (counts = empty()));
    counts[state] += n;
    counts.total += n;
  };
  for (const row of sources.indicators.countByState(reader.viewer, now)) {
    total[row.state] += row.count;
    total.total += row.count;
    add(byType, row.type, row.state, row.count);
    add(byTlp, row.tlp, row.state, row.count);
    add(bySource, row.source, row.state, row.count);
  }
  const day = sources.sightings.activity(reader.scope, reader.viewer, { since: now - DAY, top: 0 });
  const week = sources.sightings.activity(reader.scope, reader.viewer, { since: now - 7 * DAY, top: options.top ?? 10 });
  const top = week.top.flatMap((t) => {
    const indicator = sources.indicators.get(reader.viewer, t.indicatorId);
    return indicator ? [{ indicatorId: t.indicatorId, type: indicator.type, value: indicator.value, tlp: indicator.tlp, count: t.count, lastSeen: t.lastSeen }] : [];
  });
  return {
    at: new Date(now).toISOString(),
    indicators: {
      total,
      byType: indicatorTypes.flatMap((type) => {
        const counts = byType.get(type);
        return counts ? [{ type, ...counts }] : [];
      }),
      byTlp: tlpLevels.flatMap((tlp) => {
        const counts = byTlp.get(tlp);
        return counts ? [{ tlp, ...counts }] : [];
      }),
      bySource: [...bySource].map(([source, counts]) => ({ source, ...counts })).sort((a, b) => b.total - a.total || a.source.localeCompare(b.source)),
    },
    sightings: {
      last24h: { sightings: day.sightings, organisations: day.organisations },
      last7d: { sightings: week.sightings, organisations: week.organisations },
      top,
    },
  };
}

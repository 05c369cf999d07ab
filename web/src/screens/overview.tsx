/**
 * @module web/screens/overview
 * The overview of the user's scope: open alerts and incidents, warnings awaiting acknowledgement,
 * the map of open incidents by province, events per hour over 24 h (the ingest rollups, cheap at
 * any volume), top techniques, sources and attacked organisations from the open alerts. Reloads
 * when the live stream brings something.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Alert, CoverageReport, Incident, Page, StatsReply, Warning } from '../api-types.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { useLiveMessages, useLiveReload } from '../live.js';
import { provinceTileOf, tilesInScope } from '../province-of.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine, SeverityBadge } from '../widgets/labels.js';
import { VietnamMap } from '../widgets/vietnam-map.js';

interface OverviewData {
  incidents: Page<Incident>;
  alerts: Page<Alert>;
  awaiting: Page<Warning>;
  stats: StatsReply;
}

/** Performance marks the browser test reads: navigation start → overview data drawn. */
export const overviewReadyMark = 'vigil-overview-ready';

/** The map counts at most this many open incidents (the newest); beyond, it says so. */
const maxIncidents = 2000;

function top(values: Iterable<string>, n = 5): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

export function Overview() {
  const { api, orgs, centre, me } = useSession();
  const { t, num, name, time, lang } = useI18n();
  /** Open incidents, newest activity first, up to `maxIncidents` (pages of 500). */
  const openIncidents = async (): Promise<Page<Incident>> => {
    const items: Incident[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Incident> = await api.get<Page<Incident>>('/api/v1/incidents', { open: 'true', limit: 500, cursor: cursor ?? undefined });
      items.push(...page.items);
      cursor = page.next;
    } while (cursor !== null && items.length < maxIncidents);
    return { items, next: cursor };
  };
  const loaded = useLoad<OverviewData>(async () => {
    const [incidents, alerts, awaiting, stats] = await Promise.all([
      openIncidents(),
      api.get<Page<Alert>>('/api/v1/alerts', { status: 'open', limit: 1000 }),
      api.get<Page<Warning>>('/api/v1/warnings', { unacknowledged: 'true', status: 'issued', limit: 50 }),
      api.get<StatsReply>('/api/v1/stats/events', { bucket: 'hour' }),
    ]);
    return { incidents, alerts, awaiting, stats };
  }, [api]);
  // New alerts and incidents arrive on the stream in every detection batch: the counters follow within 5 s.
  useLiveReload(loaded.reload, undefined, 5000);
  const data = loaded.data;
  // Between reloads, the stream's own counts: alerts announced and incidents opened since the last load.
  const [fresh, setFresh] = useState({ alerts: 0, incidents: 0 });
  useEffect(() => setFresh({ alerts: 0, incidents: 0 }), [data]);
  useLiveMessages(['alert', 'incident'], (message) => setFresh((f) => liveCounts(f, message.event, message.data)));

  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const incident of data?.incidents.items ?? []) {
      const code = provinceTileOf(incident.orgId, orgs);
      if (code) map.set(code, (map.get(code) ?? 0) + 1);
    }
    return map;
  }, [data, orgs]);
  const inScope = useMemo(() => tilesInScope(orgs, centre), [orgs, centre]);

  const alerts = data?.alerts.items ?? [];
  const techniques = top(alerts.flatMap((a) => a.tags.filter((tag) => /^attack\.t\d/i.test(tag)).map((tag) => tag.slice(7).toUpperCase())));
  // Sources: the alerts' grouped source address, else the incidents' (an incident's entity is often the attacker's address).
  const alertSources = alerts.map((a) => a.group?.['source.ip'] ?? '').filter((s) => s !== '');
  const sources = top(alertSources.length > 0 ? alertSources : (data?.incidents.items ?? []).filter((i) => i.entity.type === 'ip').flatMap((i) => Array<string>(i.alertCount).fill(i.entity.value)));
  const targets = top(alerts.map((a) => a.orgId));
  const hours = useMemo(() => (data ? hourlyBuckets(data.stats) : []), [data]);
  const eventsTotal = hours.reduce((s, [, c]) => s + c, 0);
  const more = (page: Page<unknown> | undefined): string => (page?.next ? '+' : '');

  if (data && typeof performance !== 'undefined' && performance.getEntriesByName(overviewReadyMark).length === 0) performance.mark(overviewReadyMark);

  return (
    <section className="screen overview" aria-busy={loaded.loading}>
      <header className="screen-head">
        <h1>{t('overview.title')}</h1>
        <p className="muted">{t('overview.scope', { org: name(me.organization) })}</p>
      </header>
      <ErrorLine error={loaded.error} />
      <div className="kpis">
        <Kpi label="overview.openAlerts" value={data ? `${num(data.alerts.items.length + fresh.alerts)}${more(data.alerts)}` : '…'} testId="kpi-alerts" onClick={() => navigate('/alerts')} />
        <Kpi label="overview.openIncidents" value={data ? `${num(data.incidents.items.length + fresh.incidents)}${more(data.incidents)}` : '…'} testId="kpi-incidents" onClick={() => navigate('/incidents')} />
        <Kpi label="overview.awaitingAck" value={data ? `${num(data.awaiting.items.length)}${more(data.awaiting)}` : '…'} testId="kpi-awaiting" onClick={() => navigate('/warnings')} />
        <Kpi label="overview.events24h" value={data ? num(eventsTotal) : '…'} testId="kpi-events" />
      </div>
      <div className="overview-grid">
        <div className="card map-card">
          <h2>{t('overview.map')}</h2>
          <VietnamMap counts={counts} inScope={inScope} onSelect={() => navigate('/incidents')} />
          {data?.incidents.next ? <p className="muted small">{t('overview.mapTruncated', { count: num(data.incidents.items.length) })}</p> : null}
        </div>
        <div className="overview-side">
          <div className="card">
            <h2>{t('overview.trend')}</h2>
            <Trend hours={hours} />
          </div>
          <div className="card">
            <h2>{t('overview.awaitingList')}</h2>
            {data && data.awaiting.items.length === 0 ? <p className="muted">{t('common.none')}</p> : null}
            <ul className="plain-list" data-testid="awaiting-list">
              {(data?.awaiting.items ?? []).slice(0, 8).map((w) => (
                <li key={w.id}>
                  <a href={`/warnings/${w.id}`} onClick={(e) => { e.preventDefault(); navigate(`/warnings/${w.id}`); }}>
                    <SeverityBadge severity={w.severity} /> {w.title[lang]}
                  </a>
                  <span className="muted small"> · {t('warnings.ackBy')} {time(w.ackDeadline)}</span>
                </li>
              ))}
            </ul>
          </div>
          <SensorHealth />
          <div className="card tops">
            <TopList title="overview.topTechniques" rows={techniques} />
            <TopList title="overview.topSources" rows={sources} />
            <TopList title="overview.topTargets" rows={targets.map(([id, c]) => [name(orgs.get(id), id), c])} />
          </div>
        </div>
      </div>
    </section>
  );
}

/** The overview's counters moved by one stream event: `alert` adds its count, `incident` one when opened. */
export function liveCounts(f: { alerts: number; incidents: number }, event: string, data: string): { alerts: number; incidents: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return f;
  }
  if (parsed === null || typeof parsed !== 'object') return f;
  if (event === 'alert' && 'count' in parsed && typeof parsed.count === 'number') return { ...f, alerts: f.alerts + parsed.count };
  if (event === 'incident' && 'change' in parsed && parsed.change === 'created') return { ...f, incidents: f.incidents + 1 };
  return f;
}

/** 24 hourly buckets (empty hours count 0) from the rollup rows, keyed by the hour's start. */
export function hourlyBuckets(stats: StatsReply): [string, number][] {
  const hour = 3_600_000;
  const counts = new Map<number, number>();
  for (const row of stats.rows) {
    const start = Math.floor(Date.parse(row.bucket) / hour) * hour;
    counts.set(start, (counts.get(start) ?? 0) + row.count);
  }
  const out: [string, number][] = [];
  const end = Date.parse(stats.to);
  for (let t = Math.floor(Date.parse(stats.from) / hour) * hour; t < end; t += hour) out.push([new Date(t).toISOString(), counts.get(t) ?? 0]);
  return out;
}

/** Which systems send nothing (the measures' coverage, `GET /api/v1/measures`): loaded apart, never holding up the rest. */
function SensorHealth() {
  const { api, orgs } = useSession();
  const { t, num, name } = useI18n();
  const loaded = useLoad(() => api.get<CoverageReport>('/api/v1/measures', { days: 1 }), [api]);
  const coverage = loaded.data?.org.subtree.coverage;
  if (!coverage) return null;
  const quiet = [...coverage.silent.items, ...coverage.withoutSensor.items];
  return (
    <div className="card" data-testid="sensor-health">
      <h2>{t('overview.sensorHealth')}</h2>
      <p>{t('overview.reporting', { reporting: num(coverage.reporting), systems: num(coverage.systems), hours: loaded.data?.silenceHours ?? 24 })}</p>
      {quiet.length > 0 ? (
        <ul className="plain-list small">
          {coverage.silent.items.slice(0, 6).map((s) => <li key={s.id}><span className="state late">{t('overview.silent')}</span> {s.name} <span className="muted">· {name(orgs.get(s.orgId), s.orgId)}</span></li>)}
          {coverage.withoutSensor.items.slice(0, 6).map((s) => <li key={s.id}><span className="state no">{t('overview.noSensor')}</span> {s.name} <span className="muted">· {name(orgs.get(s.orgId), s.orgId)}</span></li>)}
        </ul>
      ) : null}
      {coverage.silent.count + coverage.withoutSensor.count > 12 ? <p className="muted small">{t('common.more', { count: coverage.silent.count + coverage.withoutSensor.count - 12 })}</p> : null}
    </div>
  );
}

function Kpi({ label, value, testId, onClick }: { label: MessageKey; value: string; testId: string; onClick?: () => void }) {
  const { t } = useI18n();
  const body = (
    <>
      <span className="kpi-value" data-testid={testId}>{value}</span>
      <span className="kpi-label">{t(label)}</span>
    </>
  );
  return onClick ? <button type="button" className="kpi card" onClick={onClick}>{body}</button> : <div className="kpi card">{body}</div>;
}

function TopList({ title, rows }: { title: MessageKey; rows: [string, number][] }) {
  const { t, num } = useI18n();
  return (
    <div>
      <h3>{t(title)}</h3>
      {rows.length === 0 ? <p className="muted small">{t('common.none')}</p> : null}
      <ol className="top-list">
        {rows.map(([label, count]) => (
          <li key={label}><span className="top-label">{label}</span><span className="top-count">{num(count)}</span></li>
        ))}
      </ol>
    </div>
  );
}

function Trend({ hours }: { hours: [string, number][] }) {
  const { t, time } = useI18n();
  if (hours.length === 0) return <p className="muted small">{t('common.none')}</p>;
  const max = Math.max(1, ...hours.map(([, c]) => c));
  const w = 300;
  const h = 70;
  const bar = w / hours.length;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" className="trend" role="img" aria-label={t('overview.trend')}>
      {hours.map(([bucket, count], i) => {
        const bh = Math.max(1, (count / max) * (h - 4));
        return (
          <rect key={bucket} x={i * bar + 1} y={h - bh} width={Math.max(1, bar - 2)} height={bh} className="trend-bar">
            <title>{`${time(bucket)}: ${count}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

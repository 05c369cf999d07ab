/**
 * @module web/screens/posture
 * The posture of the user's organisation and of each organisation one level below it, ranked by
 * score and explained term by term (`GET /api/v1/measures/posture`, src/warn/posture.ts); the
 * ranking exports as CSV and the screen prints as a report (the print stylesheet hides the rest).
 */
import { useState } from 'react';
import type { ApiClient } from '../api-client.js';
import type { PostureReport } from '../api-types.js';
import { downloadCsv, toCsv } from '../csv.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-load.js';
import { ErrorLine } from '../widgets/labels.js';
import { PostureExplanation, PostureRanking, postureCsvRows, rankPostures } from '../widgets/posture-ranking.js';

const periods = [7, 30, 90] as const;

/** The user's organisation's posture, then each child's (a few requests at a time). */
export async function loadPostures(api: ApiClient, days: number): Promise<PostureReport[]> {
  const root = await api.get<PostureReport>('/api/v1/measures/posture', { days });
  const children = root.children.map((c) => c.orgId);
  const out: PostureReport[] = [root];
  for (let i = 0; i < children.length; i += 6) {
    const batch = children.slice(i, i + 6);
    out.push(...await Promise.all(batch.map((org) => api.get<PostureReport>('/api/v1/measures/posture', { org, days }))));
  }
  return out;
}

export function Posture() {
  const { api, me } = useSession();
  const { t, lang, time } = useI18n();
  const [days, setDays] = useState<number>(30);
  const [selected, setSelected] = useState<string | null>(null);
  const loaded = useLoad(() => loadPostures(api, days), [api, days]);
  const reports = loaded.data ?? [];
  const shown = reports.find((r) => r.orgId === selected) ?? reports[0] ?? null;
  const exportCsv = () => {
    const stamp = new Date().toISOString().slice(0, 10);
    downloadCsv(`posture-${me.organization.code}-${stamp}.csv`, toCsv(postureCsvRows(reports, lang)));
  };
  return (
    <section className="screen posture-screen">
      <header className="screen-head">
        <h1>{t('posture.title')}</h1>
        <div className="actions no-print">
          <label className="inline">
            {t('posture.period')}{' '}
            <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="posture-days">
              {periods.map((d) => <option key={d} value={d}>{t('posture.lastDays', { days: d })}</option>)}
            </select>
          </label>
          <button type="button" onClick={exportCsv} disabled={reports.length === 0} data-testid="posture-csv">{t('posture.exportCsv')}</button>
          <button type="button" className="primary" onClick={() => window.print()} disabled={reports.length === 0}>{t('posture.print')}</button>
        </div>
      </header>
      <p className="muted small no-print">{t('posture.intro')}</p>
      <ErrorLine error={loaded.error} />
      {!loaded.data && loaded.loading ? <p className="muted">{t('common.loading')}</p> : null}
      {shown ? (
        <p className="print-only small">
          {t('posture.reportFor', { org: shown.name[lang] })} · {t('posture.period')}: {time(shown.period.from)} → {time(shown.period.to)}
        </p>
      ) : null}
      {reports.length > 0 ? (
        <div className="posture-layout">
          <div className="card">
            <h2>{t('posture.ranking', { count: rankPostures(reports).length })}</h2>
            <PostureRanking reports={reports} selected={shown?.orgId ?? null} onSelect={setSelected} />
          </div>
          {shown ? <div className="card"><PostureExplanation report={shown} /></div> : null}
        </div>
      ) : null}
    </section>
  );
}

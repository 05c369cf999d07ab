/**
 * @module web/widgets/posture-ranking
 * Organisations ranked by posture score (best first, ties by code), each explainable term by term:
 * the measured value, the weight, the points kept and the server's sentence in the current
 * language; and the same ranking as CSV rows (one column of points per term).
 */
import type { Lang, PostureReport, PostureTerm } from '../api-types.js';
import { postureTermIds } from '../api-types.js';
import type { CsvValue } from '../csv.js';
import { useI18n, translate } from '../i18n.js';

export function rankPostures(reports: readonly PostureReport[]): PostureReport[] {
  return [...reports].sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** A term's measured value for display: a share as a percentage, the incident cost as a count. */
export function termValue(term: PostureTerm, lang: Lang): string {
  if (term.value === null) return translate(lang, 'posture.noData');
  if (term.term === 'open-incidents') return String(term.value);
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(term.value);
}

/** The ranking as CSV rows: a header, then rank, code, name, score and each term's points. */
export function postureCsvRows(reports: readonly PostureReport[], lang: Lang): CsvValue[][] {
  const ranked = rankPostures(reports);
  const labelOf = (id: string): string => {
    for (const r of ranked) {
      const found = r.terms.find((x) => x.term === id);
      if (found) return found.label[lang];
    }
    return id;
  };
  const header: CsvValue[] = [
    translate(lang, 'posture.rank'), translate(lang, 'posture.code'), translate(lang, 'common.organisation'), translate(lang, 'posture.score'),
    ...postureTermIds.map(labelOf),
  ];
  const rows = ranked.map((r, i): CsvValue[] => [
    i + 1, r.code, r.name[lang], r.score,
    ...postureTermIds.map((id) => r.terms.find((x) => x.term === id)?.points ?? null),
  ]);
  return [header, ...rows];
}

export function scoreClass(score: number): string {
  return score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

export function PostureRanking({ reports, selected, onSelect }: { reports: readonly PostureReport[]; selected: string | null; onSelect: (orgId: string) => void }) {
  const { t, lang } = useI18n();
  const ranked = rankPostures(reports);
  return (
    <table data-testid="posture-ranking" className="posture-ranking">
      <thead>
        <tr>
          <th>{t('posture.rank')}</th>
          <th>{t('posture.code')}</th>
          <th>{t('common.organisation')}</th>
          <th>{t('posture.score')}</th>
        </tr>
      </thead>
      <tbody>
        {ranked.map((r, i) => (
          <tr key={r.orgId} data-org={r.orgId} className={`clickable${r.orgId === selected ? ' selected' : ''}`} aria-selected={r.orgId === selected}
            onClick={() => onSelect(r.orgId)}>
            <td>{i + 1}</td>
            <td>{r.code}</td>
            <td>
              <button type="button" className="link" onClick={(e) => { e.stopPropagation(); onSelect(r.orgId); }}>{r.name[lang]}</button>
            </td>
            <td><span className={`score score-${scoreClass(r.score)}`} data-testid="posture-score">{r.score}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PostureExplanation({ report }: { report: PostureReport }) {
  const { t, lang, time } = useI18n();
  return (
    <div className="posture-explanation" data-testid="posture-explanation" data-org={report.orgId}>
      <h2>{report.name[lang]} <span className="muted small">({report.code})</span></h2>
      <p className="small">
        <span className="muted">{t('posture.period')}: </span>{time(report.period.from)} → {time(report.period.to)}
      </p>
      <p className="posture-total">
        {t('posture.score')}: <span className={`score score-${scoreClass(report.score)}`}>{report.score}</span> / 100
      </p>
      <table className="posture-terms">
        <thead>
          <tr>
            <th>{t('posture.term')}</th>
            <th>{t('posture.value')}</th>
            <th>{t('posture.weight')}</th>
            <th>{t('posture.points')}</th>
            <th>{t('posture.why')}</th>
          </tr>
        </thead>
        <tbody>
          {report.terms.map((term) => (
            <tr key={term.term} data-term={term.term}>
              <td>{term.label[lang]}</td>
              <td>{termValue(term, lang)}</td>
              <td>{term.weight}</td>
              <td><strong>{term.points}</strong></td>
              <td className="small">{term.explanation[lang]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

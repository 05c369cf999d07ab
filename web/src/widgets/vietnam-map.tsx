/**
 * @module web/widgets/vietnam-map
 * The overview's map: the 34 provincial units as tiles (vietnam-tiles.ts) coloured by a count (open
 * incidents), units outside the user's scope hatched, and the Hoàng Sa and Trường Sa archipelagos
 * drawn and labelled. Colours are CSS variables (`--map-0` … `--map-4`), so both themes apply.
 */
import { useI18n } from '../i18n.js';
import { archipelagos, colourStep, colourSteps, provinceTiles } from './vietnam-tiles.js';

const TILE = 44;
const GAP = 4;
const PAD = 8;
const WIDTH = PAD * 2 + 9 * TILE;
const HEIGHT = PAD * 2 + 18 * TILE + 40;

export interface VietnamMapProps {
  /** Count per tile code (`HN`, `HCM` …). */
  counts: ReadonlyMap<string, number>;
  /** Tile codes the user may see; null: all of them. */
  inScope: ReadonlySet<string> | null;
  onSelect?: (code: string) => void;
}

export function VietnamMap({ counts, inScope, onSelect }: VietnamMapProps) {
  const { t, lang } = useI18n();
  const x = (col: number): number => PAD + col * TILE;
  const y = (row: number): number => PAD + row * TILE;
  return (
    <figure className="vn-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('overview.map')} data-testid="vietnam-map">
        <defs>
          <pattern id="vn-map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="var(--map-out)" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="var(--border)" strokeWidth="2" />
          </pattern>
        </defs>
        <rect x="0" y="0" width={WIDTH} height={HEIGHT - 44} rx="12" className="vn-map-sea" />
        {provinceTiles.map((tile) => {
          const visible = inScope === null || inScope.has(tile.code);
          const count = counts.get(tile.code) ?? 0;
          const step = colourStep(count);
          const name = lang === 'vi' ? tile.nameVi : tile.nameEn;
          const label = visible ? t('map.tile', { name, count }) : t('map.tileOut', { name });
          return (
            <g
              key={tile.code}
              className={`vn-map-tile${visible ? '' : ' out'}`}
              data-code={tile.code}
              data-count={visible ? count : ''}
              data-step={visible ? step : 'out'}
              transform={`translate(${x(tile.col)} ${y(tile.row)})`}
              role={onSelect && visible ? 'button' : undefined}
              tabIndex={onSelect && visible ? 0 : undefined}
              aria-label={label}
              onClick={onSelect && visible ? () => onSelect(tile.code) : undefined}
              onKeyDown={onSelect && visible ? (e) => (e.key === 'Enter' || e.key === ' ') && onSelect(tile.code) : undefined}
            >
              <title>{label}</title>
              <rect width={TILE - GAP} height={TILE - GAP} rx="6" fill={visible ? `var(--map-${step})` : 'url(#vn-map-hatch)'} stroke="var(--border)" />
              <text x={(TILE - GAP) / 2} y={visible && count > 0 ? 17 : 24} textAnchor="middle" className="vn-map-code">
                {tile.code}
              </text>
              {visible && count > 0 ? (
                <text x={(TILE - GAP) / 2} y={32} textAnchor="middle" className="vn-map-count">
                  {count}
                </text>
              ) : null}
            </g>
          );
        })}
        {(['hoangSa', 'truongSa'] as const).map((key) => {
          const group = archipelagos[key];
          return (
            <g key={key} className="vn-map-archipelago" data-archipelago={key} aria-label={t(`map.${key}`)}>
              {group.islands.map(([dx, dy], i) => (
                <circle key={i} cx={x(group.col + dx)} cy={y(group.row + dy)} r="3.2" />
              ))}
              <text x={x(group.col + 0.8)} y={y(group.row - 0.55)} textAnchor="middle" className="vn-map-label">
                {t(`map.${key}`)}
              </text>
              <text x={x(group.col + 0.8)} y={y(group.row - 0.55) + 13} textAnchor="middle" className="vn-map-sublabel">
                {t(`map.${key}Of`)}
              </text>
            </g>
          );
        })}
        <g className="vn-map-legend" transform={`translate(${PAD} ${HEIGHT - 34})`}>
          <text x="0" y="-4" className="vn-map-sublabel">{t('map.legend')}</text>
          {colourSteps.map(({ step, label }, i) => (
            <g key={step} transform={`translate(${i * 52} 2)`} data-legend-step={step}>
              <rect width="16" height="16" rx="3" fill={`var(--map-${step})`} stroke="var(--border)" />
              <text x="20" y="13" className="vn-map-sublabel">{label}</text>
            </g>
          ))}
          <g transform={`translate(${colourSteps.length * 52} 2)`}>
            <rect width="16" height="16" rx="3" fill="url(#vn-map-hatch)" stroke="var(--border)" />
            <text x="20" y="13" className="vn-map-sublabel">{t('map.outOfScope')}</text>
          </g>
        </g>
      </svg>
    </figure>
  );
}

/**
 * @module web/widgets/labels
 * Small shared pieces: severity and status badges, the TLP label (FIRST TLP 2.0 colours), an
 * error line.
 */
import type { Severity, Tlp } from '../api-types.js';
import { useI18n } from '../i18n.js';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <span className={`badge sev-${severity}`}>{t(`severity.${severity}`)}</span>;
}

export function TlpLabel({ tlp }: { tlp: Tlp }) {
  return <span className={`tlp tlp-${tlp.replace('+', '-')}`}>TLP:{tlp.toUpperCase()}</span>;
}

export function ErrorLine({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (!error) return null;
  return <p className="error" role="alert">{t('common.error', { message: error.message })}</p>;
}

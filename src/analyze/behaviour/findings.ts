/**
 * @module analyze/behaviour/findings
 * What the behaviour engine reports, and the one-line text of each finding in English and
 * Vietnamese, written from its measures and fields alone: the engine fills `summary` in English, and
 * the alerting side can ask for the Vietnamese line of a stored finding without re-running anything.
 */

export const behaviourKinds = [
  'brute-force',
  'credential-stuffing',
  'enumeration',
  'scanning',
  'rate-anomaly',
  'error-anomaly',
  'large-response',
  'new-admin-path',
  'new-country',
] as const;

export type BehaviourKind = (typeof behaviourKinds)[number];
export type BehaviourSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface BehaviourFinding {
  kind: BehaviourKind;
  orgId: string;
  /** Deterministic key of what fired (e.g. `src:203.0.113.7`, `svc:dichvucong.gov.vn`, `user:nguyenvana`), stable across reprocessing */
  subject: string;
  /** Start of the window/bucket that fired, ISO — with kind+orgId+subject it makes the alert id, so reprocessing the same events gives the same finding */
  windowStart: string;
  severity: BehaviourSeverity;
  /** One-line English summary with the numbers: "41 failed logins for 12 accounts from 203.0.113.7 in 5 min" */
  summary: string;
  /** Numbers behind it (count, distinct, baseline mean/std, observed, threshold …) */
  measures: Record<string, number>;
  /** Relevant ECS field values (source.ip, user.name, url.domain, url.path …) */
  fields: Record<string, string>;
  /** The event time of the event that fired it */
  time: string;
}

/** Non-ECS fields a finding may carry, under Vigil's own prefix. */
export const behaviourFields = {
  template: 'vigil.behaviour.path_template',
  parameter: 'vigil.behaviour.parameter',
  section: 'vigil.behaviour.admin_section',
  knownCountries: 'vigil.behaviour.known_countries',
} as const;

export type SummaryLanguage = 'en' | 'vi';

type Texts = Pick<BehaviourFinding, 'kind' | 'measures' | 'fields'>;

function round(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '?';
  const factor = 10 ** digits;
  return String(Math.round(value * factor) / factor);
}

/** `1 account`, `12 accounts`. */
const counted = (value: number | undefined, noun: string): string => `${round(value)} ${noun}${value === 1 ? '' : 's'}`;

const percent = (share: number | undefined): string => (share === undefined ? '?' : `${round(share * 100, 1)}%`);

function size(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '?';
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024), 1)} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024, 1)} KiB`;
  return `${round(bytes)} B`;
}

const hourText = (hour: number | undefined): string => `${String(hour ?? 0).padStart(2, '0')}:00`;

function loginsText({ kind, measures: m, fields: f }: Texts, vi: boolean): string {
  const ip = f['source.ip'] ?? '?';
  const minutes = round(m['windowMinutes']);
  if (m['sources'] !== undefined) {
    const service = f['url.domain'] ?? '?';
    return vi
      ? `${round(m['failures'])} lần đăng nhập thất bại vào ${service} từ ${round(m['sources'])} nguồn, ${round(m['accounts'])} tài khoản trong ${minutes} phút: ${percent(m['failureRatio'])} thất bại, thường ${percent(m['usualRatio'])}`
      : `${counted(m['failures'], 'failed login')} to ${service} from ${counted(m['sources'], 'source')} for ${counted(m['accounts'], 'account')} in ${minutes} min: ${percent(m['failureRatio'])} failed, usually ${percent(m['usualRatio'])}`;
  }
  if (kind === 'credential-stuffing') {
    return vi
      ? `${round(m['accounts'])} tài khoản đăng nhập thất bại từ ${ip} trong ${minutes} phút (${round(m['failures'])} lần)`
      : `${counted(m['accounts'], 'account')} failed to log in from ${ip} in ${minutes} min (${counted(m['failures'], 'failure')})`;
  }
  return vi
    ? `${round(m['failures'])} lần đăng nhập thất bại vào ${round(m['accounts'])} tài khoản từ ${ip} trong ${minutes} phút`
    : `${counted(m['failures'], 'failed login')} for ${counted(m['accounts'], 'account')} from ${ip} in ${minutes} min`;
}

const describers: Record<BehaviourKind, (finding: Texts, vi: boolean) => string> = {
  'brute-force': loginsText,
  'credential-stuffing': loginsText,
  enumeration: ({ measures: m, fields: f }, vi) => {
    const what = `${f[behaviourFields.parameter] ?? '?'} ${vi ? 'của' : 'of'} ${f[behaviourFields.template] ?? '?'}`;
    return vi
      ? `${round(m['distinct'])} giá trị khác nhau ${what} được trả cho ${f['source.ip'] ?? '?'} trong ${round(m['windowMinutes'])} phút, ${percent(m['walkShare'])} liền kề nhau`
      : `${round(m['distinct'])} distinct values ${what} served to ${f['source.ip'] ?? '?'} in ${round(m['windowMinutes'])} min, ${percent(m['walkShare'])} next to another`;
  },
  scanning: ({ measures: m, fields: f }, vi) =>
    vi
      ? `${round(m['distinctPaths'])} đường dẫn khác nhau trả lỗi 400/403/404/405 cho ${f['source.ip'] ?? '?'} trong ${round(m['windowSeconds'])} giây`
      : `${counted(m['distinctPaths'], 'distinct path')} answered 400/403/404/405 to ${f['source.ip'] ?? '?'} in ${round(m['windowSeconds'])} s`,
  'rate-anomaly': ({ measures: m, fields: f }, vi) => {
    const when = vi ? `${m['weekend'] ? 'cuối tuần' : 'ngày làm việc'} lúc ${hourText(m['hour'])}` : `on ${m['weekend'] ? 'weekends' : 'weekdays'} at ${hourText(m['hour'])}`;
    return vi
      ? `${round(m['requests'])} yêu cầu tới ${f['url.domain'] ?? '?'} trong ${round(m['bucketMinutes'])} phút, thường ${round(m['usualMean'], 1)} ± ${round(m['usualStd'], 1)} ${when} (ngưỡng ${round(m['threshold'])})`
      : `${counted(m['requests'], 'request')} to ${f['url.domain'] ?? '?'} in ${round(m['bucketMinutes'])} min, usually ${round(m['usualMean'], 1)} ± ${round(m['usualStd'], 1)} ${when} (threshold ${round(m['threshold'])})`;
  },
  'error-anomaly': ({ measures: m, fields: f }, vi) =>
    vi
      ? `${round(m['errors'])}/${round(m['requests'])} phản hồi 5xx từ ${f['url.domain'] ?? '?'} (${percent(m['errorShare'])}) trong ${round(m['bucketMinutes'])} phút, thường ${percent(m['usualShare'])}`
      : `${round(m['errors'])} of ${round(m['requests'])} responses from ${f['url.domain'] ?? '?'} were 5xx (${percent(m['errorShare'])}) in ${round(m['bucketMinutes'])} min, usually ${percent(m['usualShare'])}`,
  'large-response': ({ measures: m, fields: f }, vi) => {
    const where = `${f['url.domain'] ?? '?'}${f[behaviourFields.template] ?? ''}`;
    return vi
      ? `Phản hồi ${size(m['bytes'])} từ ${where} cho ${f['source.ip'] || '?'}, thường khoảng ${size(m['usualBytes'])} (z = ${round(m['z'], 1)})`
      : `${size(m['bytes'])} response from ${where} to ${f['source.ip'] || '?'}, usually about ${size(m['usualBytes'])} (z = ${round(m['z'], 1)})`;
  },
  'new-admin-path': ({ measures: m, fields: f }, vi) =>
    vi
      ? `Tài khoản ${f['user.name'] ?? '?'} lần đầu dùng khu vực quản trị ${f[behaviourFields.section] ?? '?'} (đã biết ${round(m['knownSections'])} khu vực)`
      : `Account ${f['user.name'] ?? '?'} used admin section ${f[behaviourFields.section] ?? '?'} for the first time (${counted(m['knownSections'], 'section')} known)`,
  'new-country': ({ fields: f }, vi) =>
    vi
      ? `Tài khoản ${f['user.name'] ?? '?'} lần đầu truy cập thành công từ ${f['source.geo.country_iso_code'] ?? '?'} (trước đây: ${f[behaviourFields.knownCountries] ?? '?'})`
      : `Account ${f['user.name'] ?? '?'} succeeded from ${f['source.geo.country_iso_code'] ?? '?'} for the first time (before: ${f[behaviourFields.knownCountries] ?? '?'})`,
};

/** The one-line text of a finding in English or Vietnamese. */
export function describeFinding(finding: Texts, language: SummaryLanguage = 'en'): string {
  return describers[finding.kind](finding, language === 'vi');
}

/** What a detector decides; the engine adds the organisation and the time. */
export interface FindingDraft {
  kind: BehaviourKind;
  subject: string;
  windowStartMs: number;
  severity: BehaviourSeverity;
  measures: Record<string, number>;
  fields: Record<string, string>;
}

export function completeFinding(draft: FindingDraft, orgId: string, timeMs: number): BehaviourFinding {
  const finding: BehaviourFinding = {
    kind: draft.kind,
    orgId,
    subject: draft.subject,
    windowStart: new Date(draft.windowStartMs).toISOString(),
    severity: draft.severity,
    summary: '',
    measures: draft.measures,
    fields: draft.fields,
    time: new Date(timeMs).toISOString(),
  };
  finding.summary = describeFinding(finding, 'en');
  return finding;
}

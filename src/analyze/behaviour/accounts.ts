/**
 * @module analyze/behaviour/accounts
 * What an account usually does: the administrative sections it uses and the countries it succeeds
 * from. Only successful events teach (a failed login from abroad is not the account's habit, and an
 * attacker cannot fill an account's history by failing). While the account is learning — seen on
 * fewer than `accountLearningDays` local days or with fewer than `accountLearningEvents` successful
 * events — everything is learned silently; afterwards the first use of an admin section or the first
 * success from a new country fires once, and is then part of the account's habits. A country only
 * counts as new when the account has a country history at all: geolocation switched on later must
 * not make every account new.
 */
import { commonFields, type DetectionContext } from './context.js';
import { behaviourFields } from './findings.js';
import { adminSection, hashText } from './paths.js';
import { localDay } from './seasonal.js';

export interface AccountState {
  /** Distinct local days with a success, and the last of them. */
  days: number;
  lastDay: number;
  events: number;
  /** Hashes of admin sections used, oldest first. */
  adminSections: number[];
  countries: string[];
  /** Whether a section or country was ever forgotten to stay within bounds. */
  capped: boolean;
}

export function createAccountState(): AccountState {
  return { days: 0, lastDay: -1, events: 0, adminSections: [], countries: [], capped: false };
}

/** `list` with `item` added, the oldest items dropped beyond `cap` (a one-item list is a literal: no spare capacity). */
function remember<T>(list: T[], item: T, cap: number, account: AccountState): T[] {
  if (list.length === 0) return [item];
  if (list.length >= cap) {
    list.splice(0, list.length - cap + 1);
    account.capped = true;
  }
  list.push(item);
  return list;
}

/** A successful event of the event's account; `template` is its path template ('' if not web). */
export function observeAccount(account: AccountState, context: DetectionContext, template: string): void {
  const { view, options } = context;
  const established = account.days >= options.accountLearningDays && account.events >= options.accountLearningEvents;
  const day = localDay(view.timeMs, options.utcOffsetMinutes * 60_000);
  if (day > account.lastDay) {
    account.lastDay = day;
    account.days++;
  }
  account.events++;
  const section = template === '' ? '' : adminSection(template);
  if (section !== '') observeAdminSection(account, context, established, section);
  if (view.country !== '' && !account.countries.includes(view.country)) {
    const known = account.countries.join(',');
    const fires = established && account.countries.length > 0;
    account.countries = remember(account.countries, view.country, options.maxCountriesPerAccount, account);
    if (fires) {
      context.emit({
        kind: 'new-country',
        subject: `user:${view.user}|country:${view.country}`,
        windowStartMs: view.timeMs,
        severity: section !== '' ? 'high' : 'medium',
        measures: { knownCountries: account.countries.length - 1, days: account.days, events: account.events },
        fields: commonFields(context, { [behaviourFields.knownCountries]: known }),
      });
    }
  }
}

function observeAdminSection(account: AccountState, context: DetectionContext, established: boolean, section: string): void {
  const { view, options } = context;
  const hash = hashText(section);
  if (account.adminSections.includes(hash)) return;
  const known = account.adminSections.length;
  account.adminSections = remember(account.adminSections, hash, options.maxAdminSectionsPerAccount, account);
  if (!established) return;
  context.emit({
    kind: 'new-admin-path',
    subject: `user:${view.user}|${section}`,
    windowStartMs: view.timeMs,
    // An account that never administered anything is more surprising than one opening a new page.
    severity: known === 0 ? 'medium' : 'low',
    measures: { knownSections: known, days: account.days, events: account.events },
    fields: commonFields(context, { [behaviourFields.section]: section }),
  });
}

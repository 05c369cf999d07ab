/**
 * @module analyze/behaviour/context
 * What every detector of the engine is handed for one event: the fields read once, the options,
 * the raw event (read again only when something fires, for the finding's fields) and where
 * findings go. One context lives as long as its engine, so nothing is allocated per event.
 */
import { eventText } from './event-view.js';
import type { EventView } from './event-view.js';
import type { FindingDraft } from './findings.js';
import type { BehaviourOptions } from './options.js';

export interface DetectionContext {
  readonly view: EventView;
  readonly options: Readonly<BehaviourOptions>;
  /** The event being observed. */
  event: unknown;
  emit(draft: FindingDraft): void;
}

/** `source.ip`, `user.name`, `url.domain`, `url.path`, country and user agent of the event, those present. */
export function commonFields(context: DetectionContext, extra: Record<string, string> = {}): Record<string, string> {
  const view = context.view;
  const fields: Record<string, string> = {};
  if (view.ip !== '') fields['source.ip'] = view.ip;
  if (view.user !== '') fields['user.name'] = view.user;
  fields['url.domain'] = view.service;
  if (view.path !== '') fields['url.path'] = view.path;
  if (view.country !== '') fields['source.geo.country_iso_code'] = view.country;
  const agent = eventText(context.event, 'user_agent.original');
  if (agent !== '') fields['user_agent.original'] = agent;
  return Object.assign(fields, extra);
}

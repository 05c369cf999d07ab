/**
 * @module parse/registry
 * Every normaliser by the one name used everywhere (config `format:`, file name, metrics label).
 * Adding a format is one new file and one line here.
 */
import { apacheNormaliser } from './apache.js';
import { cefNormaliser } from './cef.js';
import { autoNormaliser } from './detect.js';
import { ecsNormaliser } from './ecs.js';
import { jsonNormaliser } from './json.js';
import { leefNormaliser } from './leef.js';
import { nginxNormaliser } from './nginx.js';
import type { Normaliser } from './normaliser.js';
import { syslog3164Normaliser } from './syslog3164.js';
import { syslog5424Normaliser } from './syslog5424.js';
import { w3cNormaliser } from './w3c.js';
import { windowsNormaliser } from './windows.js';

export const normalisers: ReadonlyMap<string, Normaliser> = new Map<string, Normaliser>([
  ['nginx', nginxNormaliser],
  ['apache', apacheNormaliser],
  ['w3c', w3cNormaliser],
  ['json', jsonNormaliser],
  ['ecs', ecsNormaliser],
  ['windows', windowsNormaliser],
  ['syslog5424', syslog5424Normaliser],
  ['syslog3164', syslog3164Normaliser],
  ['cef', cefNormaliser],
  ['leef', leefNormaliser],
  ['auto', autoNormaliser],
]);

/** The registered format names, in registry order. */
export const formatNames: readonly string[] = [...normalisers.keys()];

/** The normaliser registered for `format`, or undefined. */
export function getNormaliser(format: string): Normaliser | undefined {
  return normalisers.get(format);
}

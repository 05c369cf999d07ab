/**
 * @module inventory/software
 * A system's software as the inventory keeps it: a CPE 2.3 name of something installed, so part,
 * vendor and product must be named (no ANY, NA or wildcards — those are for matching, not for
 * saying what runs), and the version is a plain value, or unknown (`*`). A version given beside
 * the CPE fills the CPE's version attribute, or must agree with it.
 */
import { bindCpeValue, parseCpe, withCpeAttribute, type CpeValue } from './cpe.js';
import type { InstalledSoftware } from './model.js';
import { compareVersions } from './version.js';

export interface SoftwareInput {
  cpe: string;
  version?: string | null | undefined;
}

export type SoftwareResult = { software: InstalledSoftware } | { error: string };

function named(value: CpeValue, attribute: string): string | { error: string } {
  if (value.kind === 'any') return { error: `${attribute} is ANY (*); an inventory entry must name the ${attribute}` };
  if (value.kind === 'na') return { error: `${attribute} is NA (-); an inventory entry must name the ${attribute}` };
  if (value.wildcard) return { error: `${attribute} "${value.bound}" is a wildcard pattern; an inventory entry names what is installed` };
  return value.text;
}

export function toInstalledSoftware(input: SoftwareInput): SoftwareResult {
  const parsed = parseCpe(input.cpe.trim());
  if ('error' in parsed) return { error: `not a CPE 2.3 formatted string (NIST IR 7695 §6.2): ${parsed.error}` };
  const { attributes } = parsed.cpe;
  const part = attributes.part;
  if (part.kind !== 'value') return { error: 'part must be a, o or h for an inventory entry' };
  const vendor = named(attributes.vendor, 'vendor');
  if (typeof vendor !== 'string') return vendor;
  const product = named(attributes.product, 'product');
  if (typeof product !== 'string') return product;
  const cpeVersion = attributes.version;
  if (cpeVersion.kind === 'value' && cpeVersion.wildcard) return { error: `version "${cpeVersion.bound}" is a wildcard pattern; give the installed version, or * when unknown` };
  const given = input.version?.trim() || null;
  let cpe = parsed.cpe.formatted;
  let version = cpeVersion.kind === 'value' ? cpeVersion.text : null;
  if (given !== null) {
    const bound = bindCpeValue(given);
    if (typeof bound !== 'string') return { error: `version "${given}" ${bound.error}` };
    if (cpeVersion.kind === 'value' && cpeVersion.bound !== bound) return { error: `version "${given}" disagrees with the CPE's version "${cpeVersion.text}"` };
    if (cpeVersion.kind === 'na') return { error: `version "${given}" given, but the CPE says a version does not apply (-)` };
    cpe = withCpeAttribute(parsed.cpe, 'version', bound);
    version = given.toLowerCase();
  }
  return { software: { cpe, part: part.text as InstalledSoftware['part'], vendor, product, version } };
}

/** An installed version at or below `maxVersion` (inventory/version ordering); unknown versions may be exposed too. */
export function mayBeAtOrBelow(software: InstalledSoftware, maxVersion: string): { exposed: boolean; versionKnown: boolean } {
  if (software.version === null) return { exposed: true, versionKnown: false };
  return { exposed: compareVersions(software.version, maxVersion) <= 0, versionKnown: true };
}

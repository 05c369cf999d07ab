import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { warnIssueCommand, type WarnCommandDeps } from './warn.js';

const system = Scope.system('warn cli test');
const at = '2026-11-25T00:00:00.000Z';
const org = (id: string, parentId: string | null, kind: OrgKind, sector: string | null): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector, region: null, demo: false, createdAt: at,
});

const advisory = (targets: string, extra = '') => `
kind: advisory
severity: high
tlp: amber
title:
  vi: Lỗ hổng nghiêm trọng trong Apache Struts
  en: Critical Apache Struts vulnerability
text:
  vi: Cập nhật lên phiên bản 6.3.0.2 trở lên.
  en: Update to 6.3.0.2 or later.
references: [CVE-2023-50164]
actions:
  - { vi: Cập nhật Struts, en: Update Struts }
targets:
${targets}
ackWithinHours: 24
remediateWithinHours: 168
${extra}`;

describe('vigil warn issue', () => {
  let dir: string;
  let deps: WarnCommandDeps;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-warn-cli-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const store = openSqliteStore({ path: join(dataDir, 'vigil.db') });
    for (const o of [org('vn', null, 'national', null), org('byt', 'vn', 'ministry', 'y-te'), org('hn', 'vn', 'province', 'dia-phuong'), org('hn-soyt', 'hn', 'agency', 'y-te'), org('hcm', 'vn', 'province', 'dia-phuong')]) store.orgs.create(system, o);
    store.close();
    const config = loadConfig({ text: `dataDir: ${JSON.stringify(dataDir)}\ndemo: { enabled: false }`, env: {} });
    deps = { configOption: new Option('-c, --config <file>'), load: () => config };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('previews, then issues to exactly the resolved recipients', () => {
    const path = file('w.yaml', advisory('  sectors: [y-te]'));
    const preview = warnIssueCommand(path, { preview: true }, deps);
    expect(preview).toEqual({ preview: true, recipients: [{ org: 'BYT', reasons: ['sector:y-te'], systems: [] }, { org: 'HN-SOYT', reasons: ['sector:y-te'], systems: [] }] });
    const issued = warnIssueCommand(path, {}, deps);
    expect(issued.warning).toMatchObject({ status: 'issued', recipientCount: 2 });
    expect(issued.recipients.map((r) => r.org)).toEqual(['BYT', 'HN-SOYT']);
    const drafted = warnIssueCommand(path, { draft: true }, deps);
    expect(drafted.warning).toMatchObject({ status: 'draft', recipientCount: 0 });
  });

  it('acts for an organisation within its subtree only', () => {
    expect(warnIssueCommand(file('hn.yaml', advisory('  sectors: [y-te]')), { as: 'HN' }, deps).recipients.map((r) => r.org)).toEqual(['HN-SOYT']);
    expect(() => warnIssueCommand(file('out.yaml', advisory('  orgs: [HCM]')), { as: 'hn' }, deps)).toThrow(/outside your reach/);
  });

  it('refuses a bad file with the reason, storing nothing', () => {
    expect(() => warnIssueCommand(join(dir, 'missing.yaml'), {}, deps)).toThrow(/no such file/);
    expect(() => warnIssueCommand(file('bad.yaml', 'title: [unclosed'), {}, deps)).toThrow(/not YAML/);
    expect(() => warnIssueCommand(file('nosev.yaml', advisory('  sectors: [y-te]').replace('severity: high\n', '')), {}, deps)).toThrow(/severity/);
    expect(() => warnIssueCommand(file('notarget.yaml', advisory('  {}')), {}, deps)).toThrow(/targets: at least one organisation or selector/);
    expect(() => warnIssueCommand(file('extra.yaml', advisory('  sectors: [y-te]', 'colour: red')), {}, deps)).toThrow(/colour|Unrecognized/);
    expect(() => warnIssueCommand(file('nobody.yaml', advisory('  sectors: [giao-duc]')), {}, deps)).toThrow(/reach no organisation/);
    const store = openSqliteStore({ path: join(dir, 'data', 'vigil.db') });
    try {
      expect(store.warnings.list({ scope: system, orgId: null }, { limit: 10 }).items).toEqual([]);
    } finally {
      store.close();
    }
  });
});

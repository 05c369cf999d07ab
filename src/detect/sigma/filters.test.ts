import { describe, expect, it } from 'vitest';
import { compileRule } from './compile.js';
import { applyFilters } from './filters.js';
import { loadSigmaText } from './load.js';
import { flatGet } from './test-rule.js';

const rules = loadSigmaText(
  [
    "title: Rar\nid: rule-a\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    s:\n        Image|endswith: '\\rar.exe'\n    condition: s",
    "title: Other\nid: rule-b\nname: other\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    s:\n        Image|endswith: '\\rar.exe'\n    condition: s",
    "title: Linux\nid: rule-c\nlogsource:\n    category: process_creation\n    product: linux\ndetection:\n    s:\n        Image|endswith: '/rar'\n    condition: s",
  ].join('\n---\n'),
  'r.yml',
).rules.map((m) => compileRule(m));

const filtersOf = (rulesLine: string) =>
  loadSigmaText(
    `title: Admins\nlogsource:\n    category: process_creation\n    product: windows\nfilter:\n${rulesLine}    selection:\n        User|startswith: 'adm_'\n    condition: selection\n`,
    'f.yml',
  ).filters;

describe('applyFilters', () => {
  const admin = { Image: 'c:\\rar.exe', User: 'adm_bob' };
  const user = { Image: 'c:\\rar.exe', User: 'bob' };

  it('adds "and not filter" to the rules it names by id or name', () => {
    const out = applyFilters(rules, filtersOf('    rules:\n        - rule-a\n        - other\n'));
    expect(out.map((r) => r.matches(admin, flatGet))).toEqual([false, false, false]);
    expect(out.map((r) => r.matches(user, flatGet))).toEqual([true, true, false]);
    expect(out[0]?.requiredAtoms).toEqual(rules[0]?.requiredAtoms);
  });

  it('leaves other rules alone', () => {
    const out = applyFilters(rules, filtersOf('    rules: rule-b\n'));
    expect(out[0]).toBe(rules[0]);
    expect(out[1]?.matches(admin, flatGet)).toBe(false);
  });

  it('without rules, applies to every rule its logsource covers', () => {
    const out = applyFilters(rules, filtersOf(''));
    expect(out[0]?.matches(admin, flatGet)).toBe(false);
    expect(out[1]?.matches(admin, flatGet)).toBe(false);
    expect(out[2]).toBe(rules[2]);
  });
});

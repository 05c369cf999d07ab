/**
 * @module analyze/corpus/corpus.test
 * The labelled corpus: deterministic, every class present with evasions, benign traffic realistic,
 * every transaction well formed.
 */
import { describe, expect, it } from 'vitest';
import { attackClasses } from '../contract.js';
import { corpusClasses, corpusJsonl, labelledCorpus } from './index.js';

const corpus = labelledCorpus();

describe('labelledCorpus', () => {
  it('is deterministic: same seed, same corpus; another seed, another corpus', () => {
    const a = labelledCorpus({ seed: 7, benign: 300, attacksPerClass: 20 });
    const b = labelledCorpus({ seed: 7, benign: 300, attacksPerClass: 20 });
    const c = labelledCorpus({ seed: 8, benign: 300, attacksPerClass: 20 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('has the requested sizes: 5,000 benign and 300 per class by default', () => {
    const counts = new Map<string, number>();
    for (const { label } of corpus) counts.set(label, (counts.get(label) ?? 0) + 1);
    expect(counts.get('benign')).toBe(5000);
    for (const cls of corpusClasses) expect(counts.get(cls)).toBe(300);
    expect(corpus).toHaveLength(5000 + 300 * corpusClasses.length);
    const small = labelledCorpus({ benign: 10, attacksPerClass: 2 });
    expect(small).toHaveLength(10 + 2 * corpusClasses.length);
  });

  it('covers every attack class of the contract but `other`', () => {
    const labels = new Set(corpus.map((x) => x.label));
    for (const cls of attackClasses) if (cls !== 'other') expect(labels.has(cls), cls).toBe(true);
  });

  it('hides at least 20% of attacks with an evasion, of many kinds, in every class', () => {
    const attacks = corpus.filter((x) => x.label !== 'benign');
    const evaded = attacks.filter((x) => x.evasion !== null);
    expect(evaded.length / attacks.length).toBeGreaterThanOrEqual(0.2);
    expect(new Set(evaded.map((x) => x.evasion)).size).toBeGreaterThanOrEqual(12);
    for (const cls of corpusClasses) expect(evaded.filter((x) => x.label === cls).length, cls).toBeGreaterThan(15);
    expect(corpus.filter((x) => x.label === 'benign').every((x) => x.evasion === null)).toBe(true);
  });

  it('places attacks in many locations: query, form, JSON, headers, cookies, path, multipart', () => {
    const attacks = corpus.filter((x) => x.label !== 'benign').map((x) => x.transaction);
    expect(attacks.some((t) => t.method === 'GET' && t.uri.includes('?'))).toBe(true);
    expect(attacks.some((t) => t.body?.startsWith('{') === true)).toBe(true);
    expect(attacks.some((t) => /multipart/.test(t.headers['Content-Type'] ?? ''))).toBe(true);
    expect(attacks.some((t) => /\$\{jndi:|\$\{\$\{/.test(t.headers['User-Agent'] ?? '') || /\$\{jndi:/.test(t.headers['X-Forwarded-For'] ?? ''))).toBe(true);
  });

  it('benign traffic looks Vietnamese: diacritics, quotes, dashes, uploads, JSON APIs, safe HTML', () => {
    const benign = corpus.filter((x) => x.label === 'benign').map((x) => x.transaction);
    const text = (t: (typeof benign)[number]): string => {
      const raw = `${t.uri} ${t.body ?? ''}`;
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        return raw;
      }
    };
    const share = (f: (t: (typeof benign)[number]) => boolean): number => benign.filter(f).length / benign.length;
    expect(share((t) => /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i.test(text(t)))).toBeGreaterThan(0.3);
    expect(share((t) => /["']/.test(text(t)))).toBeGreaterThan(0.1);
    expect(share((t) => / - |–|—/.test(text(t)))).toBeGreaterThan(0.03);
    expect(share((t) => /multipart\/form-data/.test(t.headers['Content-Type'] ?? ''))).toBeGreaterThan(0.02);
    expect(share((t) => /application\/json/.test(t.headers['Content-Type'] ?? ''))).toBeGreaterThan(0.02);
    expect(share((t) => /%3Cp%3E|<p>/.test(t.body ?? ''))).toBeGreaterThan(0.02);
    expect(share((t) => (t.body ?? '').length > 500)).toBeGreaterThan(0.1);
  });

  it('every transaction is well formed, with a unique id', () => {
    const ids = new Set<string>();
    const bad: string[] = [];
    for (const { transaction: t } of corpus) {
      if (!['GET', 'POST', 'PUT', 'HEAD', 'DELETE'].includes(t.method)) bad.push(`${t.id}: method ${t.method}`);
      if (!t.uri.startsWith('/') || /[\s\u0000]/.test(t.uri)) bad.push(`${t.id}: uri ${t.uri}`);
      for (const [name, value] of Object.entries(t.headers)) {
        if (!/^[A-Za-z0-9-]+$/.test(name) || /[\r\n]/.test(value)) bad.push(`${t.id}: header ${name}: ${value}`);
      }
      if ((t.method === 'GET' || t.method === 'HEAD') && t.body !== null) bad.push(`${t.id}: body on ${t.method}`);
      ids.add(t.id);
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBe(corpus.length);
  });

  it('serialises to CLI-contract JSONL with a labels file', () => {
    const small = labelledCorpus({ benign: 5, attacksPerClass: 1 });
    const { transactions, labels } = corpusJsonl(small);
    const lines = transactions.trim().split('\n');
    expect(lines).toHaveLength(small.length);
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['id', 'method', 'uri', 'headers', 'body']);
    expect(labels.trim().split('\n')).toHaveLength(small.length);
  });
});

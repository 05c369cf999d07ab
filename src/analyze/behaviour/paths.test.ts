import { describe, expect, it } from 'vitest';
import { adminSection, createIdList, isLoginPath, pathTemplate, queryIdentifiers } from './paths.js';

describe('pathTemplate', () => {
  it.each([
    ['/ho-so/1234567', '/ho-so/{id}'],
    ['/ho-so/1234567/tai-lieu/3', '/ho-so/{id}/tai-lieu/{id}'],
    ['/cong-dan/001204012345', '/cong-dan/{id}'],
    ['/files/12345.pdf', '/files/{id}.pdf'],
    ['/api/v1/ho-so/6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', '/api/v1/ho-so/{id}'],
    ['/reset/Ab3dEf9hIj2kLm5nOp7q', '/reset/{id}'],
    ['/ho-so/HS-2024-000123', '/ho-so/{id}'],
    ['/ho-so/000.00.31.H26-241125-0012', '/ho-so/{id}'],
    ['/static/js/app.3f9a1c.js', '/static/js/app.3f9a1c.js'],
    ['/tin-tuc/cai-cach-hanh-chinh-2024', '/tin-tuc/cai-cach-hanh-chinh-2024'],
    ['/api/v1.5/thu-tuc', '/api/v1.5/thu-tuc'],
    ['/trang-chu', '/trang-chu'],
    ['/', '/'],
  ])('%s → %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });

  it('lists the identifiers with their segment numbers, walk groups and values', () => {
    const ids = createIdList();
    pathTemplate('/ho-so/1234567/tai-lieu/3', ids);
    expect(ids.count).toBe(2);
    expect(ids.params.slice(0, 2)).toEqual(['path:2', 'path:4']);
    expect(ids.values.slice(0, 2)).toEqual([1234567, 3]);
    ids.count = 0;
    pathTemplate('/ho-so/HS-2024-000123', ids);
    pathTemplate('/ho-so/HS-2024-000124', ids);
    expect(ids.groups[0]).toBe(ids.groups[1]);
    expect([ids.values[0], ids.values[1]]).toEqual([123, 124]);
    ids.count = 0;
    pathTemplate('/x/6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', ids);
    expect(ids.values[0]).toBe(-1);
  });
});

describe('queryIdentifiers', () => {
  it('keeps numeric and ID-like values, skips paging and cache-busting parameters', () => {
    const ids = createIdList();
    queryIdentifiers('ma_ho_so=000123456&page=7&_=1709251200000&q=khai+sinh&cccd=001204012345&loai=ks', ids);
    expect(ids.params.slice(0, ids.count)).toEqual(['query:ma_ho_so', 'query:cccd']);
    expect(ids.values.slice(0, ids.count)).toEqual([123456, 1204012345]);
  });
});

describe('login and admin paths', () => {
  it.each([
    ['/dang-nhap', true], ['/Account/Login', true], ['/api/auth/token', true], ['/wp-login.php', true], ['/j_security_check', true], ['/sso/oauth2/authorize', true], ['/login.aspx', true],
    ['/blogin', false], ['/authors/list', false], ['/tin-tuc/dang-nhap-vneid-the-nao', false],
  ])('isLoginPath(%s) is %s', (path, login) => {
    expect(isLoginPath(path)).toBe(login);
  });

  it.each([
    ['/quan-tri/nguoi-dung/{id}/sua', '/quan-tri/nguoi-dung'],
    ['/quan-tri', '/quan-tri'],
    ['/quan-tri/', '/quan-tri'],
    ['/api/v1/admin/users/{id}', '/api/v1/admin/users'],
    ['/wp-admin/options.php', '/wp-admin/options.php'],
    ['/actuator/env', '/actuator/env'],
    ['/ho-so/{id}', ''],
    ['/administration-guide', ''],
  ])('adminSection(%s) is %s', (template, section) => {
    expect(adminSection(template)).toBe(section);
  });
});

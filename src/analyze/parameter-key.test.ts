import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../core/event.js';
import { parameterKey, pathTemplate, siteOf } from './parameter-key.js';

describe('pathTemplate', () => {
  it('replaces record identifiers in the path by one placeholder', () => {
    expect(pathTemplate('/ho-so/123/xem')).toBe('/ho-so/{id}/xem');
    expect(pathTemplate('/ho-so/5f0c2a4e-9b1d-4c3e-8f2a-1b2c3d4e5f60')).toBe('/ho-so/{id}');
    expect(pathTemplate('/tra-cuu/000.00.12.H29-240101-0001')).toBe('/tra-cuu/{id}');
    expect(pathTemplate('/cong-dan/001203004567/')).toBe('/cong-dan/{id}');
  });

  it('keeps words, versions and names', () => {
    expect(pathTemplate('/api/v2/thu-tuc/cap-giay-phep')).toBe('/api/v2/thu-tuc/cap-giay-phep');
    expect(pathTemplate('/tin-tuc/2024')).toBe('/tin-tuc/{id}');
    expect(pathTemplate('/static/app.min.js')).toBe('/static/app.min.js');
    expect(pathTemplate('/')).toBe('/');
    expect(pathTemplate('')).toBe('/');
  });

  it('drops the query', () => {
    expect(pathTemplate('/tim-kiem?q=1')).toBe('/tim-kiem');
  });
});

describe('parameterKey', () => {
  it('names the parameter of the service', () => {
    const event = { '@timestamp': '2026-11-25T00:00:00Z', event: { category: ['web'] }, url: { domain: 'DichVuCong.gov.vn' } } as unknown as EcsEvent;
    expect(parameterKey(siteOf(event), '/ho-so/42/binh-luan?q=x', 'args.q')).toBe('dichvucong.gov.vn/ho-so/{id}/binh-luan args.q');
    const bare = { '@timestamp': '2026-11-25T00:00:00Z', event: {} } as unknown as EcsEvent;
    expect(siteOf(bare)).toBe('');
  });
});

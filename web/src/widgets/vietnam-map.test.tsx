// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n.js';
import { VietnamMap } from './vietnam-map.js';
import { colourStep, provinceTiles, tileOf } from './vietnam-tiles.js';

afterEach(cleanup);

describe('the map of Viet Nam', () => {
  it('has 34 provincial units on distinct tiles', () => {
    expect(provinceTiles).toHaveLength(34);
    expect(new Set(provinceTiles.map((t) => t.code)).size).toBe(34);
    expect(new Set(provinceTiles.map((t) => `${t.col},${t.row}`)).size).toBe(34);
  });

  it('draws every unit and both archipelagos, labelled', () => {
    const { container, getByText } = render(
      <I18nProvider initial="vi">
        <VietnamMap counts={new Map()} inScope={null} />
      </I18nProvider>,
    );
    expect(container.querySelectorAll('.vn-map-tile')).toHaveLength(34);
    expect(container.querySelector('[data-archipelago="hoangSa"]')).not.toBeNull();
    expect(container.querySelector('[data-archipelago="truongSa"]')).not.toBeNull();
    expect(getByText('Quần đảo Hoàng Sa')).toBeTruthy();
    expect(getByText('Quần đảo Trường Sa')).toBeTruthy();
  });

  it('labels the archipelagos in English too', () => {
    const { getByText } = render(
      <I18nProvider initial="en">
        <VietnamMap counts={new Map()} inScope={null} />
      </I18nProvider>,
    );
    expect(getByText('Hoàng Sa archipelago')).toBeTruthy();
    expect(getByText('Trường Sa archipelago')).toBeTruthy();
  });

  it('colours each unit by its count and hatches units outside the scope', () => {
    const { container } = render(
      <I18nProvider initial="en">
        <VietnamMap counts={new Map([['HN', 12], ['HCM', 2], ['DNG', 1]])} inScope={new Set(['HN', 'HCM', 'DNG', 'CT'])} />
      </I18nProvider>,
    );
    const tile = (code: string) => container.querySelector(`[data-code="${code}"]`) as SVGGElement;
    expect(tile('HN').dataset['step']).toBe('4');
    expect(tile('HN').querySelector('rect')?.getAttribute('fill')).toBe('var(--map-4)');
    expect(tile('HCM').dataset['step']).toBe('2');
    expect(tile('DNG').dataset['step']).toBe('1');
    expect(tile('CT').dataset['step']).toBe('0');
    expect(tile('HP').dataset['step']).toBe('out');
    expect(tile('HP').querySelector('rect')?.getAttribute('fill')).toBe('url(#vn-map-hatch)');
    expect(tile('HN').getAttribute('aria-label')).toBe('Ha Noi: 12 open incidents');
  });

  it('steps the colour scale at 1, 2, 4 and 10', () => {
    expect([0, 1, 2, 3, 4, 9, 10, 500].map(colourStep)).toEqual([0, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('finds a province’s tile by code or by name', () => {
    expect(tileOf({ code: 'VN-HCM', nameVi: 'x', nameEn: 'x' })?.code).toBe('HCM');
    expect(tileOf({ code: 'HN', nameVi: 'x', nameEn: 'x' })?.code).toBe('HN');
    expect(tileOf({ code: 'P-79', nameVi: 'Tỉnh Đắk Lắk', nameEn: 'Dak Lak Province' })?.code).toBe('DLK');
    expect(tileOf({ code: 'ZZ', nameVi: 'Nowhere', nameEn: 'Nowhere' })).toBeUndefined();
  });
});

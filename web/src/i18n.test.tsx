// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dictionaries, I18nProvider, storedLang, translate, useI18n } from './i18n.js';

afterEach(cleanup);
beforeEach(() => window.localStorage.clear());

function Probe() {
  const { t, lang, setLang } = useI18n();
  return (
    <div>
      <h1>{t('nav.overview')}</h1>
      <p>{t('alerts.count', { count: 3 })}</p>
      <button type="button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{t('lang.switch')}</button>
    </div>
  );
}

describe('languages', () => {
  it('has every key in both languages, none empty', () => {
    const vi = Object.keys(dictionaries.vi).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(vi);
    for (const lang of ['vi', 'en'] as const) for (const key of vi) expect(dictionaries[lang][key as keyof typeof dictionaries.vi].trim(), `${lang} ${key}`).not.toBe('');
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'alerts.count', { count: 12 })).toBe('12 alerts');
    expect(translate('vi', 'alerts.count')).toBe('{count} sự kiện phát hiện');
  });

  it('starts in Vietnamese, switches to English and back, and remembers the choice', () => {
    expect(storedLang()).toBe('vi');
    const first = render(<I18nProvider><Probe /></I18nProvider>);
    expect(screen.getByRole('heading').textContent).toBe('Tổng quan');
    expect(screen.getByText('3 sự kiện phát hiện')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading').textContent).toBe('Overview');
    expect(screen.getByText('3 alerts')).toBeTruthy();
    expect(window.localStorage.getItem('vigil.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    first.unmount();
    render(<I18nProvider><Probe /></I18nProvider>);
    expect(screen.getByRole('heading').textContent).toBe('Overview');
    fireEvent.click(screen.getByRole('button', { name: 'Tiếng Việt' }));
    expect(screen.getByRole('heading').textContent).toBe('Tổng quan');
  });
});

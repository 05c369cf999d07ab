/**
 * @module web/theme
 * Light and dark: the system's preference (prefers-color-scheme) until the user picks one, which is
 * then kept in localStorage. The colours themselves are CSS variables (styles.css) under
 * `html[data-theme]`.
 */
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';
const storageKey = 'vigil.theme';

export function initialTheme(): Theme {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // ignore: fall back to the system's preference
  }
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next = current === 'dark' ? 'light' : 'dark';
      try {
        window.localStorage.setItem(storageKey, next);
      } catch {
        // ignore
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}

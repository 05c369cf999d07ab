/**
 * @module web/use-load
 * Loading one thing from the API for a screen: its data, its error, and a reload that keeps the
 * old data on screen while the new arrives (no flicker on live updates).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  // The caller names what the loader depends on.
  const stableLoad = useCallback(load, deps);
  useEffect(() => {
    const mine = ++latest.current;
    setLoading(true);
    stableLoad()
      .then((value) => {
        if (mine !== latest.current) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => mine === latest.current && setError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => mine === latest.current && setLoading(false));
  }, [stableLoad, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

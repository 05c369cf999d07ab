/**
 * @module web/live
 * One live stream per logged-in tab (live-stream.ts), shared by the screens: each subscribes to
 * what it shows and reloads when something arrives. `live` says whether the stream is connected.
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { openLiveStream, type StreamMessage } from './live-stream.js';
import { useSession } from './session.js';

type Listener = (message: StreamMessage) => void;

interface LiveState {
  live: boolean;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<LiveState>({ live: false, subscribe: () => () => {} });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { api } = useSession();
  const [live, setLive] = useState(false);
  const listeners = useRef(new Set<Listener>());
  useEffect(() => {
    const abort = new AbortController();
    openLiveStream(api.headers(), (m) => listeners.current.forEach((l) => l(m)), abort.signal, setLive);
    return () => abort.abort();
  }, [api]);
  const value = useMemo<LiveState>(() => ({
    live,
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }), [live]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): boolean {
  return useContext(LiveContext).live;
}

/**
 * Calls `onChange` (at most once every `everyMs`, default a second) when the stream brings
 * something — of one of `types` (SSE event names: `notification`, `alert`, `incident`) when given.
 */
export function useLiveReload(onChange: () => void, types?: readonly string[], everyMs = 1000): void {
  const { subscribe } = useContext(LiveContext);
  const callback = useRef(onChange);
  callback.current = onChange;
  const typeKey = types?.join(',') ?? '';
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const wanted = typeKey === '' ? null : new Set(typeKey.split(','));
    const unsubscribe = subscribe((message) => {
      if (wanted !== null && !wanted.has(message.event)) return;
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        callback.current();
      }, everyMs);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [subscribe, typeKey, everyMs]);
}

/** Calls `onMessage` with every stream message of one of `types`, as it arrives. */
export function useLiveMessages(types: readonly string[], onMessage: (message: StreamMessage) => void): void {
  const { subscribe } = useContext(LiveContext);
  const callback = useRef(onMessage);
  callback.current = onMessage;
  const typeKey = types.join(',');
  useEffect(() => {
    const wanted = new Set(typeKey.split(','));
    return subscribe((message) => {
      if (wanted.has(message.event)) callback.current(message);
    });
  }, [subscribe, typeKey]);
}

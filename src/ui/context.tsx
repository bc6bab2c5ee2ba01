import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppController, AppState } from '../store/store';
import type { RunEntry } from '../store/runs';

const AppContext = createContext<AppController | null>(null);

export const AppProvider = AppContext.Provider;

export function useApp(): AppController {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppProvider>');
  return app;
}

/** Subscribes to one slice of the store; the component re-renders only when it changes. */
export function useAppState<T>(selector: (s: AppState) => T): T {
  return useStore(useApp().store, selector);
}

/** Like useAppState for selectors that build arrays or objects: compared shallowly. */
export function useAppShallow<T>(selector: (s: AppState) => T): T {
  return useStore(useApp().store, useShallow(selector));
}

/** The value, updated at most every `ms` (the latest value always lands). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      setShown(value);
      return;
    }
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

/**
 * Selected runs, oldest first (entries keep their identity until they change).
 */
export function useSelectedEntries(): RunEntry[] {
  return useAppShallow((s) => s.order.filter((id) => s.selected.includes(id)).map((id) => s.runs[id]));
}

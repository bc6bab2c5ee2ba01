import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { shallow } from 'zustand/vanilla/shallow';
import type { AppCommands, AppController, AppState } from '../store/store';
import type { RunEntry } from '../store/runs';
import { selectedEntries } from '../store/selectors';

const AppContext = createContext<AppController | null>(null);

export const AppProvider = AppContext.Provider;

function useController(): AppController {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppProvider>');
  return app;
}

/** The page's actions, for event handlers; what a component shows comes from useAppState. */
export function useApp(): AppCommands {
  return useController();
}

/** Equal answers: shallowly equal, or arrays whose items are (a list of blockers, each a fresh object). */
function sameAnswer<T>(a: T, b: T): boolean {
  if (shallow(a, b)) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => shallow(x, b[i]));
}

/**
 * The one way components read state: through a selector (src/store/selectors.ts or an inline
 * pick). The component re-renders when the selector's answer changes (see sameAnswer), so a
 * selector may build an array or object from state.
 */
export function useAppState<T>(selector: (s: AppState) => T): T {
  const last = useRef<{ answer: T } | null>(null);
  return useStore(useController().store, (s) => {
    const answer = selector(s);
    if (last.current && sameAnswer(last.current.answer, answer)) return last.current.answer;
    last.current = { answer };
    return answer;
  });
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
  return useAppState(selectedEntries);
}

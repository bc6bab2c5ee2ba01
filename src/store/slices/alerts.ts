/** Alerts: short messages the page shows until dismissed (the latest few). */
import type { SliceContext } from './context';

export interface Alert {
  id: number;
  message: string;
}

export interface AlertsState {
  alerts: Alert[];
}

/** How many alerts are kept; older ones drop off. */
const MAX_ALERTS = 6;

export function emptyAlerts(): AlertsState {
  return { alerts: [] };
}

export function withAlert(alerts: readonly Alert[], alert: Alert): Alert[] {
  return [...alerts, alert].slice(-MAX_ALERTS);
}

export function withoutAlert(alerts: readonly Alert[], id: number): Alert[] {
  return alerts.filter((a) => a.id !== id);
}

export interface AlertActions {
  alert(message: string): void;
  dismissAlert(id: number): void;
}

export function alertActions(ctx: Pick<SliceContext, 'get' | 'set'>): AlertActions {
  let counter = 0;
  return {
    alert(message) {
      ctx.set({ alerts: withAlert(ctx.get().alerts, { id: ++counter, message }) });
    },
    dismissAlert(id) {
      ctx.set({ alerts: withoutAlert(ctx.get().alerts, id) });
    },
  };
}

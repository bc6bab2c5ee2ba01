/** The page's state: the slices side by side in one zustand store. */
import type { AlertsState } from './alerts';
import { emptyAlerts } from './alerts';
import { initialBackend, type BackendSliceState } from './backend';
import { emptyDatasets, type DatasetsSliceState } from './datasets';
import { initialLandscapes, type LandscapesSliceState } from './landscapes';
import { initialRuns, type RunsSliceState } from './runs';
import { initialSettings, type SettingsSliceState } from './settings';
import { initialSweeps, type SweepsSliceState } from './sweeps';

export interface AppState
  extends SettingsSliceState, RunsSliceState, SweepsSliceState, LandscapesSliceState, DatasetsSliceState, BackendSliceState, AlertsState {}

/** The state before the worker or storage have answered, from the address's query string. */
export function initialState(search: string): AppState {
  const settings = initialSettings(search);
  return {
    ...initialRuns(),
    ...settings,
    ...initialBackend(settings.settings.backend),
    ...emptyDatasets(),
    ...initialSweeps(),
    ...initialLandscapes(),
    ...emptyAlerts(),
  };
}

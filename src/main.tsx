import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { memoryPersistence, openRunPersistence, type RunPersistence } from './store/persistence';
import { AppController, browserLocation, fetchServedIndex } from './store/store';
import { App } from './ui/App';
import { AppProvider } from './ui/context';
import { createTrainingWorker } from './worker/client';
import './ui/styles.css';

const persistence: Promise<RunPersistence> = openRunPersistence().catch((e: unknown) => {
  console.warn('IndexedDB is not available; runs are kept only until the page closes.', e);
  return memoryPersistence();
});

const app = new AppController({
  worker: createTrainingWorker(),
  persistence,
  location: browserLocation(),
  fetchDatasetIndex: fetchServedIndex,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider value={app}>
      <App />
    </AppProvider>
  </StrictMode>,
);

import { useEffect } from 'react';
import { Alerts } from './Alerts';
import { BackendBadge } from './BackendDetails';
import { ComparePanel } from './ComparePanel';
import { ConfigPanel } from './ConfigPanel';
import { useApp } from './context';
import { LandscapePanel } from './LandscapePanel';
import { LiveCharts } from './LiveCharts';
import { RunControls } from './RunControls';
import { RunList } from './RunList';
import { SweepPanel } from './SweepPanel';

/** Files dropped anywhere on the page: run JSON is imported, anything else is read as a dataset. */
function usePageDrop() {
  const app = useApp();
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = async (e: DragEvent) => {
      if (e.defaultPrevented || !e.dataTransfer?.files.length) return;
      e.preventDefault();
      const files = [...e.dataTransfer.files];
      const json = files.filter((f) => /\.json$/i.test(f.name));
      for (const f of json) await app.importFile(f);
      const rest = files.filter((f) => !json.includes(f));
      if (rest.length) app.loadFiles(rest);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [app]);
}

export function App() {
  usePageDrop();
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to the runs
      </a>
      <header className="top">
        <div>
          <h1>ESAM Playground</h1>
          <p className="tagline">
            Train small image classifiers with SGD, SAM and ESAM on your own GPU and watch the diagnostics of Du et al., “Efficient
            Sharpness-aware Minimization” (ICLR 2022), live.
          </p>
        </div>
        <BackendBadge />
      </header>
      <Alerts />
      <div className="layout">
        <ConfigPanel />
        <main id="main" className="main">
          <RunControls />
          <RunList />
          <LiveCharts />
          <ComparePanel />
          <SweepPanel />
          <LandscapePanel />
        </main>
      </div>
      <footer className="foot">
        <p>Runs and datasets stay in this browser (IndexedDB). The settings live in the address: copy it to share a setup.</p>
      </footer>
    </div>
  );
}

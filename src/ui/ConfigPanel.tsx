/** The config panel: every control comes from the settings table; the optimizer gets Table 3's presets. */
import { PRESETS, presetOf } from '../store/settings';
import { useApp, useAppState } from './context';
import { DatasetSection } from './DatasetSection';
import { BackendDetails } from './BackendDetails';
import { SettingField } from './fields';
import { liveRuns } from '../store/store';

function OptimizerSection() {
  const app = useApp();
  const preset = useAppState((s) => presetOf(s.settings));
  const optimizer = useAppState((s) => s.settings.optimizer);
  return (
    <section className="panel-group" aria-labelledby="group-optimizer">
      <h3 id="group-optimizer">Optimizer</h3>
      <fieldset className="presets">
        <legend className="label-text">
          Method <span className="muted">(rows of the paper’s Table 3)</span>
        </legend>
        <div className="segmented" role="radiogroup" aria-label="Optimizer preset">
          {PRESETS.map((p) => (
            <label key={p.id} className={preset === p.id ? 'on' : ''} title={p.help}>
              <input type="radio" name="optimizer-preset" value={p.id} checked={preset === p.id} onChange={() => app.applyPreset(p.id)} />
              <span>{p.label}</span>
            </label>
          ))}
        </div>
        <p className="hint" id="preset-help">
          {PRESETS.find((p) => p.id === preset)?.help ?? 'ESAM with SWP and SDS both off takes the same steps as SAM.'}
        </p>
      </fieldset>
      <div className="esam-halves">
        <SettingField id="swp" />
        <SettingField id="beta" />
        <SettingField id="sds" />
        <SettingField id="gamma" />
      </div>
      <div className="pair">
        <SettingField id="rho" hint={optimizer === 'sgd' ? 'SGD: sets only the diagnostics’ ε' : undefined} />
        <SettingField id="adaptive" />
      </div>
      <SettingField id="linearity" hint="Adds the “Linearity ζ” chart to the sharpness diagnostics" />
    </section>
  );
}

function TrainingSection() {
  return (
    <section className="panel-group" aria-labelledby="group-training">
      <h3 id="group-training">Training</h3>
      <div className="pair">
        <SettingField id="lr" />
        <SettingField id="momentum" />
        <SettingField id="weightDecay" />
        <SettingField id="schedule" />
        <SettingField id="batchSize" />
        <SettingField id="epochs" />
        <SettingField id="seed" />
        <SettingField id="seeds" />
      </div>
    </section>
  );
}

function ComputeSection() {
  const busy = useAppState((s) => liveRuns(s).length > 0);
  return (
    <section className="panel-group" aria-labelledby="group-compute">
      <h3 id="group-compute">Compute</h3>
      <SettingField
        id="backend"
        disabled={busy}
        hint={busy ? 'The backend can change once no run is queued or training.' : undefined}
      />
      <BackendDetails />
    </section>
  );
}

export function ConfigPanel() {
  return (
    <aside className="config" aria-label="Configuration">
      <h2>Configure</h2>
      <DatasetSection />
      <section className="panel-group" aria-labelledby="group-model">
        <h3 id="group-model">Network</h3>
        <SettingField id="model" />
      </section>
      <OptimizerSection />
      <TrainingSection />
      <ComputeSection />
    </aside>
  );
}

/** The config panel: every control comes from the settings table; the optimizer gets Table 3's presets. */
import { EXPERIMENTS, experimentById, experimentOf } from '../store/experiments';
import { PRESETS, presetOf } from '../store/settings';
import { useApp, useAppState } from './context';
import { DatasetSection } from './DatasetSection';
import { BackendDetails } from './BackendDetails';
import { SettingField } from './fields';
import { PresetChoice } from './PresetChoice';
import { liveRuns } from '../store/selectors';

function ExperimentSection() {
  const app = useApp();
  const current = useAppState((s) => experimentOf(s.settings));
  return (
    <section className="panel-group" aria-labelledby="group-experiment">
      <h3 id="group-experiment">Experiment</h3>
      <PresetChoice
        name="experiment-preset"
        label="Experiment preset"
        options={EXPERIMENTS.map((e) => ({ id: e.id, label: e.label, help: e.story }))}
        current={current}
        onChoose={(id) => app.applyExperiment(id)}
      />
      <p className="hint">
        {current
          ? experimentById(current).story
          : 'Your own setup. A preset sets the data and training settings and keeps the method; then “Run the ablation”.'}
      </p>
    </section>
  );
}

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
        <PresetChoice
          name="optimizer-preset"
          label="Optimizer preset"
          options={PRESETS}
          current={preset}
          onChoose={(id) => app.applyPreset(id)}
        />
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
      <SettingField id="hessian" hint="Adds the “Sharpness λ_max” chart to the sharpness diagnostics" />
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
      <SettingField id="backend" disabled={busy} hint={busy ? 'The backend can change once no run is queued or training.' : undefined} />
      <BackendDetails />
    </section>
  );
}

export function ConfigPanel() {
  return (
    <aside className="config" aria-label="Configuration">
      <h2>Configure</h2>
      <ExperimentSection />
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

/** Start, Pause/Resume, Stop, the ablation, and the active run's progress. */
import { formatDuration } from '../store/compare';
import { SETTINGS } from '../store/settings';
import { activeRun, liveRuns, startBlockerList } from '../store/selectors';
import { useApp, useAppState } from './context';

function Progress() {
  const run = useAppState((s) => activeRun(s));
  const progress = useAppState((s) => {
    const r = activeRun(s);
    return r ? s.progress[r.record.id] : undefined;
  });
  const queued = useAppState((s) => liveRuns(s).filter((e) => e.phase === 'queued').length);
  if (!run) {
    return (
      <p className="hint progress-idle">
        {queued > 0
          ? `${queued} run${queued > 1 ? 's' : ''} queued; starting…`
          : 'No run is training. Start one, or run the ablation to compare all five methods.'}
      </p>
    );
  }
  const epochs = run.record.config.epochs;
  const p = progress ?? { epoch: 1, step: 0, steps: 0, etaSeconds: null, epochs };
  const done = p.steps > 0 ? ((p.epoch - 1) * p.steps + p.step) / (epochs * p.steps) : run.record.epochs.length / epochs;
  const percent = Math.round(Math.min(1, done) * 100);
  return (
    <div className="progress">
      <div className="progress-head">
        <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
        <span className="run-name">{run.record.name}</span>
        <span className={`status status-${run.phase === 'paused' ? 'paused' : 'running'}`}>
          {run.phase === 'paused' ? 'paused' : 'running'}
        </span>
      </div>
      <div className="bar" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="fill" style={{ width: `${percent}%`, background: run.color }} />
      </div>
      <p className="progress-text" data-testid="progress-text">
        Epoch {p.epoch} of {epochs}
        {p.steps > 0 && (
          <>
            {' '}
            · step {p.step} of {p.steps}
          </>
        )}{' '}
        · {p.etaSeconds === null ? 'estimating time left…' : `about ${formatDuration(p.etaSeconds)} left`}
        {queued > 0 && ` · ${queued} more queued`}
      </p>
    </div>
  );
}

export function RunControls() {
  const app = useApp();
  const blockers = useAppState(startBlockerList);
  const phase = useAppState((s) => activeRun(s)?.phase ?? null);
  const canStart = blockers.length === 0;
  return (
    <section className="card run-controls" aria-labelledby="run-heading">
      <h2 id="run-heading">Run and watch</h2>
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={!canStart}
          aria-describedby={canStart ? undefined : 'start-blocked'}
          onClick={() => app.start()}
        >
          Start
        </button>
        {phase === 'paused' ? (
          <button type="button" onClick={() => app.resume()}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={phase !== 'running'} onClick={() => app.pause()}>
            Pause
          </button>
        )}
        <button type="button" disabled={phase === null} onClick={() => app.stop()}>
          Stop
        </button>
        <button
          type="button"
          disabled={!canStart}
          title="Queue SGD, SAM, ESAM-SWP, ESAM-SDS and ESAM with these data, model and seed, then compare them (the paper’s Table 3)"
          onClick={() => {
            app.runAblation();
            document.getElementById('compare-heading')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }}
        >
          Run the ablation
        </button>
      </div>
      {!canStart && (
        <div className="blocked" id="start-blocked">
          <strong>Start is disabled:</strong>
          <ul>
            {blockers.map(({ setting, message }) => {
              const target = setting ? `setting-${SETTINGS[setting].param}` : 'setting-dataset';
              return (
                <li key={message}>
                  <a
                    href={`#${target}`}
                    onClick={(e) => {
                      e.preventDefault();
                      const el = document.getElementById(target);
                      el?.scrollIntoView({ block: 'center' });
                      el?.focus();
                    }}
                  >
                    {message}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <Progress />
    </section>
  );
}

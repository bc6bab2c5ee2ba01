/** "Export as PyTorch": the commands that train a run's setup with the PyTorch twin, on a CPU or on GPUs. */
import { useState } from 'react';
import type { RunConfig } from '../engine/run-record';
import { exportCommands, pytorchCommand, torchrunCommand } from '../store/pytorch-command';

/** One run's commands (a seed group's runs each have their own, with their own seed). */
export function PytorchCommands({ config }: { config: RunConfig }) {
  const [gpus, setGpus] = useState(1);
  const [copied, setCopied] = useState(false);
  const options = { out: 'run.json' };
  const lines = [
    '# 1. the run’s images, as files the twin reads',
    ...exportCommands(config),
    '# 2. the same run in PyTorch (prints run@1 JSON: import it here to overlay)',
    pytorchCommand(config, options),
    `# or data parallel over ${gpus} GPU${gpus > 1 ? 's' : ''}`,
    torchrunCommand(config, gpus, options),
  ];
  const text = lines.join('\n');
  return (
    <div className="pytorch-export">
      <label className="inline-select">
        <span className="label-text">GPUs for torchrun</span>
        <input
          type="number"
          min={1}
          max={64}
          value={gpus}
          onChange={(e) => setGpus(Math.max(1, Math.min(64, Math.round(Number(e.target.value) || 1))))}
        />
      </label>
      <pre aria-label="PyTorch commands">{text}</pre>
      <button
        type="button"
        className="small"
        onClick={() => {
          void navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : 'Copy commands'}
      </button>
      <p className="hint">
        Needs PyTorch (<code>apt-get install python3-torch</code> on Debian) and this project’s checkout; see
        scripts/reference/twin/README.md.
      </p>
    </div>
  );
}

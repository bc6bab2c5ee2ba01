/**
 * What SDS picks, made visible: the probe batch's B+ (the samples whose loss rose most under ε)
 * at the end of an epoch, with their labels; for label-noise runs, the share of B+ whose label
 * was replaced against the batch's share, per epoch.
 */
import { memo, useMemo, useState } from 'react';
import { mergeRows, type Point } from '../store/compare';
import { pickTiles } from '../store/picks';
import type { RunEntry } from '../store/runs';
import { ChartCard, MultiLineChart, type SeriesSpec } from './charts';
import { useAppState } from './context';
import { ImageCanvas } from './ImageCanvas';

const FLIPPED: SeriesSpec[] = [
  { key: 'flippedBPlus', name: 'B+ (selected by SDS)', color: '#c0392b' },
  { key: 'flippedBatch', name: 'whole probe batch', color: '#4a5260', dash: '5 4' },
];

/** Whether a run has the label-noise shares (runs with label noise, also imported ones). */
export function hasFlippedShares(entry: RunEntry): boolean {
  return entry.record.epochs.some((e) => e.flippedBPlus !== undefined);
}

export const FlippedChart = memo(function FlippedChart({ entry }: { entry: RunEntry }) {
  const rows = useMemo(() => {
    const points: Point[] = entry.record.epochs.flatMap((e) =>
      e.flippedBPlus === undefined || e.flippedBatch === undefined
        ? []
        : [
            { series: 'flippedBPlus', x: e.epoch, y: e.flippedBPlus * 100 },
            { series: 'flippedBatch', x: e.epoch, y: e.flippedBatch * 100 },
          ],
    );
    return mergeRows(points);
  }, [entry.record]);
  return (
    <ChartCard
      title="Label noise in B+"
      points={rows.length}
      legend={FLIPPED.map((s) => ({ name: s.name, color: s.color, dash: s.dash }))}
      explanation="Share of the probe batch's images whose training label was replaced by label noise: in B+ (SDS's pick) and in the whole batch. B+ holds the samples whose loss rises most under ε; a share above the batch's means SDS trains on the mislabelled images more than at random."
    >
      <MultiLineChart rows={rows} series={FLIPPED} xLabel="epoch" yLabel="replaced labels (%)" valueSuffix="%" dots xInteger yDomain={[0, 100]} />
    </ChartCard>
  );
});

export const SdsGallery = memo(function SdsGallery({ entry }: { entry: RunEntry }) {
  const id = entry.record.id;
  const probe = useAppState((s) => s.picks.probes[id]);
  const byEpoch = useAppState((s) => s.picks.bPlus[id]);
  const epochs = useMemo(() => Object.keys(byEpoch ?? {}).map(Number).sort((a, b) => a - b), [byEpoch]);
  const [chosen, setChosen] = useState<number | null>(null);
  const epoch = chosen !== null && epochs.includes(chosen) ? chosen : (epochs.at(-1) ?? null);
  const tiles = useMemo(() => (probe && epoch !== null ? pickTiles(probe, byEpoch![epoch]) : []), [probe, byEpoch, epoch]);
  const title = 'What SDS picks: B+ of the probe batch';
  const explanation = `The ${tiles.length || '⌊γ·|B|⌋'} images of the probe batch whose loss rose most under ε at the end of the epoch, largest rise first, with the label trained on. ESAM's SDS trains its second pass on exactly such a subset; the paper argues these are the sharpness-sensitive samples. A struck-through label was replaced by label noise (the true class follows).`;
  if (!probe) {
    return (
      <ChartCard title={title} points={0} explanation={explanation} empty="The gallery is shown for runs trained in this page since it was opened (the images are not stored).">
        {null}
      </ChartCard>
    );
  }
  return (
    <ChartCard
      title={title}
      points={tiles.length}
      explanation={explanation}
      controls={
        epochs.length > 1 ? (
          <label className="inline-select">
            <span className="label-text">Epoch</span>
            <select value={epoch ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
              {epochs.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        ) : undefined
      }
    >
      <div className="sample-grid pick-grid" data-testid="sds-gallery">
        {tiles.map((t) => (
          <figure key={t.index} className={`sample${t.trueLabel ? ' flipped' : ''}`}>
            <ImageCanvas source={probe} index={t.index} label={t.trueLabel ? `${t.label} (true class ${t.trueLabel})` : t.label} />
            <figcaption title={t.trueLabel ? `trained as ${t.label}; true class ${t.trueLabel}` : t.label}>
              {t.trueLabel ? (
                <>
                  <s>{t.label}</s> {t.trueLabel}
                </>
              ) : (
                t.label
              )}
            </figcaption>
          </figure>
        ))}
      </div>
    </ChartCard>
  );
});

/**
 * What SDS picks, made visible: the probe batch's B+ (the samples whose loss rose most under ε)
 * at the end of an epoch, with their labels; for label-noise runs, the share of B+ whose label
 * was replaced against the batch's share, per epoch.
 */
import { memo, useMemo, useState } from 'react';
import { mergeRows, type Point } from '../store/compare';
import { explanationOf, figure, titleOf } from '../store/figures';
import { pickTiles } from '../store/picks';
import type { RunEntry } from '../store/runs';
import { ChartCard, MultiLineChart } from './charts';
import { useAppState } from './context';
import { ImageCanvas } from './ImageCanvas';

const FLIPPED = figure('labelNoise');

/** Whether a run has the label-noise shares (runs with label noise, also imported ones). */
export function hasFlippedShares(entry: RunEntry): boolean {
  return entry.record.epochs.some((e) => e.flippedBPlus !== undefined);
}

export const FlippedChart = memo(function FlippedChart({ entry }: { entry: RunEntry }) {
  const rows = useMemo(() => {
    const points: Point[] = entry.record.epochs.flatMap((e) =>
      e.flippedBPlus === undefined || e.flippedBatch === undefined
        ? []
        : FLIPPED.series.map((s) => ({ series: s.key, x: e.epoch, y: e[s.key]! * 100 })),
    );
    return mergeRows(points);
  }, [entry.record]);
  return (
    <ChartCard
      title={titleOf('labelNoise')}
      points={rows.length}
      legend={FLIPPED.series.map((s) => ({ name: s.name, color: s.color, ...('dash' in s ? { dash: s.dash } : {}) }))}
      explanation={FLIPPED.explanation}
    >
      <MultiLineChart
        rows={rows}
        series={FLIPPED.series}
        xLabel={FLIPPED.xLabel}
        yLabel={FLIPPED.yLabel}
        valueSuffix="%"
        dots
        xInteger
        yDomain={[0, 100]}
      />
    </ChartCard>
  );
});

export const SdsGallery = memo(function SdsGallery({ entry }: { entry: RunEntry }) {
  const id = entry.record.id;
  const probe = useAppState((s) => s.picks.probes[id]);
  const byEpoch = useAppState((s) => s.picks.bPlus[id]);
  const epochs = useMemo(
    () =>
      Object.keys(byEpoch ?? {})
        .map(Number)
        .sort((a, b) => a - b),
    [byEpoch],
  );
  const [chosen, setChosen] = useState<number | null>(null);
  const epoch = chosen !== null && epochs.includes(chosen) ? chosen : (epochs.at(-1) ?? null);
  const tiles = useMemo(() => (probe && epoch !== null ? pickTiles(probe, byEpoch![epoch]) : []), [probe, byEpoch, epoch]);
  const explanation = explanationOf('sdsPicks', { count: tiles.length ? String(tiles.length) : '⌊γ·|B|⌋' });
  if (!probe) {
    return (
      <ChartCard
        title={titleOf('sdsPicks')}
        points={0}
        explanation={explanation}
        empty="The gallery is shown for runs trained in this page since it was opened (the images are not stored)."
      >
        {null}
      </ChartCard>
    );
  }
  return (
    <ChartCard
      title={titleOf('sdsPicks')}
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

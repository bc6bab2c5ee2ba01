/**
 * The figure registry: one entry per chart the page shows, with its title, the paper's figure,
 * axis labels, the explanation under the card, its README row and its fixed series (the
 * comparison's epoch metrics are in metrics.ts). The live charts, the comparison and the README's
 * chart table (`npm run docs:charts`) are all made from here.
 */
import { COSINE_AXIS, metricAxis, type SeriesKey } from './metrics';
import type { SweepRole } from './sweep';

/**
 * A line of a chart. Without a colour: one line per run, in the run's colour, named after the run
 * (and after that by `name` where a chart draws several lines per run).
 */
export interface FigureSeries {
  key: SeriesKey;
  name: string;
  color?: string;
  /** SVG dash pattern, e.g. "5 4". */
  dash?: string;
  width?: number;
}

/** A fixed mark of the sweep's figure: one line or dot per sweep role. */
export interface FigureRole {
  key: SweepRole;
  name: string;
  color: string;
  shape?: 'circle' | 'square' | 'diamond' | 'triangle';
}

/** A row of the README's chart table; charts that share one share the object. */
export interface ReadmeRow {
  chart: string;
  /** Said in the chart cell after the paper's figures, e.g. "optional". */
  note?: string;
  shows: string;
  paperFound: string;
}

export interface Figure {
  id: string;
  /** The card's title; `{name}` slots are filled where the chart is drawn (`titleOf`). */
  title: string;
  /** Where the paper has this chart, or null. */
  paperFigure: string | null;
  /** null: no axis (an image grid), or the axis of the metric chosen in the comparison. */
  xLabel: string | null;
  yLabel: string | null;
  /** Under the card; `{name}` slots as in the title. */
  explanation: string;
  readme: ReadmeRow;
  series: readonly FigureSeries[];
  roles?: readonly FigureRole[];
}

const DASH = '5 4';
const INK = '#4a5260';
const B_PLUS = '#c0392b';
const B_MINUS = '#1f5fae';

/** The Fig. 3 axes, shared by the comparison's view and the sweep's figure. */
export const FIG3_AXES = { x: metricAxis('seconds'), y: 'final test accuracy (%)' } as const;

const LOSS_AND_ACCURACY: ReadmeRow = {
  chart: 'Loss and accuracy',
  shows: "training loss/accuracy over each epoch's steps; test loss/accuracy with BatchNorm in evaluation mode",
  paperFound: 'SAM and ESAM reach higher test accuracy than SGD',
};

const LINEARITY_ROW: ReadmeRow = {
  chart: 'Linearity ζ',
  note: 'optional',
  shows: "ζ(ε, S) = |L_S(θ+ε) − L_S(θ) − εᵀ∇L_S(θ)| on the probe batch for S = B, B+ and B−, along the run's own ε",
  paperFound: "ζ for B falls as SWP's β falls: the loss is more linear along SWP's ε, so the first-order ε is a better inner maximization",
};

const COMPARISON_ROW: ReadmeRow = {
  chart: 'Any metric by epoch or time',
  shows: 'the metric chosen in the comparison for the selected runs, against the epoch or the cumulative training seconds',
  paperFound: '—',
};

const LINEARITY_SERIES = [
  { key: 'linearity', name: 'B (whole batch)', color: INK },
  { key: 'linearityBPlus', name: 'B+ (selected by SDS)', color: B_PLUS },
  { key: 'linearityBMinus', name: 'B− (the rest)', color: B_MINUS },
] as const satisfies readonly FigureSeries[];

export const FIGURES = [
  {
    id: 'loss',
    title: 'Loss',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: 'cross-entropy (nats)',
    explanation:
      'Mean cross-entropy per epoch on the training images (during the epoch) and on the test images (after it). A gap that widens is overfitting.',
    readme: LOSS_AND_ACCURACY,
    series: [
      { key: 'testLoss', name: 'test' },
      { key: 'trainLoss', name: 'train', dash: DASH, width: 1.5 },
    ],
  },
  {
    id: 'accuracy',
    title: 'Accuracy',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: 'accuracy (%)',
    explanation:
      'Share of images classified correctly. SAM and ESAM aim at flatter minima, which the paper finds generalise better: a higher test accuracy for the same training accuracy.',
    readme: LOSS_AND_ACCURACY,
    series: [
      { key: 'testAcc', name: 'test' },
      { key: 'trainAcc', name: 'train', dash: DASH, width: 1.5 },
    ],
  },
  {
    id: 'stepLoss',
    title: 'Training loss per step',
    paperFigure: null,
    xLabel: 'training step',
    yLabel: 'batch loss (nats)',
    explanation:
      'Mean loss of each training batch at θ, before its update (long runs are averaged into at most 400 points). It shows progress within an epoch and instabilities that epoch means hide.',
    readme: { chart: 'Step loss', shows: 'the training loss of every step, as it streams', paperFound: '—' },
    series: [],
  },
  {
    id: 'fig5',
    title: 'Fig. 5 — losses of B+ and B− at θ and θ+ε',
    paperFigure: 'Fig. 5',
    xLabel: 'epoch',
    yLabel: 'cross-entropy (nats)',
    explanation:
      'Mean loss of the probe batch’s B+ (the samples whose loss rises most under the SAM perturbation ε) and B− (the rest), before and after ε. The paper finds B+’s loss rises far more than B−’s: B+ carries the sharpness, so SDS can drop B−.',
    readme: {
      chart: 'B+ / B− losses',
      shows: 'on a fixed probe batch: mean loss of B+ and B− at θ and at θ+ε',
      paperFound: "B+'s loss rises much more under the perturbation: those samples carry the sharpness",
    },
    series: [
      { key: 'lossBPlusPerturbed', name: 'B+ at θ+ε', color: B_PLUS },
      { key: 'lossBPlus', name: 'B+ at θ', color: B_PLUS, dash: DASH },
      { key: 'lossBMinusPerturbed', name: 'B− at θ+ε', color: B_MINUS },
      { key: 'lossBMinus', name: 'B− at θ', color: B_MINUS, dash: DASH },
    ],
  },
  {
    id: 'fig6',
    title: 'Fig. 6 — gradient similarity at θ+ε',
    paperFigure: 'Fig. 6',
    xLabel: 'epoch',
    yLabel: COSINE_AXIS,
    explanation:
      'Cosine similarity of the gradient at θ+ε over B+, B− and a random subset R of the same size, with the whole batch’s. The paper finds B+’s gradient stays closest to the whole batch’s, closer than B−’s or a random subset’s: B+ stands in for the batch.',
    readme: {
      chart: 'Gradient cosines',
      shows: "cosine between the gradient at θ+ε of B+, of B− and of a random subset of the same size, and the whole batch's",
      paperFound: "B+'s gradient stays closest to the whole batch's, so training on B+ alone loses little",
    },
    series: [
      { key: 'cosBPlus', name: 'B+ (selected by SDS)', color: B_PLUS },
      { key: 'cosBMinus', name: 'B− (the rest)', color: B_MINUS },
      { key: 'cosRandom', name: 'random subset R', color: '#7a7f87', dash: DASH },
    ],
  },
  {
    id: 'sharpness',
    title: 'Sharpness',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: 'L(θ+ε) − L(θ) (nats)',
    explanation:
      'How much the probe batch’s loss rises when the weights move by ε within the ρ-ball: the quantity SAM minimises. Flatter minima give smaller values.',
    readme: { chart: 'Sharpness', shows: 'L_B(θ+ε) − L_B(θ) on the probe batch', paperFound: 'sharpness-aware training keeps it lower' },
    series: [{ key: 'sharpness', name: 'sharpness' }],
  },
  {
    id: 'sdsPicks',
    title: 'What SDS picks: B+ of the probe batch',
    paperFigure: null,
    xLabel: null,
    yLabel: null,
    explanation:
      "The {count} images of the probe batch whose loss rose most under ε at the end of the epoch, largest rise first, with the label trained on. ESAM's SDS trains its second pass on exactly such a subset; the paper argues these are the sharpness-sensitive samples. A struck-through label was replaced by label noise (the true class follows).",
    readme: {
      chart: 'What SDS picks',
      shows:
        "the probe batch's B+ at the end of an epoch (pick the epoch), largest loss rise first, with the label trained on; a label that label noise replaced is struck through and the true class follows",
      paperFound: 'B+ holds the sharpness-sensitive samples',
    },
    series: [],
  },
  {
    id: 'labelNoise',
    title: 'Label noise in B+',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: 'replaced labels (%)',
    explanation:
      "Share of the probe batch's images whose training label was replaced by label noise: in B+ (SDS's pick) and in the whole batch. B+ holds the samples whose loss rises most under ε; a share above the batch's means SDS trains on the mislabelled images more than at random.",
    readme: {
      chart: 'Label noise in B+',
      note: 'label-noise runs',
      shows: "the share of B+ whose label was replaced, against the whole probe batch's share",
      paperFound: "— (the playground's own question: does SDS train on the mislabelled images?)",
    },
    series: [
      { key: 'flippedBPlus', name: 'B+ (selected by SDS)', color: B_PLUS },
      { key: 'flippedBatch', name: 'whole probe batch', color: INK, dash: DASH },
    ],
  },
  {
    id: 'linearity',
    title: 'Linearity ζ (appendix A.3)',
    paperFigure: 'appendix A.3',
    xLabel: 'epoch',
    yLabel: 'ζ (nats)',
    explanation:
      'ζ(ε, S) = |L_S(θ+ε) − L_S(θ) − εᵀ∇L_S(θ)|: how far the loss of S = B, B+ or B− is from its first-order Taylor expansion along the run’s own perturbation ε (SWP’s masked, 1/β-scaled one for ESAM-SWP; SAM’s otherwise). SAM’s ε solves the inner maximization only if the loss is linear there, so a smaller ζ means a better ε; the paper’s Fig. 7 finds ζ for B falls as β falls.',
    readme: LINEARITY_ROW,
    series: LINEARITY_SERIES,
  },
  {
    id: 'hessian',
    title: 'Sharpness λ_max (top Hessian eigenvalue)',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: 'λ_max (nats per unit² of weight)',
    explanation:
      'The largest eigenvalue of the Hessian of the probe batch’s mean loss at the end of each epoch (BatchNorm on the batch’s own statistics, as the diagnostics take it): the curvature along the sharpest direction in weight space. Power iteration on Hessian-vector products by central differences of gradients, seeded from the run; each epoch records its residual ‖Hv − λv‖/|λ| too, small when the iteration has settled. Flatter minima have a smaller λ_max.',
    readme: {
      chart: 'Sharpness λ_max',
      note: 'optional',
      shows:
        "the top eigenvalue of the probe batch's loss Hessian at the end of each epoch, by power iteration on finite-difference Hessian-vector products",
      paperFound: '— (not in the paper: a standard sharpness measure beside its L(θ+ε) − L(θ))',
    },
    series: [{ key: 'lambdaMax', name: 'λ_max' }],
  },
  {
    id: 'throughput',
    title: 'Throughput',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: metricAxis('imagesPerSec'),
    explanation:
      'Training images per second in each epoch (steps only; evaluation and diagnostics excluded). The first epoch includes warm-up. The paper reports ESAM at about 1.4× SAM’s throughput.',
    readme: {
      chart: 'Images per second',
      shows: 'training throughput of each epoch (evaluation and diagnostics excluded)',
      paperFound: 'ESAM ≈ 1.4× SAM',
    },
    series: [{ key: 'imagesPerSec', name: 'images per second' }],
  },
  {
    id: 'compareByEpoch',
    title: '{metric} by epoch',
    paperFigure: null,
    xLabel: 'epoch',
    yLabel: null,
    explanation: 'Plotted per epoch: methods compared at equal numbers of passes over the data.',
    readme: COMPARISON_ROW,
    series: [],
  },
  {
    id: 'compareByTime',
    title: '{metric} by training time',
    paperFigure: null,
    xLabel: 'training time (s)',
    yLabel: null,
    explanation:
      'Plotted against cumulative training seconds: a faster method reaches the same value further left. This is where ESAM’s savings show.',
    readme: COMPARISON_ROW,
    series: [],
  },
  {
    id: 'compareFig3',
    title: 'Fig. 3 view — accuracy against time per epoch',
    paperFigure: 'Fig. 3',
    xLabel: FIG3_AXES.x,
    yLabel: FIG3_AXES.y,
    explanation:
      'One dot per run: final test accuracy against mean training seconds per epoch (first epoch left out when there are more). Up and to the left is better; the paper’s ESAM sits left of SAM at about the same height.',
    readme: { chart: 'Accuracy vs time per epoch', shows: 'one dot per run', paperFound: 'ESAM sits up and to the left of SAM' },
    series: [],
  },
  {
    id: 'costMeter',
    title: 'Where the time goes — ms per step by phase',
    paperFigure: null,
    xLabel: 'ms per step',
    yLabel: null,
    explanation:
      'Each run’s last epoch: the mean over a few steps timed with the device synchronised between phases — the ascent pass, SDS’s ranking forward, the descent pass and the update. SAM pays for a second forward and backward; SWP trims the ascent pass and SDS the descent pass. The paper’s efficiency claim, on your own device.',
    readme: {
      chart: 'Where the time goes',
      shows: 'ms per step by phase, stacked per run, and each run’s cost relative to SGD',
      paperFound: 'ESAM’s steps cost less than SAM’s (1.38–1.40× its throughput)',
    },
    series: [
      { key: 'ascentForwardBackwardMs', name: 'ascent', color: '#d95f02' },
      { key: 'rankingMs', name: 'ranking', color: '#7570b3' },
      { key: 'descentForwardBackwardMs', name: 'descent', color: '#1b9e77' },
      { key: 'updateMs', name: 'update', color: '#8a8f98' },
    ],
  },
  {
    id: 'sweepFig3',
    title: 'Fig. 3 — {sweep}: test accuracy against time per epoch',
    paperFigure: 'Fig. 3',
    xLabel: FIG3_AXES.x,
    yLabel: FIG3_AXES.y,
    explanation:
      'Each sweep is a line of connected dots labelled with its β or γ; SGD, SAM and ESAM are single dots. Time per epoch counts training steps only (first epoch left out when there are more). Up and to the left is better: the paper finds accuracy flat over a wide range of β and γ while time falls with them.',
    readme: {
      chart: 'Sweep',
      shows:
        'final test accuracy against training seconds per epoch for each β or γ of a sweep, connected in order, with SGD, SAM and ESAM as single dots',
      paperFound: 'accuracy stays flat over a wide range of β and γ while the time per epoch falls',
    },
    series: [],
    roles: [
      { key: 'beta', name: 'ESAM-SWP, β sweep', color: B_MINUS },
      { key: 'gamma', name: 'ESAM-SDS, γ sweep', color: '#d1495b' },
      { key: 'sgd', name: 'SGD', color: INK, shape: 'square' },
      { key: 'sam', name: 'SAM', color: '#c77700', shape: 'diamond' },
      { key: 'esam', name: 'ESAM', color: '#2a8a57', shape: 'triangle' },
    ],
  },
  {
    id: 'sweepLinearity',
    title: 'Fig. 7 — {sweep}: linearity ζ(ε, B) per epoch',
    paperFigure: 'Fig. 7',
    xLabel: 'epoch',
    yLabel: 'ζ (nats)',
    explanation:
      'ζ of the whole probe batch along each run’s own perturbation (SWP’s for the β sweep). The paper finds ζ lower for smaller β: the loss is more linear along SWP’s ε.',
    readme: LINEARITY_ROW,
    series: [{ key: LINEARITY_SERIES[0].key, name: LINEARITY_SERIES[0].name }],
  },
  {
    id: 'landscape',
    title: 'Loss landscape',
    paperFigure: 'Fig. 4, 8',
    xLabel: 'd₁',
    yLabel: 'd₂',
    explanation:
      'The loss on the probe set at θ + a·d₁ + b·d₂ for a grid of (a, b), BatchNorm in evaluation mode. Random directions are normalised filter by filter to the weights (Li et al. 2018), so landscapes of different runs compare; adversarial ones are the gradients of two random halves of a batch times the learning rate, as in the paper’s appendix A.5, so one unit is one SGD step. All panels share one colour scale, and the contour lines sit at the same levels: a wider basin around the centre marker is a flatter minimum, as SAM and ESAM find in the paper’s Fig. 4.',
    readme: {
      chart: 'Loss landscape',
      shows: 'the loss on the probe set at θ + a·d₁ + b·d₂ over the grid, BatchNorm in evaluation mode; the centre marker is the trained θ',
      paperFound: "SAM's and ESAM's minima are wider and flatter than SGD's, along random and adversarial directions",
    },
    series: [],
  },
] as const satisfies readonly Figure[];

export type FigureId = (typeof FIGURES)[number]['id'];
export type FigureOf<I extends FigureId> = Extract<(typeof FIGURES)[number], { id: I }>;

export function figure<I extends FigureId>(id: I): FigureOf<I> {
  return FIGURES.find((f) => f.id === id) as FigureOf<I>;
}

/** The `{name}` slots of a text. */
export type SlotsOf<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | SlotsOf<Rest> : never;
/** A text's slot values: none for a text without slots. */
export type SlotArgs<S extends string> = [SlotsOf<S>] extends [never] ? [] : [values: Record<SlotsOf<S>, string>];

/** The text with each `{name}` slot replaced by its value. */
function fillSlots(text: string, values: Partial<Record<string, string>> = {}): string {
  return text.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);
}

/** A chart's card title, its slots filled. */
export function titleOf<I extends FigureId>(id: I, ...[values]: SlotArgs<FigureOf<I>['title']>): string {
  return fillSlots(figure(id).title, values);
}

/** A chart's explanation, its slots filled. */
export function explanationOf<I extends FigureId>(id: I, ...[values]: SlotArgs<FigureOf<I>['explanation']>): string {
  return fillSlots(figure(id).explanation, values);
}

/**
 * Props for recharts that keep their identity between renders. recharts 3 compares a line's
 * props by reference: a new `dataKey` function or dot object on each render makes every line
 * re-register in the chart's store, and each of those dispatches re-runs the chart's selectors.
 * With stable props, an update that only brings new rows costs one pass.
 */
import { seriesField, type ChartRow } from '../store/compare';
import { bandKey } from '../store/groups';

/** `make(key)`, built once per key and returned as the same value afterwards. */
export function keyedOnce<V>(make: (key: string) => V): (key: string) => V {
  // Keys are series keys (run and group ids) and colours: a few per run shown in this page.
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** A series' value in a row (a function: recharts reads a string key as a path, "a.b"). */
export const seriesValue = keyedOnce((key) => {
  const field = seriesField(key);
  return (row: ChartRow): number | null | undefined => row[field];
});

/** A band's [low, high] at a row, or null where the row has none. */
export const bandRange = keyedOnce((key) => {
  const lo = seriesField(bandKey(key, 'lo'));
  const hi = seriesField(bandKey(key, 'hi'));
  return (row: ChartRow): [number, number] | null => (row[lo] == null || row[hi] == null ? null : [row[lo], row[hi]]);
});

/** The dot drawn on each point of a line of this colour. */
export const pointDot = keyedOnce((color) => ({ r: 2.5, strokeWidth: 0, fill: color }));

/**
 * `value`, or the previous value where the two are equal as JSON: keeps an array of plain
 * specs (series, bands) that a parent rebuilt with the same content from invalidating memos.
 */
export function sameAsBefore<T>(previous: T | undefined, value: T): T {
  return previous !== undefined && (previous === value || JSON.stringify(previous) === JSON.stringify(value)) ? previous : value;
}

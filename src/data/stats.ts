/**
 * Per-channel mean and standard deviation of NHWC byte images, on the 0..1 scale.
 *
 * Computed from a 256-bin histogram per channel, so the result is exact (no float
 * accumulation drift over 150 M bytes) and fast.
 */

export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** The smallest std reported, so that normalising a constant channel stays finite. */
export const MIN_STD = 1e-3;

/**
 * Mean and population standard deviation of each channel over all pixels of `images`
 * (NHWC bytes with `channels` channels), divided by 255. A channel with no pixels gets
 * mean 0, std 1; a constant channel gets std `MIN_STD`.
 */
export function channelStats(images: Uint8Array, channels: number): ChannelStats {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channels must be a positive integer, got ${channels}`);
  if (images.length % channels !== 0) {
    throw new RangeError(`${images.length} image bytes are not a whole number of ${channels}-channel pixels`);
  }
  const hist = new Float64Array(256 * channels);
  if (channels === 3) {
    for (let i = 0; i < images.length; i += 3) {
      hist[images[i]]++;
      hist[256 + images[i + 1]]++;
      hist[512 + images[i + 2]]++;
    }
  } else {
    for (let i = 0; i < images.length; i += channels) {
      for (let c = 0; c < channels; c++) hist[c * 256 + images[i + c]]++;
    }
  }
  const n = images.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    if (n === 0) {
      mean.push(0);
      std.push(1);
      continue;
    }
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += hist[c * 256 + v] * v;
    const m = sum / n / 255;
    let sq = 0;
    for (let v = 0; v < 256; v++) {
      const d = v / 255 - m;
      sq += hist[c * 256 + v] * d * d;
    }
    mean.push(m);
    std.push(Math.max(MIN_STD, Math.sqrt(sq / n)));
  }
  return { mean, std };
}

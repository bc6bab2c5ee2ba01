/** One image drawn from dataset bytes (NHWC, 1 or 3 channels) onto a canvas. */
import { useEffect, useRef } from 'react';

export interface ImageBytes {
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

export function ImageCanvas({ source, index, label }: { source: ImageBytes; index: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { height, width, channels, images } = source;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(width, height);
    const size = height * width * channels;
    const bytes = images.subarray(index * size, (index + 1) * size);
    for (let p = 0; p < height * width; p++) {
      const r = bytes[p * channels];
      image.data[p * 4] = r;
      image.data[p * 4 + 1] = channels === 1 ? r : bytes[p * channels + 1];
      image.data[p * 4 + 2] = channels === 1 ? r : bytes[p * channels + 2];
      image.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [images, index, height, width, channels]);
  return <canvas ref={ref} width={width} height={height} role="img" aria-label={label} />;
}

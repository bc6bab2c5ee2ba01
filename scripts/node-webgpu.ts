/**
 * WebGPU in Node: the npm package `webgpu` (Dawn) provides `navigator.gpu` and the WebGPU
 * globals, so tfjs's WebGPU backend runs outside a browser. On a machine without a GPU, Chromium's
 * SwiftShader Vulkan driver gives Dawn an adapter; it is found through two variables that must be
 * set before the process starts (the dynamic linker reads them then):
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
 */
export const SWIFTSHADER_ENV = {
  LD_LIBRARY_PATH: '/usr/lib/chromium',
  VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json',
} as const;

/** The variables as a command prefix, for messages. */
export const SWIFTSHADER_PREFIX = Object.entries(SWIFTSHADER_ENV)
  .map(([key, value]) => `${key}=${value}`)
  .join(' ');

let installed: Promise<void> | undefined;
const deviceWatchers: ((device: GPUDevice) => void)[] = [];

/** Calls `watch` with every GPU device created from now on (tests record their errors). */
export function onNodeWebgpuDevice(watch: (device: GPUDevice) => void): void {
  deviceWatchers.push(watch);
}

/**
 * Installs Dawn's `navigator.gpu` and the WebGPU globals (GPUBufferUsage, ...) in this process,
 * once. Must run before '@tensorflow/tfjs-backend-webgpu' is first imported: that module only
 * registers its backend when it sees `navigator.gpu`.
 */
export function installNodeWebgpu(): Promise<void> {
  installed ??= (async () => {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);

    const adapterProto = (globals as { GPUAdapter?: { prototype: GPUAdapter } }).GPUAdapter?.prototype;
    if (adapterProto) {
      const requestDevice = adapterProto.requestDevice;
      adapterProto.requestDevice = async function (this: GPUAdapter, ...args) {
        const device = await requestDevice.apply(this, args);
        for (const watch of deviceWatchers) watch(device);
        return device;
      };
    }

    const gpu = create([]);
    const existing = (globalThis as { navigator?: object }).navigator;
    if (existing && Object.isExtensible(existing)) {
      // Node 21+ has a `navigator` of its own: add `gpu` to it.
      Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, enumerable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true, enumerable: true });
    }
  })();
  return installed;
}

/** The adapter Dawn offers, in words, or null when it finds none. */
export async function describeNodeAdapter(): Promise<{ adapter: string; software: boolean } | null> {
  await installNodeWebgpu();
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  const words = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  const fallback = Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter);
  return { adapter: words, software: fallback || /swiftshader|llvmpipe|software|lavapipe/i.test(words) };
}

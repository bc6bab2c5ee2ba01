/** The tfjs backends the app and the CLI know, without tfjs, so the page can list them cheaply. */

/** Every backend, in the page's order of preference: the automatic choice tries them in turn. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** The backends that run in Node (WebGL needs a browser). */
export const NODE_BACKEND_NAMES = ['wasm', 'cpu', 'webgpu'] as const satisfies readonly BackendName[];
export type NodeBackendName = (typeof NODE_BACKEND_NAMES)[number];

/**
 * What Node's automatic choice tries, in turn. WebGPU (Dawn) must be named: probing for an adapter
 * on a machine without Vulkan prints Dawn's warnings, and on SwiftShader it is slower than WASM.
 */
export const NODE_AUTO_ORDER = ['wasm', 'cpu'] as const satisfies readonly NodeBackendName[];

// The choices `--backend` accepts, apart from the backend code so the task declarations can list them without loading it.

/** The choices `--backend` accepts, in the order `auto` tries the concrete ones. */
export const BACKEND_CHOICES = ['auto', 'gpu', 'webgpu', 'native', 'wasm', 'js'] as const;

/** What the user may ask for with `--backend`. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

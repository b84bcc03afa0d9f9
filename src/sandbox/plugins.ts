// Extensions installed into every SandboxApp after the built-in routes (async/bulk processors,
// bulk status routes, the queue consumer, the latency model, --schema FILE routes).
// Owners add one entry each; the order is the order of installation.
import type { SandboxApp } from './app';

export type SandboxPlugin = (app: SandboxApp) => void | Promise<void>;

export const sandboxPlugins: SandboxPlugin[] = [];

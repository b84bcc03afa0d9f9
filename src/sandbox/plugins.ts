// Extensions installed into every SandboxApp after the built-in routes (async/bulk processors,
// bulk status routes, the queue consumer, the latency model, --schema FILE routes).
// Owners add one entry each; the order is the order of installation.
import type { SandboxApp } from './app';
import { installAsync } from './async/asyncPlugin';
import { installSchemaFile } from './schemaFile/schemaFileRoutes';
import { installFaultControls } from './faults/faultControls';

export type SandboxPlugin = (app: SandboxApp) => void | Promise<void>;

export const sandboxPlugins: SandboxPlugin[] = [
  (app) => {
    const runtime = installAsync(app);
    installFaultControls(app, runtime);
  },
  // Last: it adds only the routes of the file that nothing above serves natively.
  installSchemaFile,
];

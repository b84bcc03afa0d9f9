import * as vscode from 'vscode';
import { type Logger } from '../core/ports';

/**
 * Owns the extension's long-lived objects and their disposal. Features receive it and
 * register what they create with `register()`, so `deactivate()` leaves no timers behind.
 */
export class HostContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    readonly logger: Logger,
  ) {}

  register<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Registers a command whose failures are logged and shown instead of vanishing. */
  registerCommand(id: string, handler: (...args: never[]) => unknown): void {
    this.register(
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.error(`command ${id} failed: ${message}`);
          void vscode.window.showErrorMessage(message);
          return undefined;
        }
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Disposal continues for the others; one failing dispose must not leak the rest.
      }
    }
  }
}

// The core's SecretStore port over VS Code's SecretStorage (the OS keychain, or an encrypted
// store in remote/web hosts). Secrets never go to settings, globalState, logs or webviews.
import type * as vscode from 'vscode';
import { type SecretStore } from '../../core/ports';

export class VsCodeSecretStore implements SecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async get(key: string): Promise<string | undefined> {
    return this.storage.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.storage.store(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete(key);
  }
}

/** The Redis URL of the shared token cache: one per user, kept as a secret (it may hold a password). */
export const REDIS_URL_SECRET_KEY = 'magentoWorkbench.redis.url';

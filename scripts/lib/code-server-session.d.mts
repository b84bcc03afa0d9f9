// Types for code-server-session.mjs (used from the TypeScript e2e harness).
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_ARGS: readonly string[];

export interface ScratchProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  dispose(): void;
}

export interface CodeServer {
  version: string;
  port: number;
  baseUrl: string;
  pid: number;
  logFile: string;
  /** True once the server process has exited (a crash mid-run). */
  hasExited(): boolean;
  stop(): Promise<void>;
}

export function createScratchProfile(prefix?: string): ScratchProfile;
export function installExtension(vsixPath: string, profile: ScratchProfile): Promise<string>;
export function startCodeServer(profile: ScratchProfile, options?: { env?: Record<string, string>; readyTimeoutMs?: number }): Promise<CodeServer>;
export function remoteUri(server: CodeServer, absolutePath: string): string;
export function workbenchUrl(
  server: CodeServer,
  options?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;
export function launchChromium(options?: { viewport?: { width: number; height: number } }): Promise<{ browser: Browser; context: BrowserContext; page: Page }>;

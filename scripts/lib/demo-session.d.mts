// Types for demo-session.mjs (used from the TypeScript e2e tier).
import type { CodeServer } from './code-server-session.mjs';

export const REPO_ROOT: string;
export const DEMO_WORKSPACE_TEMPLATE: string;
export const DEMO_PROFILE_ID: string;

export interface SandboxProcess {
  baseUrl: string;
  storeCode: string;
  admin: { username: string; password: string; totpSecret?: string };
  customer: { email: string; password: string };
  integration: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
  pid: number;
  stop(): Promise<void>;
}

export interface CodeServerDemo {
  url: string;
  server: CodeServer;
  workspace: string;
  stop(): Promise<void>;
}

export function buildExtension(): void;
export function startSandboxProcess(options?: { latency?: 'none' | 'realistic'; timeoutMs?: number }): Promise<SandboxProcess>;
export function prepareDemoWorkspace(target: string, sandbox: { baseUrl: string }): string;
export function demoEnvironment(sandbox: { admin: { password: string } }): Record<string, string>;
export function findDesktopCode(pathValue?: string): string | undefined;
export function startDesktopCode(codeBin: string, workspace: string, env: Record<string, string>): { done: Promise<void>; stop(): Promise<void> };
export function startCodeServerDemo(sandbox: SandboxProcess, options?: { log?: (message: string) => void }): Promise<CodeServerDemo>;

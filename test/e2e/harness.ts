// End-to-end harness: a real VS Code workbench (code-server) with the extension loaded from
// this folder, driven through headless Chromium the way a person uses it — keyboard, command
// palette, activity bar, views, webviews — with screenshots under test-results/e2e/.
//
// Typical test (node:test, run by `npm run test:e2e`):
//   const wb = await openWorkbench();
//   after(() => wb.close());
//   await wb.runCommand('Magento: Show Log');
//   await wb.screenshot('log-shown');
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import type * as Session from '../../scripts/lib/code-server-session.mjs' with { 'resolution-mode': 'import' };

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e');

const UI_TIMEOUT_MS = 30_000;

export interface Workbench {
  readonly page: Page;
  /** Absolute path of the workspace folder opened in the workbench (a scratch folder). */
  readonly workspace: string;
  /** Runs a command through the command palette (F1), by its title as shown there, e.g. "Magento: Show Log". */
  runCommand(title: string): Promise<void>;
  /** Clicks an activity-bar entry (e.g. "Magento") and returns the side bar. */
  openViewContainer(title: string): Promise<Locator>;
  /** A view's pane (header + body) in the side bar, found by the view's name, e.g. "Bulk Operations". */
  view(name: string): Locator;
  /** The content frame of the first webview whose document contains `text` (webviews are nested iframes). */
  webview(text: string, timeoutMs?: number): Promise<Frame>;
  /** Saves test-results/e2e/<name>.png and returns its path. */
  screenshot(name: string, target?: Locator): Promise<string>;
  close(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  /** Extension folder to load (default: this repository, built by scripts/run-e2e.mjs). */
  extensionDevelopmentPath?: string;
  viewport?: { width: number; height: number };
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** Fills the scratch workspace folder before the workbench opens it (e.g. the demo workspace). */
  prepareWorkspace?: (workspace: string) => void;
}

/** Starts code-server with a scratch profile and opens the workbench in headless Chromium. */
export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  // The session module is plain ESM shared with the .mjs drivers; this file is CommonJS.
  const session: typeof Session = await import('../../scripts/lib/code-server-session.mjs');
  const profile = session.createScratchProfile('mwb-e2e-');
  let server: Session.CodeServer | undefined;
  let chromium: Awaited<ReturnType<typeof Session.launchChromium>> | undefined;
  const close = async () => {
    await chromium?.browser.close().catch(() => undefined);
    await server?.stop();
    profile.dispose();
  };
  try {
    options.prepareWorkspace?.(profile.workspace);
    server = await session.startCodeServer(profile, { env: options.env ?? {} });
    chromium = await session.launchChromium(options.viewport ? { viewport: options.viewport } : {});
    const page = chromium.page;
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(
      session.workbenchUrl(server, {
        folder: profile.workspace,
        extensionDevelopmentPath: options.extensionDevelopmentPath ?? REPO_ROOT,
      }),
    );
    await waitForWorkbench(page);
    return makeWorkbench(page, profile.workspace, close);
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Waits until the workbench is laid out and this extension's contributions are registered
 * (its "Magento" activity-bar entry shows): before that, the command palette lacks its commands.
 */
async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.activitybar .action-item a.action-label[aria-label^="Magento"]').waitFor({ state: 'visible', timeout: 90_000 });
}

function makeWorkbench(page: Page, workspace: string, close: () => Promise<void>): Workbench {
  const quickInput = page.locator('.quick-input-widget');

  return {
    page,
    workspace,
    close,

    async runCommand(title) {
      await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
      await page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible' });
      const input = quickInput.locator('input');
      await input.fill(`>${title}`);
      // Pick the row whose label is exactly the title, not a fuzzy neighbour.
      const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(title) }) }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 10_000 });
      } catch {
        const shown = await quickInput.locator('.monaco-list-row .label-name').allInnerTexts();
        await page.keyboard.press('Escape');
        throw new Error(`command "${title}" is not in the command palette; it shows: ${shown.slice(0, 10).join(' | ') || 'nothing'}`);
      }
      await row.click();
      await quickInput.waitFor({ state: 'hidden' });
    },

    async openViewContainer(title) {
      const item = page.locator('.activitybar .action-item', { has: page.locator(`a.action-label[aria-label^="${cssString(title)}"]`) }).first();
      // Clicking the entry of the container already shown would hide the side bar.
      const alreadyShown = /\bchecked\b/.test((await item.getAttribute('class')) ?? '') && (await page.locator('.part.sidebar').isVisible());
      if (!alreadyShown) await item.locator('a.action-label').click();
      const sideBar = page.locator('.part.sidebar');
      await sideBar.locator('.composite.title .title-label', { hasText: new RegExp(escapeRegExp(title), 'i') }).waitFor({ state: 'visible' });
      return sideBar;
    },

    view(name) {
      return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${cssString(name)}"]`) }).first();
    },

    async webview(text, timeoutMs = UI_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const frame of page.frames()) {
          // The outer iframe (class "webview") hosts the inner "active-frame" with the content.
          const element = await frame.frameElement().catch(() => undefined);
          if (!element || (await element.getAttribute('id')) !== 'active-frame') continue;
          const found = await frame.locator('body', { hasText: text }).count().catch(() => 0);
          if (found > 0) return frame;
        }
        await page.waitForTimeout(250);
      }
      throw new Error(`no webview containing "${text}" appeared within ${timeoutMs / 1000}s`);
    },

    async screenshot(name, target) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await (target ?? page).screenshot({ path });
      return path;
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

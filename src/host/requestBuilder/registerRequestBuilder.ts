// Wires the request builder into VS Code: the "Open Request Builder" command (one panel per
// request), the serializer that restores panels after a reload, the file-backed schema cache
// and output folders under globalStorage, and history in globalState.
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type KeyValueStore } from '../../core/ports';
import { RequestHistory } from '../../core/history/requestHistory';
import { RequestBuilderService, type BuilderProfileSource, type SchemaStore } from '../../core/requestBuilder/requestBuilderService';
import { MagentoSchemaView } from '../../core/requestBuilder/magentoSchemaView';
import { draftFromRequest } from '../../core/requestBuilder/draftRequest';
import { requestDraftSchema, emptyDraft, type RequestDraft } from '../../protocol/requestBuilderProtocol';
import { type HostContext } from '../hostContext';
import { type ProfileService } from '../profiles/profileService';
import { ConfiguredProfileSource, ProfileServiceSource } from './builderProfiles';
import { REQUEST_BUILDER_VIEW_TYPE, RequestBuilderPanel, webviewOptions } from './requestBuilderPanel';

export const OPEN_REQUEST_BUILDER_COMMAND = 'magentoWorkbench.requestBuilder.open';
/** Convert's command, called with the built request when registered (see the convert issue). */
export const CONVERT_COMMANDS = ['magentoWorkbench.convert.toAsync'];

/** Returned by the open command so in-process tests can drive a panel through its message handler. */
export interface RequestBuilderPanelHandle {
  readonly panel: RequestBuilderPanel;
  /**
   * Replaces the profile source of every panel (tests point it at a sandbox store); dispose the
   * result to put the previous source back, or later panels keep seeing the test's profiles.
   */
  useProfileSource(source: BuilderProfileSource): vscode.Disposable;
}

class SwitchableProfileSource implements BuilderProfileSource {
  constructor(public current: BuilderProfileSource) {}
  list() { return this.current.list(); }
  transport(profileId: string) { return this.current.transport(profileId); }
}

function draftFromArgument(arg: unknown, logger: { warn(message: string): void }): RequestDraft | undefined {
  if (arg === undefined || arg === null || typeof arg !== 'object') return undefined;
  const raw = arg as { method?: unknown; url?: unknown; body?: unknown; profileId?: unknown };
  if (typeof raw.url === 'string') {
    try {
      return draftFromRequest({
        method: typeof raw.method === 'string' ? raw.method : 'GET',
        url: raw.url,
        ...(typeof raw.body === 'string' ? { body: raw.body } : {}),
        ...(typeof raw.profileId === 'string' ? { profileId: raw.profileId } : {}),
      });
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The request\'s searchCriteria cannot be read: {0}', (error as Error).message));
      return undefined;
    }
  }
  const parsed = requestDraftSchema.safeParse({ ...emptyDraft(), ...(arg as object) });
  if (!parsed.success) logger.warn(`open: ignoring an invalid draft argument: ${parsed.error.message}`);
  return parsed.success ? parsed.data : undefined;
}

function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function registerRequestBuilder(host: HostContext, profileService?: ProfileService): void {
  const context = host.extension;
  const logger = host.logger.child('requestBuilder');
  const storageRoot = context.globalStorageUri.fsPath;
  const schemaDir = join(storageRoot, 'requestBuilder', 'schemas');
  const outputDir = join(storageRoot, 'requestBuilder', 'responses');

  const fromService = profileService ? new ProfileServiceSource(profileService) : undefined;
  const profiles = new SwitchableProfileSource(fromService ?? host.register(new ConfiguredProfileSource({
    get: async (key) => context.secrets.get(key),
    store: async (key, value) => context.secrets.store(key, value),
    delete: async (key) => context.secrets.delete(key),
  }, logger)));

  const schemaStore: SchemaStore = {
    async read(profileId) {
      try {
        const text = await readFile(join(schemaDir, `${fileSafe(profileId)}.json`), 'utf8');
        return JSON.parse(text) as { json: unknown; fetchedAt: number; scope?: string };
      } catch {
        return undefined;
      }
    },
    async write(profileId, json, fetchedAt, scope) {
      await mkdir(schemaDir, { recursive: true });
      await writeFile(join(schemaDir, `${fileSafe(profileId)}.json`), JSON.stringify({ fetchedAt, scope, json }));
    },
  };
  let fileCounter = 0;
  const newOutputFile = (prefix: string, extension: string): string => {
    mkdirSync(outputDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return join(outputDir, `${prefix}-${stamp}-${fileCounter++}.${extension}`);
  };
  const globalState: KeyValueStore = { get: (key) => context.globalState.get(key), update: (key, value) => Promise.resolve(context.globalState.update(key, value)) };
  const history = new RequestHistory(globalState, systemClock);
  const largeBodyThreshold = vscode.workspace.getConfiguration('magentoWorkbench.requestBuilder').get<number>('largeBodyThresholdMB', 2);
  const service = new RequestBuilderService({
    profiles,
    schemaStore,
    parseSchema: (json) => MagentoSchemaView.parse(json),
    history,
    outputs: { largeBodyFile: (ext) => newOutputFile('response', ext), fetchAllFile: (ext) => newOutputFile('all-pages', ext) },
    clock: systemClock,
    logger,
    largeBodyThresholdBytes: Math.max(0.1, largeBodyThreshold) * 1024 * 1024,
  });

  const panels = new Set<RequestBuilderPanel>();
  const activeProfileId = (): string | undefined => {
    const configuredId = fromService?.activeProfileId() ?? vscode.workspace.getConfiguration('magentoWorkbench').get<string>('activeProfile');
    const list = profiles.list();
    return list.find((p) => p.id === configuredId)?.id ?? list[0]?.id;
  };
  const convertCommand = async (): Promise<string | undefined> => {
    const commands = await vscode.commands.getCommands(true);
    return CONVERT_COMMANDS.find((c) => commands.includes(c));
  };

  const attach = (webviewPanel: vscode.WebviewPanel, draft?: RequestDraft): RequestBuilderPanel => {
    const panel = new RequestBuilderPanel(webviewPanel, {
      extensionUri: context.extensionUri,
      service,
      history,
      logger,
      convertCommand,
      activeProfileId,
      openInNewPanel: (d) => open(d),
      onDidDispose: (p) => panels.delete(p),
    }, draft);
    panels.add(panel);
    return panel;
  };

  const open = (draft?: RequestDraft): RequestBuilderPanel => {
    const webviewPanel = vscode.window.createWebviewPanel(REQUEST_BUILDER_VIEW_TYPE, 'Request Builder', vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return attach(webviewPanel, draft);
  };

  host.registerCommand(OPEN_REQUEST_BUILDER_COMMAND, (arg?: unknown): RequestBuilderPanelHandle => {
    // From the palette without an argument; from a `.http` request (Convert) with either a raw
    // request `{ method, url, body? }` or a (partial) RequestDraft.
    const panel = open(draftFromArgument(arg, logger));
    return {
      panel,
      useProfileSource: (source) => {
        const previous = profiles.current;
        profiles.current = source;
        panel.refreshProfiles();
        return new vscode.Disposable(() => {
          if (profiles.current === source) profiles.current = previous;
        });
      },
    };
  });

  host.register(
    vscode.window.registerWebviewPanelSerializer(REQUEST_BUILDER_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        // The webview's own saved state holds the draft; anything unreadable restores an empty panel.
        const draft = requestDraftSchema.safeParse((state as { draft?: unknown } | undefined)?.draft);
        attach(webviewPanel, draft.success ? draft.data : undefined);
      },
    }),
  );
  host.register(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('magentoWorkbench.profiles') || event.affectsConfiguration('magentoWorkbench.activeProfile')) {
        for (const panel of panels) panel.refreshProfiles();
      }
    }),
  );
  if (profileService) host.register(profileService.onDidChangeProfiles(() => { for (const panel of panels) panel.refreshProfiles(); }));
  host.register({ dispose: () => { for (const panel of [...panels]) panel.dispose(); } });
}

// The active profile in the status bar; a click switches profiles. Production profiles are shown
// with a warning icon and the warning background, so nobody writes to production unawares.
import * as vscode from 'vscode';
import { type ProfileService } from './profileService';

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('magentoWorkbench.activeProfile', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ProfileService) {
    this.item.name = 'Magento profile';
    this.item.command = 'magentoWorkbench.profile.select';
    this.subscription = service.onDidChangeProfiles(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const profile = this.service.active();
    if (!profile) {
      this.item.text = '$(plug) Magento: no profile';
      this.item.tooltip = this.service.list().length === 0 ? 'Add a Magento integration profile' : 'Select the active Magento profile';
      this.item.backgroundColor = undefined;
      return;
    }
    this.item.text = profile.production ? `$(warning) ${profile.label} (production)` : `$(plug) ${profile.label}`;
    this.item.backgroundColor = profile.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${profile.label}**${profile.production ? ' — $(warning) production: writes ask for confirmation' : ''}\n\n`);
    tooltip.appendText(`${profile.baseUrl}/rest/${profile.storeCode}\n`);
    tooltip.appendText(`Auth: ${profile.auth.kind}${profile.auth.kind === 'admin' ? ` (${profile.auth.username})` : profile.auth.kind === 'customer' ? ` (${profile.auth.email})` : ''}\n`);
    if (!profile.tls.verify) tooltip.appendMarkdown('\n$(warning) TLS verification is off\n');
    tooltip.appendMarkdown('\nClick to switch profiles');
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

// The extension side of `npm run demo`: when the demo started this VS Code, the workspace's
// settings already hold the sandbox profile (non-secret fields) and MAGENTO_WORKBENCH_DEMO holds
// its password; this stores the password in SecretStorage and selects the profile, once, at
// activation. Why the environment and not a setting: settings files are shared and committed,
// SecretStorage is the only place a password may live, and the demo's process tree is the one
// channel from the script to the extension host that nothing writes to disk.
import * as vscode from 'vscode';
import { type HostContext } from '../hostContext';
import { type ProfileService } from '../profiles/profileService';
import { DEMO_ENV_VAR, grantRefusal, parseDemoGrant } from './demoEnvironment';

export function registerDemo(host: HostContext, profiles: ProfileService, env: NodeJS.ProcessEnv = process.env): void {
  let grant;
  try {
    grant = parseDemoGrant(env[DEMO_ENV_VAR]);
  } catch (error) {
    host.logger.warn((error as Error).message);
    return;
  }
  if (!grant) return;
  const profile = profiles.get(grant.profileId);
  const refusal = grantRefusal(grant, profile);
  if (refusal || !profile) {
    host.logger.warn(vscode.l10n.t('Demo profile not set up: {0}.', refusal ?? grant.profileId));
    return;
  }
  const password = grant.password;
  void profiles.save(profile, { password }, { activate: true }).then(
    () => host.logger.info(`demo: password of profile "${profile.id}" stored in SecretStorage`),
    (error: unknown) => host.logger.error(`demo: could not store the password of "${profile.id}": ${(error as Error).message}`),
  );
}

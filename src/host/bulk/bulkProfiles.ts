// How the bulk feature reaches stores: a MagentoTransport per profile id. The feature depends on
// this small port only; in the extension it is the profile service (src/host/profiles/), tests
// may pass their own.
import type * as vscode from 'vscode';
import { type MagentoTransport } from '../../core/http/types';
import { type ProfileService } from '../profiles/profileService';

export interface BulkProfileInfo {
  id: string;
  label: string;
  storeCode: string;
}

export interface BulkProfileAccess {
  /** The client for a profile (the active profile when omitted); throws a clear error when unknown. */
  getClient(profileId?: string): Promise<MagentoTransport>;
  /** The active profile, if one is configured. */
  activeProfile(): BulkProfileInfo | undefined;
  profiles(): BulkProfileInfo[];
  /** Fires when profiles change (labels in tooltips may change). */
  onDidChangeProfiles?: vscode.Event<unknown>;
}

export function profileServiceAccess(service: ProfileService): BulkProfileAccess {
  const info = (p: { id: string; label: string; storeCode: string }): BulkProfileInfo => ({ id: p.id, label: p.label, storeCode: p.storeCode });
  return {
    getClient: (profileId) => service.getClient(profileId),
    activeProfile: () => {
      const active = service.active();
      return active ? info(active) : undefined;
    },
    profiles: () => service.list().map(info),
    onDidChangeProfiles: service.onDidChangeProfiles,
  };
}

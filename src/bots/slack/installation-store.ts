// Bolt's InstallationStore over toxguard's SQLite file: one row per workspace (or per enterprise
// for an org-wide install), replaced on re-install. Tokens are stored as Slack returned them, like
// Bolt's own file store: protect the database file as you would the tokens.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationKey, Store } from '../../store/index.js';

export const PLATFORM = 'slack';

function keyOf(q: { isEnterpriseInstall?: boolean | undefined; enterpriseId?: string | undefined; teamId?: string | undefined }): InstallationKey {
  return { platform: PLATFORM, isEnterpriseInstall: q.isEnterpriseInstall === true, enterpriseId: q.enterpriseId, teamId: q.teamId };
}

export class SqliteInstallationStore implements InstallationStore {
  constructor(private readonly store: Store) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const key = keyOf({
      isEnterpriseInstall: installation.isEnterpriseInstall,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    await this.store.saveInstallation(key, installation, installation.user.id);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const row = await this.store.getInstallation(keyOf(query));
    if (!row) throw new Error(`toxguard is not installed in Slack ${query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `workspace ${query.teamId}`}`);
    return row.installation as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.deleteInstallation(keyOf(query));
  }
}

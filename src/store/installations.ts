// Platform app installations (Slack OAuth): one row per workspace, or per enterprise for an
// org-wide install. The installation document (tokens included) is stored as given; the adapter's
// InstallationStore decides its shape. Re-installing replaces the row and keeps created_at.
import { parseJson, toJson, type StoreContext } from './context.js';

export interface InstallationKey {
  platform: string;
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** An org-wide install is keyed by the enterprise, whatever team the event came from. */
  isEnterpriseInstall: boolean;
}

export interface InstallationRow {
  platform: string;
  installKey: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  installation: unknown;
  installedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  platform: string;
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise: number;
  installation_json: string;
  installed_by: string | null;
  created_at: string;
  updated_at: string;
}

/** 'enterprise:<id>' for an org-wide install, else 'team:<id>'. */
export function installKey(key: Omit<InstallationKey, 'platform'>): string {
  if (key.isEnterpriseInstall) {
    if (!key.enterpriseId) throw new Error('an enterprise install needs an enterprise id');
    return `enterprise:${key.enterpriseId}`;
  }
  if (!key.teamId) throw new Error('an installation needs a team id');
  return `team:${key.teamId}`;
}

export class InstallationsRepo {
  private readonly upsert;
  private readonly select;
  private readonly remove;

  constructor(private readonly ctx: StoreContext) {
    const { db } = ctx;
    this.upsert = db.prepare<[Omit<Row, 'updated_at'>], void>(
      `INSERT INTO installations (platform, install_key, team_id, enterprise_id, is_enterprise, installation_json, installed_by, created_at, updated_at)
       VALUES (@platform, @install_key, @team_id, @enterprise_id, @is_enterprise, @installation_json, @installed_by, @created_at, @created_at)
       ON CONFLICT (platform, install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
         is_enterprise = excluded.is_enterprise, installation_json = excluded.installation_json,
         installed_by = excluded.installed_by, updated_at = excluded.updated_at`,
    );
    this.select = db.prepare<[string, string], Row>('SELECT * FROM installations WHERE platform = ? AND install_key = ?');
    this.remove = db.prepare<[string, string], void>('DELETE FROM installations WHERE platform = ? AND install_key = ?');
  }

  save(key: InstallationKey, installation: unknown, installedBy: string | undefined): void {
    this.upsert.run({
      platform: key.platform,
      install_key: installKey(key),
      team_id: key.teamId ?? null,
      enterprise_id: key.enterpriseId ?? null,
      is_enterprise: key.isEnterpriseInstall ? 1 : 0,
      installation_json: toJson(installation),
      installed_by: installedBy ?? null,
      created_at: this.ctx.now(),
    });
  }

  get(key: InstallationKey): InstallationRow | undefined {
    const row = this.select.get(key.platform, installKey(key));
    return row ? toRecord(row) : undefined;
  }

  delete(key: InstallationKey): boolean {
    return this.remove.run(key.platform, installKey(key)).changes > 0;
  }
}

function toRecord(r: Row): InstallationRow {
  return {
    platform: r.platform,
    installKey: r.install_key,
    teamId: r.team_id,
    enterpriseId: r.enterprise_id,
    isEnterpriseInstall: r.is_enterprise === 1,
    installation: parseJson<unknown>(r.installation_json),
    installedBy: r.installed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

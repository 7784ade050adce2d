// Platform app installations (Slack OAuth): one row per workspace, or per enterprise for an
// org-wide install. The installation document (tokens included) is stored as given; the adapter's
// InstallationStore decides its shape. Re-installing replaces the row and keeps created_at.
import type { Selectable } from 'kysely';
import { affected, parseJson, toJson, type Q, type StoreContext } from './context.js';
import type { InstallationsTable } from './schema.js';

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
  constructor(private readonly ctx: StoreContext) {}

  async save(q: Q, key: InstallationKey, installation: unknown, installedBy: string | undefined): Promise<void> {
    const now = this.ctx.now();
    await q
      .insertInto('installations')
      .values({
        platform: key.platform,
        install_key: installKey(key),
        team_id: key.teamId ?? null,
        enterprise_id: key.enterpriseId ?? null,
        is_enterprise: key.isEnterpriseInstall ? 1 : 0,
        installation_json: toJson(installation),
        installed_by: installedBy ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['platform', 'install_key']).doUpdateSet((eb) => ({
          team_id: eb.ref('excluded.team_id'),
          enterprise_id: eb.ref('excluded.enterprise_id'),
          is_enterprise: eb.ref('excluded.is_enterprise'),
          installation_json: eb.ref('excluded.installation_json'),
          installed_by: eb.ref('excluded.installed_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async get(q: Q, key: InstallationKey): Promise<InstallationRow | undefined> {
    const row = await q.selectFrom('installations').selectAll().where('platform', '=', key.platform).where('install_key', '=', installKey(key)).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async delete(q: Q, key: InstallationKey): Promise<boolean> {
    return affected(await q.deleteFrom('installations').where('platform', '=', key.platform).where('install_key', '=', installKey(key)).executeTakeFirst()) > 0;
  }
}

function toRecord(r: Selectable<InstallationsTable>): InstallationRow {
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

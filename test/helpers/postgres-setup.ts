// vitest globalSetup: one throwaway PostgreSQL cluster for the whole run, its URL handed to the test
// files (inject('pgAdminUrl')). Without PostgreSQL binaries the PostgreSQL tests skip with the reason
// (inject('pgMissing')); under CI=true that is an error instead: CI must run them.
import type { TestProject } from 'vitest/node';
import { findPostgres, startCluster, type PgCluster } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgMissing: string;
  }
}

let cluster: PgCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const found = findPostgres();
  if ('missing' in found) {
    if (process.env.CI === 'true') throw new Error(`CI: the PostgreSQL tests cannot run: ${found.missing}`);
    console.warn(`\n[toxguard] PostgreSQL tests will be SKIPPED: ${found.missing}\n`);
    project.provide('pgAdminUrl', '');
    project.provide('pgMissing', found.missing);
    return;
  }
  cluster = await startCluster(found);
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgMissing', '');
}

export function teardown(): void {
  cluster?.stop();
  cluster = undefined;
}

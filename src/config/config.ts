// toxguard's configuration: a JSON file (optional) overlaid by environment variables, validated at
// start. Unknown keys are errors that name the key. Secrets (tokens) come only from the environment
// or a secrets file, never from the config file, and are never logged.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DiscordConfigSchema } from '../bots/discord/config.js';
import { SlackConfigSchema } from '../bots/slack/config.js';
import { RedditConfigSchema } from '../bots/reddit/config.js';
import { DashboardConfigSchema } from '../dashboard/config.js';
import { OcrConfigSchema } from '../ocr/config.js';
import { MonitoringConfigSchema } from '../monitoring/config.js';

const ConfigSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** Largest request body in bytes. */
      bodyLimit: z.number().int().positive().default(2 * 1024 * 1024),
      /** Most texts in one /predict call. */
      maxBatch: z.number().int().positive().default(256),
    })
    .prefault({}),
  database: z
    .strictObject({
      path: z.string().default('data/toxguard.sqlite'),
      /**
       * PostgreSQL instead of the SQLite file: a postgres:// URL (env DATABASE_URL). Several toxguard
       * processes on several machines can share it. Unset: SQLite at `path`.
       */
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\//i, 'database.url must be a postgres:// or postgresql:// URL')
        .optional(),
      /** Keep the full message text, or only an excerpt and a hash. */
      storeText: z.enum(['full', 'excerpt']).default('full'),
      /** `toxguard db prune` deletes what is older than this. */
      retentionDays: z.number().int().positive().default(90),
    })
    .prefault({}),
  /** Model spec: a name under models/, a folder, hf:<dir>, or a+b. */
  model: z.string().default('builtin'),
  pipeline: z
    .strictObject({
      concurrency: z.number().int().positive().default(8),
      /** Messages waiting beyond this make submitters wait (backpressure). */
      queueLimit: z.number().int().positive().default(1000),
      /** Per-message time limit (OCR and scoring). */
      timeoutMs: z.number().int().positive().default(15_000),
      /** Micro-batching into the classifier. */
      batchSize: z.number().int().positive().default(64),
      /** 0 = batch what arrives in the same tick. */
      batchWaitMs: z.number().min(0).default(0),
    })
    .prefault({}),
  ocr: OcrConfigSchema,
  /** Each adapter owns its section's schema, next to its code. */
  discord: DiscordConfigSchema,
  slack: SlackConfigSchema,
  reddit: RedditConfigSchema,
  /** Model drift monitoring (src/monitoring). */
  monitoring: MonitoringConfigSchema,
  /** The moderator web dashboard (src/dashboard). */
  dashboard: DashboardConfigSchema,
});

export type Config = z.infer<typeof ConfigSchema>;

/** Secrets: read from the environment (or TOXGUARD_SECRETS_FILE, a JSON object of the same names). */
export interface Secrets {
  apiToken?: string;
  discordToken?: string;
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  slackAdminToken?: string;
  /** Slack OAuth (multi-workspace install): all three set turns OAuth install on. */
  slackClientId?: string;
  slackClientSecret?: string;
  slackStateSecret?: string;
  /** Logs moderators into the web dashboard. */
  dashboardPassword?: string;
  /** Reddit OAuth app ("script" type): the id and secret, and either the moderator account's password or a refresh token. */
  redditClientId?: string;
  redditClientSecret?: string;
  redditUsername?: string;
  redditPassword?: string;
  redditRefreshToken?: string;
}

const SECRET_ENV: Record<keyof Secrets, string> = {
  apiToken: 'TOXGUARD_API_TOKEN',
  discordToken: 'DISCORD_TOKEN',
  slackBotToken: 'SLACK_BOT_TOKEN',
  slackSigningSecret: 'SLACK_SIGNING_SECRET',
  slackAppToken: 'SLACK_APP_TOKEN',
  slackAdminToken: 'SLACK_ADMIN_TOKEN',
  slackClientId: 'SLACK_CLIENT_ID',
  slackClientSecret: 'SLACK_CLIENT_SECRET',
  slackStateSecret: 'SLACK_STATE_SECRET',
  dashboardPassword: 'TOXGUARD_DASHBOARD_PASSWORD',
  redditClientId: 'REDDIT_CLIENT_ID',
  redditClientSecret: 'REDDIT_CLIENT_SECRET',
  redditUsername: 'REDDIT_USERNAME',
  redditPassword: 'REDDIT_PASSWORD',
  redditRefreshToken: 'REDDIT_REFRESH_TOKEN',
};

/** Environment variables that override config keys. */
const ENV_KEYS: Record<string, { path: string[]; type: 'string' | 'number' }> = {
  HOST: { path: ['server', 'host'], type: 'string' },
  PORT: { path: ['server', 'port'], type: 'number' },
  TOXGUARD_DB: { path: ['database', 'path'], type: 'string' },
  DATABASE_URL: { path: ['database', 'url'], type: 'string' },
  TOXGUARD_MODEL: { path: ['model'], type: 'string' },
  DISCORD_API_URL: { path: ['discord', 'apiUrl'], type: 'string' },
  SLACK_API_URL: { path: ['slack', 'apiUrl'], type: 'string' },
  REDDIT_API_URL: { path: ['reddit', 'apiUrl'], type: 'string' },
  REDDIT_AUTH_URL: { path: ['reddit', 'authUrl'], type: 'string' },
};

export class ConfigError extends Error {}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Keys earlier versions accepted, and why they are gone: named in the unknown-key error. */
const REMOVED_KEYS: Record<string, string> = {
  'discord.alertSummaryEveryMs': 'the summary of alerts held back by alerts.maxPerMinute is the alert-summary outbox action, posted at the end of their minute',
};

/**
 * Loads the config file (explicit path, TOXGUARD_CONFIG, or ./toxguard.config.json when present),
 * applies environment overrides, and validates. Errors name the file and the bad key.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = options.env ?? process.env;
  const explicit = options.file ?? env.TOXGUARD_CONFIG;
  const file = explicit ? resolve(explicit) : resolve('toxguard.config.json');
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
  } else if (explicit) {
    throw new ConfigError(`config file not found: ${file}`);
  }
  for (const [name, { path, type }] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = type === 'number' ? Number(value) : value;
    if (type === 'number' && !Number.isFinite(parsed)) throw new ConfigError(`environment variable ${name} must be a number (got "${value}")`);
    setPath(raw, path, parsed);
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const at = i.path.join('.');
      if (i.code === 'unrecognized_keys') {
        return i.keys
          .map((k) => (at ? `${at}.${k}` : k))
          .map((k) => (REMOVED_KEYS[k] ? `unknown key ${k} (removed: ${REMOVED_KEYS[k]}; delete it from the file)` : `unknown key ${k}`))
          .join(', ');
      }
      return `${at || '(root)'}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration${existsSync(file) ? ` in ${file}` : ''}: ${problems.join('; ')}`);
  }
  return result.data;
}

export function loadSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  let fromFile: Record<string, unknown> = {};
  if (env.TOXGUARD_SECRETS_FILE) {
    try {
      fromFile = JSON.parse(readFileSync(env.TOXGUARD_SECRETS_FILE, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`secrets file ${env.TOXGUARD_SECRETS_FILE} could not be read as JSON: ${(err as Error).message}`);
    }
  }
  const secrets: Secrets = {};
  for (const [key, name] of Object.entries(SECRET_ENV) as [keyof Secrets, string][]) {
    const value = env[name] ?? fromFile[name];
    if (typeof value === 'string' && value !== '') secrets[key] = value;
  }
  return secrets;
}

/** Pino redaction paths: secrets never reach the logs even if an object holding them is logged. */
export const REDACT_PATHS = [
  ...Object.keys(SECRET_ENV).map((k) => `*.${k}`),
  '*.token',
  '*.authorization',
  // A PostgreSQL URL may carry a password: an object holding database.url is logged without it.
  'database.url',
  '*.database.url',
  'req.headers.authorization',
  'headers.authorization',
];

/**
 * Where the store lives: an explicit `--db` (a SQLite path or a postgres:// URL), else `database.url`
 * (PostgreSQL, env DATABASE_URL), else the SQLite file `database.path` (resolved).
 */
export function databaseTarget(config: Config, override?: string): string {
  const target = override ?? config.database.url ?? config.database.path;
  return /^postgres(ql)?:\/\//i.test(target) ? target : resolve(target);
}

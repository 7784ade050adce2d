import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadSecrets } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'toxguard-config-'));
const write = (name: string, body: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};

describe('configuration', () => {
  it('works with no file at all (defaults: loopback API, embedded SQLite, built-in model)', () => {
    const config = loadConfig({ env: {} });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.database.path).toBe('data/toxguard.sqlite');
    expect(config.model).toBe('builtin');
  });

  it('names unknown keys, wrong types and the file', () => {
    const file = write('bad.json', { server: { prot: 80 }, databse: {} });
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown key server\.prot/);
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown key databse/);
    expect(() => loadConfig({ file, env: {} })).toThrow(/bad\.json/);
    const typed = write('typed.json', { server: { port: 'eighty' } });
    expect(() => loadConfig({ file: typed, env: {} })).toThrow(/server\.port/);
    expect(() => loadConfig({ file: write('broken.json', '{"server": '), env: {} })).toThrow(/not valid JSON/);
  });

  it('says why a removed key is unknown: discord.alertSummaryEveryMs (summaries are outbox actions now)', () => {
    const file = write('old.json', { discord: { alertSummaryEveryMs: 10_000 } });
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown key discord\.alertSummaryEveryMs \(removed: the summary of alerts held back .* alert-summary outbox action.*delete it from the file\)/);
  });

  it('lets the environment override the file', () => {
    const file = write('ok.json', { server: { port: 9000 }, database: { storeText: 'excerpt' } });
    const config = loadConfig({ file, env: { PORT: '9100', DISCORD_API_URL: 'http://127.0.0.1:5555/api' } });
    expect(config.server.port).toBe(9100);
    expect(config.database.storeText).toBe('excerpt');
    expect(config.discord.apiUrl).toBe('http://127.0.0.1:5555/api');
    expect(() => loadConfig({ file, env: { PORT: 'x' } })).toThrow(/PORT must be a number/);
  });

  it('reads secrets from the environment or a secrets file, never from the config', () => {
    const secretsFile = write('secrets.json', { DISCORD_TOKEN: 'from-file', SLACK_BOT_TOKEN: 'xoxb-file' });
    const secrets = loadSecrets({ TOXGUARD_SECRETS_FILE: secretsFile, DISCORD_TOKEN: 'from-env' });
    expect(secrets).toEqual({ discordToken: 'from-env', slackBotToken: 'xoxb-file' });
    expect(() => loadConfig({ file: write('token.json', { discord: { token: 'x' } }), env: {} })).toThrow(/unknown key discord\.token/);
  });
});

// The app manifest in the repo matches what the code asks for and listens on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHORTCUT_CHECK } from '../../../src/bots/slack/blocks.js';
import { BOT_SCOPES, SlackConfigSchema } from '../../../src/bots/slack/config.js';
import { COMMAND } from '../../../src/bots/slack/listeners/commands/index.js';

const manifest = readFileSync(new URL('../../../src/bots/slack/manifest.yaml', import.meta.url), 'utf8');

function listUnder(key: string): { item: string; comment: string }[] {
  const block = new RegExp(`^(\\s*)${key}:\\n((?:\\1\\s+.*\\n)+)`, 'm').exec(manifest)?.[2] ?? '';
  return [...block.matchAll(/^\s*-\s*([\w:.]+)\s*(?:#\s*(.*))?$/gm)].map((m) => ({ item: m[1] ?? '', comment: m[2] ?? '' }));
}

describe('Slack app manifest', () => {
  it('asks for exactly the bot scopes the OAuth install requests, each with a reason', () => {
    const scopes = listUnder('bot');
    expect(scopes.map((s) => s.item).sort()).toEqual([...BOT_SCOPES].sort());
    for (const s of scopes) expect(s.comment.length, `scope ${s.item} needs a comment saying why`).toBeGreaterThan(10);
  });

  it('points the command, shortcut, events and interactivity at what the app registers', () => {
    const eventsPath = SlackConfigSchema.parse({}).eventsPath;
    expect(manifest).toContain(`- command: ${COMMAND}`);
    expect(manifest).toContain(`callback_id: ${SHORTCUT_CHECK}`);
    const urls = [...manifest.matchAll(/(?:request_url|url): (https:\/\/YOUR-HOST\S*)/g)].map((m) => new URL(m[1] ?? '').pathname);
    expect(urls).toEqual([eventsPath, eventsPath, eventsPath]);
    expect(listUnder('bot_events').map((e) => e.item)).toEqual(['message.channels', 'message.groups', 'app_uninstalled', 'tokens_revoked']);
  });
});

// The pure part of the adapter: which Slack events are moderated, and how they map onto the one
// message shape (threads, edits, files with the download header, Slack's text escaping).
import { describe, expect, it } from 'vitest';
import { decodeEntities, messageRef, permalink, toIncomingMessage, tsToIso, unescapeMentions, type SlackMessageEvent } from '../../../src/bots/slack/to-message.js';

const self = { botId: 'B0BOT', botUserId: 'U0BOT' };
const member = { id: 'U1', isBot: false, isModerator: false };

function convert(event: SlackMessageEvent) {
  const ref = messageRef(event, self);
  if (!ref) return undefined;
  return toIncomingMessage({ ref, event, teamId: 'T1', author: member, botToken: 'xoxb-1', teamUrl: 'https://acme.slack.com/' });
}

describe('Slack events -> IncomingMessage', () => {
  it('maps a thread reply with a file and escaped text', () => {
    const m = convert({
      type: 'message',
      subtype: 'file_share',
      channel: 'C1',
      user: 'U1',
      text: 'a &lt;b&gt; &amp; c',
      ts: '1700000000.000200',
      thread_ts: '1700000000.000100',
      files: [{ id: 'F1', name: 'x.png', mimetype: 'image/png', size: 10, url_private: 'https://files.slack.com/x.png' }, { id: 'F2', mode: 'tombstone' }],
    });
    expect(m).toMatchObject({
      platform: 'slack',
      serverId: 'T1',
      channelId: 'C1',
      threadId: '1700000000.000100',
      messageId: '1700000000.000200',
      text: 'a <b> & c',
      kind: 'new',
      sentAt: '2023-11-14T22:13:20.000Z',
      link: 'https://acme.slack.com/archives/C1/p1700000000000200?thread_ts=1700000000.000100&cid=C1',
    });
    expect(m?.attachments).toEqual([{ url: 'https://files.slack.com/x.png', name: 'x.png', contentType: 'image/png', size: 10, headers: { Authorization: 'Bearer xoxb-1' } }]);
  });

  it('maps an edit onto the original message with kind edit', () => {
    const m = convert({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C1',
      ts: '1700000100.000000',
      message: { type: 'message', user: 'U1', text: 'new words', ts: '1700000000.000200', edited: { user: 'U1', ts: '1700000050.000000' } },
    });
    expect(m).toMatchObject({ messageId: '1700000000.000200', kind: 'edit', text: 'new words', editedAt: tsToIso('1700000050.000000') });
  });

  it("skips joins, deletions, other bots' posts, and the app's own messages and edits", () => {
    expect(convert({ type: 'message', subtype: 'channel_join', channel: 'C1', user: 'U1', ts: '1.0' })).toBeUndefined();
    expect(convert({ type: 'message', subtype: 'message_deleted', channel: 'C1', ts: '1.0' })).toBeUndefined();
    expect(convert({ type: 'message', channel: 'C1', user: 'U0BOT', text: 'x', ts: '1.0' })).toBeUndefined();
    expect(convert({ type: 'message', subtype: 'message_changed', channel: 'C1', ts: '2.0', message: { bot_id: 'B0BOT', text: 'x', ts: '1.0' } })).toBeUndefined();
    expect(convert({ type: 'message', subtype: 'bot_message', channel: 'C1', bot_id: 'B0OTHER', text: 'x', ts: '1.0' })).toBeUndefined();
  });

  it('turns escaped mentions in command text into ids', () => {
    expect(unescapeMentions('alerts.channelId <#C0MODS|mods>')).toBe('alerts.channelId C0MODS');
    expect(unescapeMentions('exemptions.userIds +<@U1|ann> -<@U2>')).toBe('exemptions.userIds +U1 -U2');
    expect(unescapeMentions('<!subteam^S123|@mods>')).toBe('S123');
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(permalink(undefined, 'C1', '1.2')).toBeUndefined();
  });
});

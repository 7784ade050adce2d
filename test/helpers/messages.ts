import type { IncomingMessage } from '../../src/core/message.js';

let next = 1;

/** A message in the one shape adapters produce; override what the test cares about. */
export function message(overrides: Partial<IncomingMessage> & { text: string }): IncomingMessage {
  const id = String(next++);
  return {
    platform: 'discord',
    serverId: 'g1',
    channelId: 'c1',
    messageId: `m${id}`,
    author: { id: 'u1', roleIds: [], isModerator: false, isBot: false },
    attachments: [],
    kind: 'new',
    sentAt: new Date(Date.UTC(2026, 0, 1, 0, 0, next)).toISOString(),
    ...overrides,
  };
}

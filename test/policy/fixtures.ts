import { LABELS } from '../../src/classifier/labels.js';
import type { Scores } from '../../src/classifier/labels.js';
import type { Author, IncomingMessage } from '../../src/core/message.js';
import { defaultPolicy } from '../../src/policy/schema.js';
import type { ServerPolicy } from '../../src/policy/schema.js';

/** A model's calibrated thresholds; identity_hate is above both default floors on purpose. */
export const MODEL_THRESHOLDS: Scores = {
  toxic: 0.5,
  severe_toxic: 0.3,
  obscene: 0.6,
  threat: 0.4,
  insult: 0.55,
  identity_hate: 0.92,
};

export function scores(over: Partial<Scores> = {}): Scores {
  const s = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as Scores;
  return { ...s, ...over };
}

export function message(over: Partial<IncomingMessage> = {}, author: Partial<Author> = {}): IncomingMessage {
  return {
    platform: 'discord',
    serverId: 'S1',
    channelId: 'C1',
    messageId: 'M1',
    author: { id: 'U1', roleIds: [], isModerator: false, isBot: false, ...author },
    text: 'hello',
    attachments: [],
    kind: 'new',
    sentAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

/** The default policy switched to active mode. */
export function activePolicy(mutate: (p: ServerPolicy) => void = () => {}): ServerPolicy {
  const p = defaultPolicy(MODEL_THRESHOLDS);
  p.mode = 'active';
  mutate(p);
  return p;
}

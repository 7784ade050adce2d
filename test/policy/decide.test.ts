import { describe, expect, it } from 'vitest';

import { decide, effectivePolicy } from '../../src/policy/decide.js';
import type { DecideInput } from '../../src/policy/decide.js';
import { defaultPolicy } from '../../src/policy/schema.js';
import { MODEL_THRESHOLDS, activePolicy, message, scores } from './fixtures.js';

function run(over: Partial<DecideInput> = {}) {
  return decide({ policy: activePolicy(), message: message(), scores: scores(), strikesInWindow: 0, ...over });
}

describe('thresholds', () => {
  it('triggers at the threshold exactly and above, not just below', () => {
    // flag insult threshold is 0.55
    const at = run({ scores: scores({ insult: 0.55 }) });
    expect(at.actions).toEqual(['flag']);
    expect(at.triggered).toEqual([{ action: 'flag', labels: [{ label: 'insult', score: 0.55, threshold: 0.55 }] }]);

    const below = run({ scores: scores({ insult: 0.5499 }) });
    expect(below.actions).toEqual([]);
    expect(below.triggered).toEqual([]);
    expect(below.strike).toBe(false);
  });

  it('soft actions are a set: flag and alert together, alert is a strike while delete is off', () => {
    const d = run({ scores: scores({ toxic: 0.8, insult: 0.72 }) });
    expect(d.actions).toEqual(['flag', 'alert']);
    expect(d.triggered.map((t) => t.action)).toEqual(['flag', 'alert']);
    expect(d.triggered[1]?.labels.map((l) => l.label)).toEqual(['toxic', 'insult']);
    expect(d.strike).toBe(true);
    expect(d.logOnly).toBe(false);
    expect(d.exempt).toBeUndefined();
  });

  it('a disabled action never triggers', () => {
    const d = run({ scores: scores({ toxic: 0.99 }) });
    expect(d.actions).toEqual(['flag', 'alert']); // delete is disabled by default
    expect(d.triggered.some((t) => t.action === 'delete')).toBe(false);
  });

  it('a NaN score triggers nothing', () => {
    expect(run({ scores: scores({ toxic: Number.NaN }) }).actions).toEqual([]);
  });
});

describe('delete and strikes', () => {
  it('delete implies alert even when alert is disabled', () => {
    const policy = activePolicy((p) => {
      p.actions.delete.enabled = true;
      p.actions.alert.enabled = false;
      p.actions.flag.enabled = false;
    });
    const d = run({ policy, scores: scores({ threat: 0.93 }) });
    expect(d.actions).toEqual(['alert', 'delete']);
    expect(d.triggered.map((t) => t.action)).toEqual(['delete']);
    expect(d.strike).toBe(true);
  });

  it('with delete on, an alert alone is not a strike', () => {
    const policy = activePolicy((p) => {
      p.actions.delete.enabled = true;
    });
    const d = run({ policy, scores: scores({ threat: 0.8 }) });
    expect(d.actions).toEqual(['flag', 'alert']);
    expect(d.strike).toBe(false);
  });
});

describe('escalation', () => {
  const policy = activePolicy((p) => {
    p.actions.delete.enabled = true;
    p.escalation = { enabled: true, strikes: 3, windowMinutes: 60, timeoutMinutes: 15 };
  });
  const bad = scores({ toxic: 0.95 });

  it('times out when earlier strikes plus this one reach N', () => {
    const d = run({ policy, scores: bad, strikesInWindow: 2 });
    expect(d.actions).toEqual(['flag', 'alert', 'delete', 'timeout']);
    expect(d.timeoutMinutes).toBe(15);
    expect(d.escalation).toEqual({ strikes: 3, limit: 3, windowMinutes: 60 });
  });

  it('does not time out below N', () => {
    const d = run({ policy, scores: bad, strikesInWindow: 1 });
    expect(d.actions).toEqual(['flag', 'alert', 'delete']);
    expect(d.strike).toBe(true);
    expect(d.timeoutMinutes).toBeUndefined();
  });

  it('does not time out for a message that is not a strike, however many strikes', () => {
    const d = run({ policy, scores: scores({ insult: 0.6 }), strikesInWindow: 10 });
    expect(d.actions).toEqual(['flag']);
  });

  it('does nothing when escalation is disabled', () => {
    const off = activePolicy((p) => {
      p.actions.delete.enabled = true;
    });
    expect(run({ policy: off, scores: bad, strikesInWindow: 5 }).actions).toEqual(['flag', 'alert', 'delete']);
  });

  it("the timeout action's own thresholds time out (and alert)", () => {
    const p = activePolicy((q) => {
      q.actions.flag.enabled = false;
      q.actions.alert.enabled = false;
      q.actions.timeout = { enabled: true, thresholds: { threat: 0.97 } };
    });
    const d = run({ policy: p, scores: scores({ threat: 0.98 }) });
    expect(d.actions).toEqual(['alert', 'timeout']);
    expect(d.timeoutMinutes).toBe(10);
    expect(d.escalation).toBeUndefined();
  });
});

describe('log-only', () => {
  it('the default policy reports what would trigger but acts not', () => {
    const d = run({ policy: defaultPolicy(MODEL_THRESHOLDS), scores: scores({ toxic: 0.95 }), strikesInWindow: 99 });
    expect(d.logOnly).toBe(true);
    expect(d.triggered.map((t) => t.action)).toEqual(['flag', 'alert']);
    expect(d.actions).toEqual([]);
    expect(d.wouldAct).toEqual(['flag', 'alert']);
    expect(d.strike).toBe(false);
  });

  it('says what would have been done, with the alert a delete implies', () => {
    const p = defaultPolicy(MODEL_THRESHOLDS);
    p.actions.delete.enabled = true;
    p.actions.alert.enabled = false;
    const d = run({ policy: p, scores: scores({ toxic: 0.99 }) });
    expect(d).toMatchObject({ logOnly: true, actions: [], wouldAct: ['flag', 'alert', 'delete'] });
    expect(run({ policy: p, scores: scores({}) }).wouldAct).toEqual([]);
  });

  it('a channel override can make one channel log-only, or one channel active', () => {
    const p = activePolicy((q) => {
      q.channels = { C1: { mode: 'log-only' } };
    });
    const d = run({ policy: p, scores: scores({ toxic: 0.95 }) });
    expect(d.logOnly).toBe(true);
    expect(d.actions).toEqual([]);
    expect(d.triggered.length).toBe(2);

    const q = defaultPolicy(MODEL_THRESHOLDS);
    q.channels = { C1: { mode: 'active' } };
    expect(run({ policy: q, scores: scores({ toxic: 0.95 }) }).actions).toEqual(['flag', 'alert']);
    expect(run({ policy: q, message: message({ channelId: 'C2' }), scores: scores({ toxic: 0.95 }) }).actions).toEqual([]);
  });
});

describe('exemptions', () => {
  const toxic = scores({ toxic: 0.99, threat: 0.99 });

  it('moderators are always exempt, even when the config lists nothing', () => {
    const d = run({ scores: toxic, message: message({}, { isModerator: true }), strikesInWindow: 10 });
    expect(d).toEqual({ exempt: 'moderator', logOnly: false, triggered: [], actions: [], strike: false });
  });

  it('bots are exempt', () => {
    expect(run({ scores: toxic, message: message({}, { isBot: true }) }).exempt).toBe('bot');
  });

  it('listed users, roles and channels are exempt, with the reason', () => {
    const p = activePolicy((q) => {
      q.exemptions = { userIds: ['U7'], roleIds: ['R1'], channelIds: ['C5'] };
    });
    const user = run({ policy: p, scores: toxic, message: message({}, { id: 'U7' }) });
    expect(user.exempt).toBe('user:U7');
    expect(user.actions).toEqual([]);
    expect(run({ policy: p, scores: toxic, message: message({}, { roleIds: ['R0', 'R1'] }) }).exempt).toBe('role:R1');
    expect(run({ policy: p, scores: toxic, message: message({ channelId: 'C5' }) }).exempt).toBe('channel:C5');
    // A thread in an exempt channel is exempt too.
    expect(run({ policy: p, scores: toxic, message: message({ channelId: 'T1', parentChannelId: 'C5' }) }).exempt).toBe(
      'channel:C5',
    );
    // Someone else elsewhere is not.
    const other = run({ policy: p, scores: toxic, message: message({}, { roleIds: ['R0'] }) });
    expect(other.exempt).toBeUndefined();
    expect(other.actions).toEqual(['flag', 'alert']);
  });

  it('a channel override with exempt: true exempts the channel and its threads', () => {
    const p = activePolicy((q) => {
      q.channels = { C8: { exempt: true } };
    });
    expect(run({ policy: p, scores: toxic, message: message({ channelId: 'C8' }) }).exempt).toBe('channel:C8');
    expect(run({ policy: p, scores: toxic, message: message({ channelId: 'T2', parentChannelId: 'C8' }) }).exempt).toBe(
      'channel:C8',
    );
  });
});

describe('channel and thread overrides', () => {
  const p = activePolicy((q) => {
    q.channels = {
      C2: { actions: { delete: { enabled: true }, flag: { thresholds: { insult: 0.9 } } } },
      T3: { actions: { delete: { enabled: false } } },
    };
  });

  it('a channel override is deep-merged over the server policy', () => {
    const eff = effectivePolicy(p, message({ channelId: 'C2' }));
    expect(eff.overrideId).toBe('C2');
    expect(eff.actions.delete.enabled).toBe(true);
    expect(eff.actions.delete.thresholds.toxic).toBe(0.9); // kept from the server policy
    expect(eff.actions.flag.thresholds.insult).toBe(0.9); // overridden
    expect(eff.actions.flag.thresholds.toxic).toBe(0.5); // kept
    // The server policy itself is not changed.
    expect(p.actions.delete.enabled).toBe(false);

    const d = run({ policy: p, message: message({ channelId: 'C2' }), scores: scores({ toxic: 0.95, insult: 0.6 }) });
    expect(d.actions).toEqual(['flag', 'alert', 'delete']);
    expect(d.triggered[0]?.labels.map((l) => l.label)).toEqual(['toxic']); // insult 0.6 < 0.9 here
  });

  it('a thread uses its parent channel override when it has none of its own', () => {
    const d = run({
      policy: p,
      message: message({ channelId: 'T9', parentChannelId: 'C2' }),
      scores: scores({ toxic: 0.95 }),
    });
    expect(d.actions).toEqual(['flag', 'alert', 'delete']);
  });

  it("a thread's own override wins over its parent's", () => {
    const d = run({
      policy: p,
      message: message({ channelId: 'T3', parentChannelId: 'C2' }),
      scores: scores({ toxic: 0.95 }),
    });
    expect(effectivePolicy(p, message({ channelId: 'T3', parentChannelId: 'C2' })).overrideId).toBe('T3');
    expect(d.actions).toEqual(['flag', 'alert']);
  });

  it('scanImages can be turned off per channel', () => {
    const q = activePolicy((x) => {
      x.channels = { C4: { scanImages: false } };
    });
    expect(effectivePolicy(q, message({ channelId: 'C4' })).scanImages).toBe(false);
    expect(effectivePolicy(q, message({ channelId: 'C1' })).scanImages).toBe(true);
  });
});

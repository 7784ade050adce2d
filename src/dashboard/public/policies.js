/* global document */
// Policies: a server's mode, per-action thresholds, exemptions and channel overrides, edited as
// key changes sent to the server in one request (validated there by the policy schema and stored
// with one audit entry), and the audit trail of every change from any source.
import { api, clear, el, fmtTime, initServerPicker, LABELS, markReady, setStatus } from './common.js';

const ACTIONS = ['flag', 'alert', 'delete', 'timeout'];
let server = '';
let policy = null;
let removedOverrides = new Set();

function ids(list) {
  return list.join(', ');
}

function parseIds(text) {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function renderThresholds(p, modelThresholds) {
  const table = document.getElementById('thresholds');
  clear(table.tHead).append(el('tr', {}, el('th', {}, 'Action'), el('th', {}, 'On'), LABELS.map((l) => el('th', { title: `model threshold ${modelThresholds[l]}` }, l))));
  const body = clear(table.tBodies[0]);
  for (const a of ACTIONS) {
    const cfg = p.actions[a];
    body.append(
      el(
        'tr',
        {},
        el('th', {}, a),
        el('td', {}, el('input', { type: 'checkbox', name: `actions.${a}.enabled`, checked: cfg.enabled, 'aria-label': `${a} enabled` })),
        LABELS.map((l) =>
          el(
            'td',
            {},
            el('input', {
              type: 'number',
              min: 0,
              max: 1,
              step: 0.001,
              name: `actions.${a}.thresholds.${l}`,
              value: cfg.thresholds[l] ?? '',
              placeholder: 'never',
              'aria-label': `${a} threshold for ${l}`,
            }),
          ),
        ),
      ),
    );
  }
}

function renderOverrides(p) {
  const body = clear(document.querySelector('#overrides tbody'));
  const entries = Object.entries(p.channels);
  if (!entries.length) body.append(el('tr', {}, el('td', { colspan: 3, class: 'hint' }, 'None. Add one with a key such as channels.<channel id>.mode = log-only.')));
  for (const [channel, override] of entries) {
    const row = el(
      'tr',
      {},
      el('td', {}, channel),
      el('td', {}, el('code', {}, JSON.stringify(override))),
      el(
        'td',
        {},
        el(
          'button',
          {
            type: 'button',
            onclick: (e) => {
              removedOverrides.add(channel);
              e.target.closest('tr').classList.add('removed');
              e.target.disabled = true;
              showChanges();
            },
          },
          'Remove',
        ),
      ),
    );
    body.append(row);
  }
}

function renderAudit(audit) {
  const body = clear(document.querySelector('#audit tbody'));
  if (!audit.length) body.append(el('tr', {}, el('td', { colspan: 4, class: 'hint' }, 'No changes yet: the server runs on the defaults.')));
  for (const a of audit) {
    body.append(
      el(
        'tr',
        { dataset: { auditId: a.id } },
        el('td', {}, fmtTime(a.at)),
        el('td', {}, a.actor),
        el('td', {}, a.source),
        el(
          'td',
          {},
          el(
            'ul',
            { class: 'changes' },
            a.fromDefaults ? el('li', { class: 'hint' }, 'first change from the defaults:') : null,
            a.changes.length ? null : el('li', { class: 'hint' }, 'no change'),
            a.changes.slice(0, 30).map((c) => el('li', {}, el('code', {}, c.path), ': ', JSON.stringify(c.before), ' → ', JSON.stringify(c.after))),
            a.changes.length > 30 ? el('li', { class: 'hint' }, `… ${a.changes.length - 30} more`) : null,
          ),
        ),
      ),
    );
  }
}

/** The form's differences from the loaded policy, as {key path: value} for the API. */
function changes() {
  const set = {};
  const mode = document.getElementById('mode').value;
  if (mode !== policy.mode) set.mode = mode;
  for (const a of ACTIONS) {
    const enabled = document.querySelector(`input[name="actions.${a}.enabled"]`).checked;
    if (enabled !== policy.actions[a].enabled) set[`actions.${a}.enabled`] = String(enabled);
    for (const l of LABELS) {
      const input = document.querySelector(`input[name="actions.${a}.thresholds.${l}"]`);
      const was = policy.actions[a].thresholds[l];
      const now = input.value.trim();
      if (now === '' && was !== undefined) set[`actions.${a}.thresholds.${l}`] = 'unset';
      else if (now !== '' && Number(now) !== was) set[`actions.${a}.thresholds.${l}`] = now;
    }
  }
  for (const input of document.querySelectorAll('input[data-list]')) {
    const key = input.dataset.list;
    const was = key.split('.').reduce((o, k) => o[k], policy);
    const now = parseIds(input.value);
    const ops = [...now.filter((x) => !was.includes(x)).map((x) => `+${x}`), ...was.filter((x) => !now.includes(x)).map((x) => `-${x}`)];
    if (ops.length) set[key] = ops.join(' ');
  }
  for (const channel of removedOverrides) set[`channels.${channel}`] = 'unset';
  const rawKey = document.getElementById('raw-key').value.trim();
  if (rawKey) set[rawKey] = document.getElementById('raw-value').value;
  return set;
}

function showChanges() {
  if (!policy) return;
  const n = Object.keys(changes()).length;
  document.getElementById('changes').textContent = n ? `${n} unsaved change${n === 1 ? '' : 's'}` : '';
}

async function load() {
  markReady(false);
  if (!server) {
    markReady(true);
    return;
  }
  try {
    const data = await api(`policy?server=${encodeURIComponent(server)}`);
    policy = data.policy;
    removedOverrides = new Set();
    document.getElementById('summary').textContent = data.summary;
    document.getElementById('mode').value = policy.mode;
    renderThresholds(policy, data.modelThresholds);
    for (const input of document.querySelectorAll('input[data-list]')) input.value = ids(input.dataset.list.split('.').reduce((o, k) => o[k], policy));
    renderOverrides(policy);
    const keys = clear(document.getElementById('policy-keys'));
    for (const k of data.keys) keys.append(el('option', { value: k }));
    document.getElementById('raw-key').value = '';
    document.getElementById('raw-value').value = '';
    renderAudit(data.audit);
    showChanges();
  } catch (err) {
    setStatus(err.message, 'error');
  }
  markReady(true);
}

document.getElementById('policy-form').addEventListener('input', showChanges);
document.getElementById('policy-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const set = changes();
  if (!Object.keys(set).length) {
    setStatus('Nothing changed.', 'info');
    return;
  }
  markReady(false);
  try {
    await api('policy', { method: 'POST', json: { server, set } });
    setStatus(`Saved ${Object.keys(set).length} change${Object.keys(set).length === 1 ? '' : 's'} to ${server}.`, 'ok');
    await load();
  } catch (err) {
    setStatus(err.message, 'error');
    markReady(true);
  }
});

initServerPicker(
  (s) => {
    server = s;
    void load();
  },
  { allowAll: false },
).catch((err) => setStatus(err.message, 'error'));

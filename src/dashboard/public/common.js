/* global document, window, fetch, localStorage, history, Event */
// Shared by every dashboard page: the JSON API client (sends the CSRF token), DOM helpers that never
// parse moderation data as HTML, the server picker, span highlighting and score bars.

export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];
export const LABEL_COLORS = {
  toxic: '#d1495b',
  severe_toxic: '#7a1c2b',
  obscene: '#edae49',
  threat: '#00798c',
  insult: '#6a4c93',
  identity_hate: '#30638e',
};

const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

/** Calls the dashboard API; resolves to the JSON body, throws an Error with the server's message. */
export async function api(path, { method = 'GET', json, form } = {}) {
  const headers = { accept: 'application/json' };
  let body;
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) body = form;
  const res = await fetch(`/dashboard/api/${path}`, { method, headers, body, credentials: 'same-origin' });
  if (res.status === 401) {
    window.location.assign(`/dashboard/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    throw new Error('not logged in');
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data.error ?? `HTTP ${res.status}`);
    err.issues = data.issues;
    throw err;
  }
  return data;
}

/** el('div', {class: 'x', onclick: fn}, 'text', child): text children become text nodes, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof window.Node ? c : String(c));
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function setStatus(message, kind = 'info') {
  const s = document.getElementById('status');
  if (!s) return;
  s.textContent = message ?? '';
  s.className = `status ${kind}`;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function pct(x, digits = 0) {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;
}

/** The text with the given [start, end) spans wrapped in <mark>. */
export function highlight(text, spans) {
  const frag = document.createDocumentFragment();
  const sorted = [...(spans ?? [])].filter((s) => s[1] > s[0]).sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at || start >= text.length) continue;
    if (start > at) frag.append(text.slice(at, start));
    frag.append(el('mark', {}, text.slice(start, Math.min(end, text.length))));
    at = Math.min(end, text.length);
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

/** One bar per label: the score, with the threshold drawn as a tick; labels at/over it are marked. */
export function scoreBars(scores, thresholds) {
  return el(
    'table',
    { class: 'scores' },
    el(
      'tbody',
      {},
      LABELS.map((label) => {
        const s = scores?.[label] ?? 0;
        const t = thresholds?.[label];
        const over = t !== undefined && s >= t;
        const bar = el('div', { class: 'bar' }, el('div', { class: `fill${over ? ' over' : ''}` }));
        bar.firstChild.style.width = `${Math.max(0.5, s * 100).toFixed(1)}%`;
        if (t !== undefined) {
          const tick = el('div', { class: 'tick', title: `threshold ${t}` });
          tick.style.left = `${(t * 100).toFixed(1)}%`;
          bar.append(tick);
        }
        return el('tr', { class: over ? 'over' : '', dataset: { label } }, el('th', {}, label), el('td', { class: 'bar-cell' }, bar), el('td', { class: 'num' }, s.toFixed(3)));
      }),
    ),
  );
}

/**
 * Fills the header's server picker from /api/servers and keeps the choice in the URL (?server=)
 * and localStorage. Calls onChange(serverId) now and on every change; serverId is '' for "all".
 */
export async function initServerPicker(onChange, { allowAll = true } = {}) {
  const select = document.getElementById('server');
  const { servers } = await api('servers');
  const url = new URL(window.location.href);
  const wanted = url.searchParams.get('server') ?? localStorage.getItem('toxguard.server') ?? '';
  clear(select);
  if (allowAll) select.append(el('option', { value: '' }, 'All servers'));
  for (const s of servers) select.append(el('option', { value: s.serverId }, `${s.serverId} (${s.verdicts} verdicts${s.pending ? `, ${s.pending} to review` : ''})`));
  if (wanted && !servers.some((s) => s.serverId === wanted)) select.append(el('option', { value: wanted }, wanted));
  const values = [...select.options].map((o) => o.value);
  select.value = values.includes(wanted) ? wanted : (values[0] ?? '');
  const changed = () => {
    const u = new URL(window.location.href);
    if (select.value) u.searchParams.set('server', select.value);
    else u.searchParams.delete('server');
    history.replaceState(null, '', u);
    localStorage.setItem('toxguard.server', select.value);
    for (const a of document.querySelectorAll('header nav a')) {
      const link = new URL(a.href);
      if (select.value) link.searchParams.set('server', select.value);
      else link.searchParams.delete('server');
      a.href = link.pathname + link.search;
    }
    onChange(select.value);
  };
  select.addEventListener('change', changed);
  if (!select.value && !allowAll) {
    setStatus('No server has any verdict or policy yet.', 'info');
    return '';
  }
  changed();
  return select.value;
}

/** Resolves once the page's scripts are idle again; the tests wait on it (data-ready="1"). */
export function markReady(ready = true) {
  document.body.dataset.ready = ready ? '1' : '0';
  document.body.dispatchEvent(new Event(ready ? 'dashboard:ready' : 'dashboard:busy'));
}

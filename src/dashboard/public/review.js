/* global document, HTMLElement */
// Review queue: flagged messages with their highlighted words, images, OCR text and scores.
// Confirm / overturn / dismiss by button or key (c / o / d; j / k to move), recorded as 'dashboard'.
import { api, clear, el, fmtTime, highlight, initServerPicker, markReady, scoreBars, setStatus } from './common.js';

let server = '';
let items = [];
let selected = 0;
let thresholds = {};
const ACTION_NAMES = { confirmed: 'Confirm', overturned: 'Overturn', dismissed: 'Dismiss' };
const KEYS = { c: 'confirmed', o: 'overturned', d: 'dismissed' };

function select(i, focus = true) {
  if (!items.length) return;
  selected = Math.max(0, Math.min(items.length - 1, i));
  document.querySelectorAll('#queue > li').forEach((li, k) => li.classList.toggle('selected', k === selected));
  const li = document.querySelector(`#queue > li:nth-child(${selected + 1})`);
  if (focus && li) {
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: 'nearest' });
  }
}

function statusBadge(item) {
  const d = item.lastDecision;
  return el('span', { class: `badge ${item.status}` }, item.status, d ? ` by ${d.moderatorId} (${d.source}, ${fmtTime(d.decidedAt)})` : '');
}

function sourceView(s) {
  const parts = [el('div', { class: 'source-name' }, `Image ${s.attachment + 1}: ${s.name ?? 'attachment'}`)];
  if (s.url) parts.push(el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, el('img', { class: 'thumb', src: s.url, alt: `image ${s.attachment + 1}`, loading: 'lazy', referrerpolicy: 'no-referrer' })));
  if (s.scanned) parts.push(el('blockquote', { class: 'ocr' }, el('span', { class: 'hint' }, `OCR (confidence ${Math.round((s.confidence ?? 0) * 100)}%): `), s.text || '(no text found)'));
  else parts.push(el('p', { class: 'hint' }, `Not scanned: ${s.reason}`));
  return el('div', { class: 'source' }, parts);
}

function itemView(item, index) {
  const v = item.verdict;
  const triggered = v.triggered.map((t) => `${t.label} ${t.score.toFixed(2)} ≥ ${t.threshold}`).join(', ');
  const decide = (decision) => () => void record(index, decision);
  return el(
    'li',
    { class: `item ${item.status}`, tabindex: 0, dataset: { id: item.id, verdict: v.id }, onclick: () => select(index, false) },
    el(
      'div',
      { class: 'meta' },
      el('span', {}, `#${item.id}`),
      el('span', {}, `${v.platform} · channel ${v.channelId}${v.threadId ? ` · thread ${v.threadId}` : ''} · author ${v.authorId}`),
      el('span', {}, fmtTime(v.createdAt)),
      statusBadge(item),
    ),
    item.appealNote ? el('p', { class: 'appeal' }, `Appeal (${fmtTime(item.appealedAt)}): `, item.appealNote) : null,
    el('blockquote', { class: 'message' }, v.text ? highlight(v.text, v.spans) : el('span', { class: 'hint' }, '(no text)')),
    v.textStored === 'excerpt' ? el('p', { class: 'hint' }, 'Only an excerpt is stored (database.storeText = excerpt).') : null,
    v.sources.length ? el('div', { class: 'sources' }, v.sources.map(sourceView)) : null,
    el('div', { class: 'why' }, el('strong', {}, 'Flagged for: '), triggered || '–', v.logOnly ? ` ${wouldHaveActed(v)}` : v.actions.length ? ` → ${v.actions.join(', ')}` : ''),
    el('details', { class: 'score-details' }, el('summary', {}, 'Scores'), scoreBars(v.scores, thresholds)),
    el(
      'div',
      { class: 'buttons' },
      Object.entries(ACTION_NAMES).map(([decision, name]) =>
        el('button', { type: 'button', class: `decide ${decision}`, dataset: { decision }, onclick: decide(decision), title: `${name} (${Object.keys(KEYS).find((k) => KEYS[k] === decision)})` }, name),
      ),
    ),
  );
}

/** Log-only verdicts are queued too, so agreement can be measured before actions are turned on. */
function wouldHaveActed(v) {
  return v.wouldAct && v.wouldAct.length ? `(log-only: would have acted: ${v.wouldAct.join(', ')}; nothing was done)` : '(log-only: nothing was done)';
}

async function record(index, decision) {
  const item = items[index];
  if (!item) return;
  try {
    const { review } = await api(`reviews/${item.id}/decision`, { method: 'POST', json: { decision } });
    items[index] = { ...item, status: review.status, lastDecision: review.lastDecision };
    const li = document.querySelector(`#queue > li:nth-child(${index + 1})`);
    li.replaceWith(itemView(items[index], index));
    setStatus(`Review #${item.id}: ${review.status}.`, 'ok');
    select(index + 1);
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

async function load() {
  markReady(false);
  const status = document.getElementById('review-status').value;
  const queue = clear(document.getElementById('queue'));
  items = [];
  if (!server) {
    markReady(true);
    return;
  }
  try {
    const data = await api(`reviews?server=${encodeURIComponent(server)}&status=${status}&limit=100`);
    thresholds = data.thresholds;
    items = data.items;
    items.forEach((item, i) => queue.append(itemView(item, i)));
    if (!items.length) queue.append(el('li', { class: 'empty hint' }, status === 'pending' ? 'Nothing to review. 🎉' : 'No items.'));
    setStatus(`${items.length} item${items.length === 1 ? '' : 's'} (${status}) in ${server}.`);
    selected = 0;
    select(0, false);
  } catch (err) {
    setStatus(err.message, 'error');
  }
  markReady(true);
}

document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const target = e.target;
  if (target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  if (e.key === 'j') select(selected + 1);
  else if (e.key === 'k') select(selected - 1);
  else if (KEYS[e.key]) void record(selected, KEYS[e.key]);
  else return;
  e.preventDefault();
});

document.getElementById('review-status').addEventListener('change', load);
initServerPicker(
  (s) => {
    server = s;
    void load();
  },
  { allowAll: false },
).catch((err) => setStatus(err.message, 'error'));

/* global document, FormData */
// Try it: score a pasted text and/or a dropped image with the live OCR and model, and show what
// the selected server's policy would do. Nothing is recorded.
import { api, clear, el, highlight, initServerPicker, LABELS, markReady, scoreBars, setStatus } from './common.js';

let server = '';
const input = document.getElementById('try-image');
const drop = document.getElementById('drop');

function showFile() {
  document.getElementById('file-name').textContent = input.files?.[0] ? `${input.files[0].name} (${Math.round(input.files[0].size / 1024)} KB)` : '';
}

drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files?.length) {
    input.files = e.dataTransfer.files;
    showFile();
  }
});
input.addEventListener('change', showFile);

function render(r, file) {
  const box = clear(document.getElementById('try-result'));
  box.hidden = false;
  const flagged = LABELS.filter((l) => r.scores[l] >= r.thresholds[l]);
  box.append(
    el('h2', {}, 'Result'),
    el('p', { id: 'try-verdict', class: flagged.length ? 'verdict flagged' : 'verdict clean' }, flagged.length ? `Flagged: ${flagged.join(', ')}` : 'Not flagged by the model', ` (${r.ms} ms)`),
    el(
      'p',
      { id: 'try-policy' },
      `Policy of ${r.policy.serverId}: `,
      r.policy.wouldAct.length ? `${r.policy.logOnly ? 'would ' : ''}${r.policy.wouldAct.join(', ')}${r.policy.logOnly ? ' (log-only: nothing would be done)' : ''}` : 'no action',
    ),
  );
  if (r.text) box.append(el('h3', {}, 'Text'), el('blockquote', { class: 'message', id: 'try-highlight' }, highlight(r.text, r.spans)));
  r.sources.forEach((s, i) => {
    const parts = [el('h3', {}, `Image ${i + 1}: ${s.name}`)];
    if (file && i === 0) parts.push(el('img', { class: 'thumb', src: URL.createObjectURL(file), alt: s.name }));
    if (s.scanned) {
      parts.push(el('p', { class: 'hint' }, `OCR text (confidence ${Math.round(s.confidence * 100)}%, ${s.ms} ms):`), el('blockquote', { class: 'ocr', id: `try-ocr-${i}` }, s.text ? highlight(s.text, s.spans) : '(no text found)'));
      if (s.watermarks.length) parts.push(el('p', { class: 'hint' }, `Watermarks (not classified): ${s.watermarks.join(', ')}`));
      parts.push(el('details', {}, el('summary', {}, 'Scores of the image text'), scoreBars(s.scores, r.thresholds)));
    } else parts.push(el('p', { class: 'error', id: `try-ocr-${i}` }, `Not scanned: ${s.reason}`));
    box.append(el('div', { class: 'source' }, parts));
  });
  const sources = Object.entries(r.labelSources).filter(([l]) => r.scores[l] > 0).map(([l, s]) => `${l}: ${s}`);
  box.append(el('h3', {}, 'Scores (per label, the strongest source)'), scoreBars(r.scores, r.thresholds), el('p', { class: 'hint' }, `Threshold ticks are the model's calibrated thresholds. Sources: ${sources.join(', ')}`));
}

document.getElementById('try-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData();
  form.append('text', document.getElementById('try-text').value);
  form.append('server', server);
  const file = input.files?.[0];
  if (file) form.append('image', file, file.name);
  markReady(false);
  setStatus(file ? 'Reading the image and scoring…' : 'Scoring…');
  try {
    const r = await api('try', { method: 'POST', form });
    render(r, file);
    setStatus('Done. Nothing was recorded.', 'ok');
  } catch (err) {
    setStatus(err.message, 'error');
  }
  markReady(true);
});

initServerPicker((s) => {
  server = s;
  markReady(true);
}).catch((err) => setStatus(err.message, 'error'));

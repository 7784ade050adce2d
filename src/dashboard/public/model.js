/* global document, window */
// Model: the active model's card, thresholds, validation metrics, the moderators' agreement with
// its flags per label, drift (when monitoring records it) and recent training runs.
import { api, clear, el, fmtTime, initServerPicker, LABEL_COLORS, LABELS, markReady, pct, setStatus } from './common.js';

const { Chart } = window;
let chart;

function num(x, d = 3) {
  return typeof x === 'number' ? x.toFixed(d) : '–';
}

function rows(selector, list, cells, empty) {
  const body = clear(document.querySelector(`${selector} tbody`));
  if (!list.length) body.append(el('tr', {}, el('td', { colspan: 9, class: 'hint' }, empty)));
  for (const item of list) body.append(el('tr', {}, cells(item).map((c, i) => el('td', i > 0 && typeof c !== 'object' && /^[\d.–%-]+$/.test(String(c)) ? { class: 'num' } : {}, c))));
}

const DRIFT_WHAT = { score: 'score PSI', length: 'length PSI', no_text: 'share without text', ocr_failure: 'images not read' };
let driftChart;

function driftName(r) {
  return `${r.label ? `${r.label} ` : ''}${DRIFT_WHAT[r.metric] ?? r.metric}`;
}

function renderDrift(drift) {
  const box = clear(document.getElementById('drift'));
  const chartBox = document.getElementById('drift-chart-box');
  driftChart?.destroy();
  if (!drift || drift.rows.length === 0) {
    chartBox.hidden = true;
    box.append(el('p', { class: 'hint', id: 'no-drift' }, 'No drift data yet: the monitor computes each complete day (UTC) after midnight, for days with enough messages (monitoring.minMessages).'));
    return;
  }
  // PSI series over the days (shares have another scale: they are in the table).
  const days = [...new Set(drift.rows.map((r) => r.day))].sort();
  const psi = drift.rows.filter((r) => r.metric === 'score' || r.metric === 'length');
  const names = [...new Set(psi.map(driftName))];
  chartBox.hidden = psi.length === 0;
  if (psi.length) {
    const bound = Math.max(...psi.map((r) => r.bound));
    // One computed day draws as bars (a line needs two points); the bound is always a line.
    driftChart = new Chart(document.getElementById('chart-drift'), {
      type: days.length === 1 ? 'bar' : 'line',
      data: {
        labels: days,
        datasets: [
          ...names.map((name) => {
            const label = name.split(' ')[0];
            return { label: name, data: days.map((d) => psi.find((r) => r.day === d && driftName(r) === name)?.value ?? null), borderColor: LABEL_COLORS[label] ?? '#334155', backgroundColor: LABEL_COLORS[label] ?? '#334155', pointRadius: 4, spanGaps: true };
          }),
          { type: 'line', label: `bound (${bound})`, data: days.map(() => bound), borderColor: '#d1495b', borderDash: [6, 4], pointRadius: days.length === 1 ? 6 : 0, pointStyle: 'line' },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: 'PSI' } } } },
    });
  }
  const latest = days[days.length - 1];
  box.append(
    el('h3', {}, `Latest day: ${latest}`),
    el(
      'table',
      { class: 'data', id: 'drift-table' },
      el('thead', {}, el('tr', {}, ['Metric', 'Value', 'Bound', 'Training reference', 'Messages', 'Model', ''].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        drift.rows
          .filter((r) => r.day === latest)
          .map((r) => {
            const share = r.metric === 'no_text' || r.metric === 'ocr_failure';
            const fmt = (x) => (x === null || x === undefined ? '–' : share ? pct(x, 1) : num(x));
            return el('tr', { class: r.over ? 'over' : '', dataset: { metric: r.metric, label: r.label ?? '' } }, el('td', {}, driftName(r)), el('td', { class: 'num' }, fmt(r.value)), el('td', { class: 'num' }, fmt(r.bound)), el('td', { class: 'num' }, fmt(r.reference)), el('td', { class: 'num' }, r.n), el('td', {}, r.model), el('td', {}, r.over ? 'drifted' : 'ok'));
          }),
      ),
    ),
  );
}

function render(m) {
  clear(document.getElementById('model-head')).append(
    el('div', { class: 'card' }, el('div', { class: 'value' }, `${m.name}@${m.version}`), el('div', { class: 'title' }, 'Active model'), m.description ? el('div', { class: 'hint' }, m.description) : null),
    el('div', { class: 'card' }, el('div', { class: 'value' }, m.metrics ? num(m.metrics.macro.rocAuc) : '–'), el('div', { class: 'title' }, 'Macro ROC-AUC (validation)')),
    el('div', { class: 'card' }, el('div', { class: 'value' }, m.metrics ? num(m.metrics.macro.f1) : '–'), el('div', { class: 'title' }, 'Macro F1 at the thresholds')),
    el('div', { class: 'card' }, el('div', { class: 'value' }, m.createdAt ? m.createdAt.slice(0, 10) : '–'), el('div', { class: 'title' }, `Trained${m.run ? ` (run ${m.run})` : ''}`)),
  );

  rows(
    '#agreement',
    m.agreement,
    (a) => [a.label, a.confirmed, a.overturned, a.dismissed, a.pending, pct(a.rate, 1)],
    '',
  );
  chart?.destroy();
  chart = new Chart(document.getElementById('chart-agreement'), {
    type: 'bar',
    data: {
      labels: LABELS,
      datasets: [{ label: 'agreement (confirmed / decided)', data: m.agreement.map((a) => (a.rate === null ? null : Math.round(a.rate * 1000) / 10)), backgroundColor: LABELS.map((l) => LABEL_COLORS[l]) }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } }, plugins: { legend: { display: false } } },
  });

  rows('#thresholds', LABELS, (l) => [l, num(m.thresholds[l]), m.metrics?.calibration?.[l] ? num(m.metrics.calibration[l].ece, 4) : '–'], '');
  clear(document.getElementById('macro')).append(
    m.metrics ? el('p', { class: 'hint' }, `Macro over corpus×label pairs: ROC-AUC ${num(m.metrics.macro.rocAuc)}, average precision ${num(m.metrics.macro.averagePrecision)}, F1 ${num(m.metrics.macro.f1)}.`) : el('p', { class: 'hint' }, 'This model has no recorded validation metrics.'),
  );
  renderDrift(m.drift);
  rows(
    '#runs',
    m.runs,
    (r) => [el('span', {}, r.id, r.active ? el('span', { class: 'badge confirmed' }, ' active') : null), fmtTime(r.startedAt), num(r.seconds / 60, 1), r.iterations, r.macro ? num(r.macro.rocAuc) : '–', r.macro ? num(r.macro.f1) : '–', r.dataFingerprint],
    'No training runs recorded in ./runs.',
  );
  rows('#pairs', m.metrics?.pairs ?? [], (p) => [p.corpus, p.label, p.n, p.positives, num(p.rocAuc), num(p.averagePrecision), num(p.f1)], 'No per-corpus metrics.');
  const card = document.getElementById('card');
  // Server-rendered from the model's MODEL_CARD.md with every character escaped first.
  card.innerHTML = m.cardHtml ?? '<p class="hint">This model has no model card.</p>';
}

async function load(server) {
  markReady(false);
  try {
    const m = await api(`model${server ? `?server=${encodeURIComponent(server)}` : ''}`);
    render(m);
    setStatus(`Agreement ${server ? `in ${server}` : 'across all servers'}; decided items only.`);
    window.dashboardData = m;
  } catch (err) {
    setStatus(err.message, 'error');
  }
  markReady(true);
}

initServerPicker((s) => void load(s)).catch((err) => setStatus(err.message, 'error'));

/* global document, window */
// Overview: verdicts over time by label and by action, label distribution, actions taken, top
// flagged terms (word cloud) and the most affected channels, for one server or all, over a period.
import { api, clear, el, initServerPicker, LABEL_COLORS, LABELS, markReady, setStatus } from './common.js';

const { Chart, WordCloud } = window;
const ACTION_COLORS = { flag: '#edae49', alert: '#d1495b', delete: '#7a1c2b', timeout: '#30638e', dm: '#00798c', 'log-only': '#9aa5b1' };
const STATUS_COLORS = { done: '#2a9d8f', pending: '#edae49', running: '#f4a261', failed: '#e76f51', dead: '#6c757d' };
const charts = {};
let server = '';

function draw(id, config) {
  charts[id]?.destroy();
  // No animation: the chart is complete as soon as it is drawn (screenshots, tests).
  charts[id] = new Chart(document.getElementById(id), { ...config, options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options } });
}

function label(bucket, unit) {
  return unit === 'hour' ? `${bucket.slice(5, 10)} ${bucket.slice(11, 13)}h` : bucket.slice(5, 10);
}

function card(title, value, hint) {
  return el('div', { class: 'card' }, el('div', { class: 'value' }, String(value)), el('div', { class: 'title' }, title), hint ? el('div', { class: 'hint' }, hint) : null);
}

function render(data) {
  const { timeline: t, stats, terms, channels } = data;
  const labels = t.buckets.map((b) => label(b, t.unit));
  clear(document.getElementById('totals')).append(
    card('Verdicts', stats.verdicts),
    card('Flagged', stats.flaggedVerdicts, stats.verdicts ? `${((stats.flaggedVerdicts / stats.verdicts) * 100).toFixed(1)}% of verdicts` : ''),
    card('Would act (log-only)', (t.byAction['log-only'] ?? []).reduce((a, b) => a + b, 0), 'flagged while the server is log-only'),
    card('To review', stats.reviews.pending),
    card('Confirmed', stats.reviews.confirmed),
    card('Overturned', stats.reviews.overturned),
  );

  draw('chart-labels', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        ...LABELS.map((l) => ({ label: l, data: t.byLabel[l], backgroundColor: LABEL_COLORS[l], stack: 'labels' })),
        { type: 'line', label: 'all verdicts', data: t.total, borderColor: '#334155', backgroundColor: '#334155', yAxisID: 'total', pointRadius: 2, tension: 0.2 },
      ],
    },
    options: {
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'flagged verdicts' }, ticks: { precision: 0 } },
        total: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'all verdicts' }, ticks: { precision: 0 } },
      },
    },
  });

  const actions = Object.keys(t.byAction).sort();
  draw('chart-actions', {
    type: 'bar',
    data: { labels, datasets: actions.map((a) => ({ label: a, data: t.byAction[a], backgroundColor: ACTION_COLORS[a] ?? '#888' })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });

  draw('chart-distribution', {
    type: 'doughnut',
    data: { labels: LABELS, datasets: [{ data: LABELS.map((l) => stats.flaggedByLabel[l]), backgroundColor: LABELS.map((l) => LABEL_COLORS[l]) }] },
    options: { plugins: { legend: { position: 'right' } } },
  });

  const kinds = Object.keys(stats.actions).filter((k) => Object.values(stats.actions[k]).some((n) => n > 0));
  const statuses = Object.keys(STATUS_COLORS);
  draw('chart-outbox', {
    type: 'bar',
    data: { labels: kinds, datasets: statuses.map((s) => ({ label: s, data: kinds.map((k) => stats.actions[k][s] ?? 0), backgroundColor: STATUS_COLORS[s] })) },
    options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  });

  const list = clear(document.getElementById('terms'));
  for (const [term, n] of terms.slice(0, 15)) list.append(el('li', {}, el('span', { class: 'term' }, term), ` ${n}`));
  const canvas = document.getElementById('wordcloud');
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (terms.length && WordCloud?.isSupported) {
    const max = terms[0][1];
    canvas.dataset.drawn = '0';
    canvas.addEventListener('wordcloudstop', () => (canvas.dataset.drawn = '1'), { once: true });
    WordCloud(canvas, {
      list: terms.map(([term, n]) => [term, 14 + 46 * Math.sqrt(n / max)]),
      gridSize: 6,
      rotateRatio: 0,
      shrinkToFit: true,
      drawOutOfBound: false,
      fontFamily: 'DejaVu Sans, sans-serif',
      color: () => ['#d1495b', '#6a4c93', '#00798c', '#edae49', '#30638e'][Math.floor(Math.random() * 5)],
      backgroundColor: '#ffffff',
    });
  } else {
    canvas.dataset.drawn = 'empty';
  }

  const tbody = clear(document.querySelector('#channels tbody'));
  if (channels.length === 0) tbody.append(el('tr', {}, el('td', { colspan: 3, class: 'hint' }, 'No flagged messages in this period.')));
  for (const c of channels) tbody.append(el('tr', {}, el('td', {}, server ? c.channelId : `${c.serverId} / ${c.channelId}`), el('td', { class: 'num' }, c.flagged), el('td', { class: 'num' }, c.verdicts)));
}

async function load() {
  markReady(false);
  const period = document.getElementById('period').value;
  try {
    const data = await api(`overview?period=${period}${server ? `&server=${encodeURIComponent(server)}` : ''}`);
    render(data);
    setStatus(`${data.stats.verdicts} verdicts since ${data.timeline.since.slice(0, 16).replace('T', ' ')} UTC${server ? ` in ${server}` : ' across all servers'}.`);
    window.dashboardData = data;
  } catch (err) {
    setStatus(err.message, 'error');
  }
  markReady(true);
}

document.getElementById('period').addEventListener('change', load);
initServerPicker((s) => {
  server = s;
  void load();
}).catch((err) => setStatus(err.message, 'error'));

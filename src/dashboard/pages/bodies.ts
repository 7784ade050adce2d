// The static part of each page: containers the page's script fills from the JSON API.
import type { PageId } from './layout.js';

const PERIOD_PICK = `<label>Period <select id="period">
  <option value="24h">Last 24 hours</option><option value="7d" selected>Last 7 days</option>
  <option value="30d">Last 30 days</option><option value="90d">Last 90 days</option></select></label>`;

export const BODIES: Record<PageId, { body: string; vendor?: string[] }> = {
  overview: {
    vendor: ['chart.umd.min.js', 'wordcloud2.js'],
    body: `<div class="filters">${PERIOD_PICK}</div>
<section class="cards" id="totals"></section>
<div class="grid">
  <section class="panel wide"><h2>Flagged verdicts over time, by label</h2><div class="chart"><canvas id="chart-labels"></canvas></div></section>
  <section class="panel wide"><h2>Verdicts over time, by action</h2><div class="chart"><canvas id="chart-actions"></canvas></div></section>
  <section class="panel"><h2>Label distribution</h2><div class="chart"><canvas id="chart-distribution"></canvas></div></section>
  <section class="panel"><h2>Actions taken</h2><div class="chart"><canvas id="chart-outbox"></canvas></div><p class="hint">From the action outbox: done, pending, failed or given up.</p></section>
  <section class="panel"><h2>Top flagged terms</h2><canvas id="wordcloud" width="560" height="300"></canvas><ol id="terms" class="terms"></ol></section>
  <section class="panel"><h2>Most affected channels</h2><table id="channels" class="data"><thead><tr><th>Channel</th><th class="num">Flagged</th><th class="num">Verdicts</th></tr></thead><tbody></tbody></table></section>
</div>`,
  },
  review: {
    body: `<div class="filters">
  <label>Show <select id="review-status"><option value="pending" selected>Pending</option><option value="confirmed">Confirmed</option><option value="overturned">Overturned</option><option value="dismissed">Dismissed</option><option value="all">All</option></select></label>
  <p class="hint keys">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>c</kbd> confirm, <kbd>o</kbd> overturn, <kbd>d</kbd> dismiss.</p>
</div>
<ol id="queue" class="queue"></ol>`,
  },
  policies: {
    body: `<section class="panel"><h2>Summary</h2><pre id="summary" class="summary"></pre></section>
<form id="policy-form" class="panel">
  <h2>Settings</h2>
  <p class="hint">A label triggers an action when its score is <strong>at or above</strong> the threshold: a <strong>higher</strong> threshold makes the bot <strong>less</strong> strict.</p>
  <label>Mode <select name="mode" id="mode"><option value="log-only">log-only (record only, never act)</option><option value="active">active (take the actions below)</option></select></label>
  <table class="data" id="thresholds"><thead></thead><tbody></tbody></table>
  <h3>Exemptions <small>(moderators and bots are always exempt)</small></h3>
  <label>Roles <input id="ex-roleIds" data-list="exemptions.roleIds" placeholder="role ids, comma separated"></label>
  <label>Channels <input id="ex-channelIds" data-list="exemptions.channelIds" placeholder="channel ids"></label>
  <label>Users <input id="ex-userIds" data-list="exemptions.userIds" placeholder="user ids"></label>
  <h3>Channel overrides</h3>
  <table class="data" id="overrides"><thead><tr><th>Channel</th><th>Override</th><th></th></tr></thead><tbody></tbody></table>
  <h3>Any other key</h3>
  <div class="row"><label>Key <input id="raw-key" list="policy-keys" placeholder="e.g. channels.123.mode or alerts.channelId"></label>
  <label>Value <input id="raw-value" placeholder="e.g. log-only, true, 0.8, +123, unset"></label></div>
  <datalist id="policy-keys"></datalist>
  <p><button type="submit" id="save">Save changes</button> <span id="changes" class="hint"></span></p>
</form>
<section class="panel"><h2>Audit trail</h2><table class="data" id="audit"><thead><tr><th>When</th><th>Who</th><th>From</th><th>Changes</th></tr></thead><tbody></tbody></table></section>`,
  },
  model: {
    vendor: ['chart.umd.min.js'],
    body: `<section class="cards" id="model-head"></section>
<div class="grid">
  <section class="panel"><h2>Moderators' agreement, per label</h2><p class="hint">Of the items the model flagged for a label and a moderator decided: confirmed / (confirmed + overturned). Dismissed items are not counted.</p><div class="chart"><canvas id="chart-agreement"></canvas></div><table class="data" id="agreement"><thead><tr><th>Label</th><th class="num">Confirmed</th><th class="num">Overturned</th><th class="num">Dismissed</th><th class="num">Pending</th><th class="num">Agreement</th></tr></thead><tbody></tbody></table></section>
  <section class="panel"><h2>Thresholds and validation metrics</h2><table class="data" id="thresholds"><thead><tr><th>Label</th><th class="num">Threshold</th><th class="num">Calibration error</th></tr></thead><tbody></tbody></table><div id="macro"></div></section>
  <section class="panel wide"><h2>Drift</h2><p class="hint">Daily, against the model's training reference: population stability index (PSI) of each label's scores and of message length, the share of messages without text and of images that could not be read. Above the bound means the traffic no longer looks like what the model was trained on.</p><div class="chart" id="drift-chart-box" hidden><canvas id="chart-drift"></canvas></div><div id="drift"></div></section>
  <section class="panel wide"><h2>Recent training runs</h2><table class="data" id="runs"><thead><tr><th>Run</th><th>Started</th><th class="num">Minutes</th><th class="num">Iterations</th><th class="num">Macro ROC-AUC</th><th class="num">Macro F1</th><th>Data</th></tr></thead><tbody></tbody></table></section>
  <section class="panel wide"><h2>Validation per corpus</h2><table class="data" id="pairs"><thead><tr><th>Corpus</th><th>Label</th><th class="num">n</th><th class="num">Positives</th><th class="num">ROC-AUC</th><th class="num">Avg precision</th><th class="num">F1</th></tr></thead><tbody></tbody></table></section>
  <section class="panel wide card-md"><h2>Model card</h2><div id="card"></div></section>
</div>`,
  },
  try: {
    body: `<form id="try-form" class="panel">
  <label>Text <textarea id="try-text" name="text" rows="4" placeholder="Paste a message"></textarea></label>
  <div id="drop" class="drop" tabindex="0">Drop an image here, or <label class="file">choose one<input type="file" id="try-image" name="image" accept="image/*"></label> <span id="file-name"></span></div>
  <p class="hint">Scored with the same OCR and model as the pipeline, judged against the selected server's policy. Nothing is recorded.</p>
  <button type="submit" id="try-submit">Check</button>
</form>
<section id="try-result" class="panel" hidden></section>`,
  },
};

// The dashboard in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) against
// the real server: buildServer + the dashboard plugin, a SQLite file in a temp folder, the built-in
// model, the pipeline and the real OCR engine. Every chart is drawn from verdicts the pipeline
// produced in this test. Screenshots of each page go to a temp folder (paths printed). Then the same
// dashboard on PostgreSQL: its charts and a review decision.
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../src/classifier/labels.js';
import { renderMeme } from '../helpers/images.js';
import { message } from '../helpers/messages.js';
import { pgMissing } from '../store/helpers.js';
import { CLEAN, computeDrift, PASSWORD, seed, startDashboard, TOXIC, type Harness } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
// A user's fresh machine may lack Debian's chromium: say so and skip. CI installs it (.ci/run), and
// there a missing browser is a failure, not a skip.
const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!hasChromium) process.stderr.write(`[toxguard tests] ${CHROMIUM} not found (apt-get install chromium): the dashboard's browser tests are SKIPPED\n`);
const shots = mkdtempSync(join(tmpdir(), 'toxguard-dashboard-shots-'));
let h: Harness;
let images: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  // A meme the "platform" serves, like a Discord CDN link: the pipeline OCRs it, the queue shows it.
  const meme = await renderMeme({ top: 'you are a worthless idiot', bottom: 'nobody likes you' });
  images = createServer((req, res) => (req.url === '/meme.png' ? res.writeHead(200, { 'content-type': 'image/png' }).end(meme) : res.writeHead(404).end()));
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  const imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/meme.png`;

  [h, browser] = await Promise.all([
    startDashboard({ ocr: true }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
  ]);
  await seed(h, [message({ text: 'look at this', serverId: 'g1', channelId: 'memes', attachments: [{ url: imageUrl, name: 'meme.png', contentType: 'image/png' }] })]);
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  images?.close();
  console.log(`dashboard screenshots: ${shots}`);
});

async function ready(p: Page = page): Promise<void> {
  await p.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
}

async function shot(name: string): Promise<void> {
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(existsSync(file)).toBe(true);
  console.log(`screenshot ${name}: ${file}`);
}

// The project compiles without the DOM lib: the few browser shapes the page.evaluate callbacks use.
interface Canvas2D {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface ChartJs {
  data: { labels: unknown[]; datasets: { label: string; data: (number | null)[] }[] };
}
declare const document: { getElementById(id: string): unknown };
declare const window: { Chart: { getChart(canvas: unknown): ChartJs | undefined }; dashboardData: { timeline: { since: string } } };

/** Pixels drawn on a canvas (alpha > 0 and not the white background). */
function inkOf(id: string, p: Page = page): Promise<number> {
  return p.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as Canvas2D;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i + 3] ?? 0) > 0 && !(data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255)) ink++;
    return ink;
  }, id);
}

interface ChartSeries {
  label: string;
  values: (number | null)[];
}

function chartData(id: string, p: Page = page): Promise<{ labels: string[]; series: ChartSeries[] }> {
  return p.evaluate((canvasId) => {
    const chart = window.Chart.getChart(document.getElementById(canvasId));
    if (!chart) throw new Error(`no chart on #${canvasId}`);
    return { labels: chart.data.labels.map(String), series: chart.data.datasets.map((d) => ({ label: d.label, values: d.data })) };
  }, id);
}

const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  it('refuses without login: a page redirects to the login form, the API answers 401', async () => {
    await page.goto(`${h.base}/dashboard/model`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard/model');
    const api = await page.request.get(`${h.base}/dashboard/api/overview`);
    expect(api.status()).toBe(401);
    await shot('0-login');
  });

  it('logs in (a wrong password first) and lands on the page it asked for', async () => {
    await page.fill('input[name=name]', 'alice');
    await page.fill('input[name=password]', 'not it');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.error')).toContain('Wrong password');
    await page.fill('input[name=name]', 'alice');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/dashboard\/model/);
    await ready();
    expect(await page.textContent('header .user')).toBe('alice');
    const cookie = (await context.cookies()).find((c) => c.name === 'toxguard_dashboard');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('overview: charts drawn from the pipeline\'s verdicts match the store\'s counts; word cloud and channels', async () => {
    await page.goto(`${h.base}/dashboard/`);
    await ready();
    const since = await page.evaluate(() => window.dashboardData.timeline.since);
    const stats = await h.store.stats(undefined, since);
    expect(stats.verdicts).toBeGreaterThan(20);

    const byLabel = await chartData('chart-labels');
    for (const l of LABELS) expect(sum(byLabel.series.find((s) => s.label === l)?.values ?? []), l).toBe(stats.flaggedByLabel[l]);
    expect(sum(byLabel.series.find((s) => s.label === 'all verdicts')?.values ?? [])).toBe(stats.verdicts);
    const distribution = await chartData('chart-distribution');
    expect(distribution.series[0]?.values).toEqual(LABELS.map((l) => stats.flaggedByLabel[l]));
    const byAction = await chartData('chart-actions');
    const flagActions = Object.values(stats.actions.flag).reduce((a, b) => a + b, 0);
    expect(sum(byAction.series.find((s) => s.label === 'flag')?.values ?? [])).toBe(flagActions);
    expect(sum(byAction.series.find((s) => s.label === 'log-only')?.values ?? [])).toBeGreaterThan(0); // g2 is log-only
    const outbox = await chartData('chart-outbox');
    expect(sum(outbox.series.find((s) => s.label === 'pending')?.values ?? [])).toBe(Object.values(stats.actions).reduce((a, k) => a + k.pending, 0));
    for (const id of ['chart-labels', 'chart-actions', 'chart-distribution', 'chart-outbox']) expect(await inkOf(id), id).toBeGreaterThan(500);

    await page.waitForSelector('#wordcloud[data-drawn="1"]', { timeout: 20_000 });
    expect(await inkOf('wordcloud')).toBeGreaterThan(500);
    const terms = await page.$$eval('#terms .term', (els) => els.map((e) => e.textContent ?? ''));
    const sent = [...TOXIC, ...CLEAN].map((t) => t.toLowerCase());
    expect(terms.length).toBeGreaterThan(3);
    // Every term is words the model highlighted in a message the pipeline stored.
    for (const t of terms) expect(sent.some((x) => x.includes(t)), t).toBe(true);
    const channels = await page.$$eval('#channels tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(channels.map((c) => c[0])).toEqual(expect.arrayContaining(['g1 / general', 'g1 / memes', 'g1 / offtopic', 'g2 / lobby']));
    await shot('1-overview');

    // Filtered to one server, the charts follow the store's counts for that server.
    await page.selectOption('#server', 'g2');
    await ready();
    await expect.poll(async () => sum((await chartData('chart-labels')).series.find((s) => s.label === 'all verdicts')?.values ?? [])).toBe((await h.store.stats('g2', since)).verdicts);
  });

  it('review queue: confirm with c, move with j/k, overturn with o; decisions stored as from the dashboard', async () => {
    await page.goto(`${h.base}/dashboard/review?server=g1`);
    await ready();
    const ids = await page.$$eval('#queue > li.item', (els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids.length).toBe((await h.store.listReviews('g1', { status: 'pending', limit: 200 })).length);
    expect(ids.length).toBeGreaterThan(3);
    // The meme message: thumbnail loaded from the platform link, OCR text shown.
    const meme = page.locator('#queue > li.item', { has: page.locator('img.thumb') });
    await expect.poll(() => meme.locator('img.thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect((await meme.locator('blockquote.ocr').textContent())?.toLowerCase()).toContain('idiot');
    expect(await page.locator('#queue mark').count()).toBeGreaterThan(3);
    await shot('2-review');

    const [first, second] = ids as [number, number];
    await page.keyboard.press('c');
    await page.waitForSelector(`#queue > li[data-id="${first}"].confirmed`);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('o');
    await page.waitForSelector(`#queue > li[data-id="${second}"].overturned`);
    expect((await h.store.getReview(first))?.status).toBe('confirmed');
    expect((await h.store.getReview(second))?.status).toBe('overturned');
    expect(await h.store.reviewHistory(first)).toEqual([expect.objectContaining({ decision: 'confirmed', source: 'dashboard', moderatorId: 'alice' })]);
    expect(await h.store.reviewHistory(second)).toEqual([expect.objectContaining({ decision: 'overturned', source: 'dashboard', moderatorId: 'alice' })]);
    // And by button.
    const third = ids[2] as number;
    await page.click(`#queue > li[data-id="${third}"] button[data-decision="dismissed"]`);
    await page.waitForSelector(`#queue > li[data-id="${third}"].dismissed`);
    expect((await h.store.getReview(third))?.status).toBe('dismissed');
    await shot('3-review-decided');
  });

  it('policies: edit a threshold; the policy and an audit row are stored, and the trail shows it', async () => {
    await page.goto(`${h.base}/dashboard/policies?server=g1`);
    await ready();
    const before = (await h.store.listPolicyAudit('g1')).length;
    await page.fill('input[name="actions.alert.thresholds.insult"]', '0.85');
    await expect.poll(() => page.textContent('#changes')).toBe('1 unsaved change');
    await page.click('#save');
    await expect.poll(() => page.textContent('#status')).toContain('Saved 1 change');
    await ready();
    expect((await h.policies.get('g1')).actions.alert.thresholds.insult).toBe(0.85);
    const audit = await h.store.listPolicyAudit('g1');
    expect(audit).toHaveLength(before + 1);
    expect(audit[0]).toMatchObject({ actor: 'alice', source: 'dashboard' });
    expect((audit[0]?.after as { actions: { alert: { thresholds: { insult: number } } } }).actions.alert.thresholds.insult).toBe(0.85);
    const row = await page.textContent('#audit tbody tr:first-child');
    expect(row).toContain('alice');
    expect(row).toContain('actions.alert.thresholds.insult');
    expect(await page.textContent('#summary')).toContain('insult 0.85');
    await shot('4-policies');

    // A bad value is refused with the schema's message and changes nothing.
    await page.fill('input[name="actions.delete.thresholds.toxic"]', '');
    await page.fill('#raw-key', 'actions.delete.thresholds.insutl');
    await page.fill('#raw-value', '0.9');
    await page.click('#save');
    await expect.poll(() => page.textContent('#status')).toContain('insutl');
    expect(await h.store.listPolicyAudit('g1')).toHaveLength(before + 1);
  });

  it('model: card, thresholds, runs, agreement from the decisions just made, and the drift state', async () => {
    await page.goto(`${h.base}/dashboard/model?server=g1`);
    await ready();
    expect(await page.textContent('#card')).toContain(`Model card: builtin ${h.scorer.version}`);
    const agreement = await chartData('chart-agreement');
    const decided = (await h.store.listReviews('g1', { limit: 200 })).filter((r) => r.status === 'confirmed' || r.status === 'overturned');
    const expected = LABELS.map((l) => {
      const forLabel = decided.filter((r) => r.verdict.decision.triggered.some((t) => t.label === l && r.verdict.scores[l] >= t.threshold));
      const confirmed = forLabel.filter((r) => r.status === 'confirmed').length;
      return forLabel.length ? Math.round((confirmed / forLabel.length) * 1000) / 10 : null;
    });
    expect(agreement.series[0]?.values).toEqual(expected);
    expect(expected.some((x) => x !== null)).toBe(true);
    expect(await inkOf('chart-agreement')).toBeGreaterThan(200);
    const thresholds = await page.$$eval('#thresholds tbody tr', (rows) => rows.map((r) => Number(r.querySelectorAll('td')[1]?.textContent)));
    expect(thresholds).toEqual(LABELS.map((l) => Number(h.scorer.thresholds[l].toFixed(3))));
    if (existsSync('runs')) expect(await page.locator('#runs tbody tr').count()).toBeGreaterThan(0);
    // Drift comes from monitoring: until a day is computed the page says so instead of inventing figures.
    expect(await page.locator('#no-drift').count()).toBe(1);
    const drift = (await computeDrift(h)).filter((r) => r.serverId === 'g1');
    expect(drift.length).toBeGreaterThan(0);
    await page.reload();
    await ready();
    expect(await page.locator('#drift-table tbody tr').count()).toBe(drift.length);
    const psi = (await chartData('chart-drift')).series;
    for (const r of drift.filter((x) => x.metric === 'score')) expect(psi.find((s) => s.label === `${r.label} score PSI`)?.values.at(-1), r.label).toBeCloseTo(r.value, 10);
    expect(await inkOf('chart-drift')).toBeGreaterThan(200);
    await shot('5-model');
  });

  it('Try it: a text and a meme image, with OCR text, scores and highlighted words; nothing recorded', async () => {
    const verdicts = (await h.store.stats(undefined, '0000')).verdicts;
    await page.goto(`${h.base}/dashboard/try?server=g1`);
    await ready();
    await page.fill('#try-text', 'you are a stupid idiot');
    await page.click('#try-submit');
    await page.waitForSelector('#try-highlight mark');
    const marked = await page.$$eval('#try-highlight mark', (els) => els.map((e) => e.textContent ?? '').join(' '));
    const [direct] = await h.scorer.scoreBatch(['you are a stupid idiot'], { explain: true });
    expect(marked).toBe((direct?.spans ?? []).map(([s, e]) => 'you are a stupid idiot'.slice(s, e)).join(' '));
    expect(await page.getAttribute('#try-verdict', 'class')).toContain('flagged');
    await shot('6-try-text');

    await page.fill('#try-text', '');
    await page.setInputFiles('#try-image', { name: 'meme.png', mimeType: 'image/png', buffer: await renderMeme({ top: 'you are a worthless idiot', bottom: 'nobody likes you', seed: 11 }) });
    await page.click('#try-submit');
    await page.waitForSelector('#try-ocr-0', { timeout: 30_000 });
    const ocr = (await page.textContent('#try-ocr-0')) ?? '';
    expect(ocr.toLowerCase()).toContain('idiot');
    expect(await page.locator('#try-ocr-0 mark').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('#try-verdict', 'class')).toContain('flagged');
    expect(await page.locator('#try-result img.thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(600);
    await shot('7-try-image');
    expect((await h.store.stats(undefined, '0000')).verdicts).toBe(verdicts);
  });

  it('no script errors or CSP violations on any page', () => {
    // The two refusals the scenarios provoke on purpose: the wrong password and the misspelt policy key.
    const expected = [/status of 401 \(Unauthorized\)/, /status of 400 \(Bad Request\)/];
    expect(pageErrors.filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
    expect(pageErrors).toHaveLength(2);
  });
});

const pgAbsent = pgMissing();
if (pgAbsent) console.warn(`[toxguard] SKIPPED: the dashboard in Chromium on PostgreSQL: ${pgAbsent}`);

describe.skipIf(!hasChromium || pgAbsent !== '')('dashboard in Chromium on PostgreSQL', () => {
  let pgH: Harness;
  let pgPage: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    pgH = await startDashboard({ backend: 'postgres' });
    await seed(pgH);
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    pgPage = await ctx.newPage();
    pgPage.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    pgPage.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    await pgPage.goto(`${pgH.base}/dashboard/`);
    await pgPage.fill('input[name=name]', 'bob');
    await pgPage.fill('input[name=password]', PASSWORD);
    await pgPage.click('button[type=submit]');
    await pgPage.waitForURL(/\/dashboard\/$/);
  });
  afterAll(async () => pgH?.close());

  it('overview: the charts are drawn from PostgreSQL and match the store\'s counts', async () => {
    expect(pgH.store.backend).toBe('postgres');
    await ready(pgPage);
    const since = await pgPage.evaluate(() => window.dashboardData.timeline.since);
    const stats = await pgH.store.stats(undefined, since);
    expect(stats.verdicts).toBeGreaterThan(20);
    const byLabel = await chartData('chart-labels', pgPage);
    for (const l of LABELS) expect(sum(byLabel.series.find((s) => s.label === l)?.values ?? []), l).toBe(stats.flaggedByLabel[l]);
    expect(sum(byLabel.series.find((s) => s.label === 'all verdicts')?.values ?? [])).toBe(stats.verdicts);
    const byAction = await chartData('chart-actions', pgPage);
    expect(sum(byAction.series.find((s) => s.label === 'flag')?.values ?? [])).toBe(Object.values(stats.actions.flag).reduce((a, b) => a + b, 0));
    expect(sum(byAction.series.find((s) => s.label === 'log-only')?.values ?? [])).toBeGreaterThan(0);
    for (const id of ['chart-labels', 'chart-actions', 'chart-distribution']) expect(await inkOf(id, pgPage), id).toBeGreaterThan(500);
    await pgPage.waitForSelector('#wordcloud[data-drawn="1"]', { timeout: 20_000 });
    expect(await pgPage.locator('#terms .term').count()).toBeGreaterThan(3);
    const channels = await pgPage.$$eval('#channels tbody tr', (rows) => rows.map((r) => r.querySelector('td')?.textContent ?? ''));
    expect(channels).toEqual(expect.arrayContaining(['g1 / general', 'g1 / memes', 'g1 / offtopic', 'g2 / lobby']));
    await pgPage.screenshot({ path: join(shots, 'pg-1-overview.png'), fullPage: true });
  });

  it('review: a decision by button is stored in PostgreSQL and shows on the Model page\'s agreement', async () => {
    await pgPage.goto(`${pgH.base}/dashboard/review?server=g1`);
    await ready(pgPage);
    const ids = await pgPage.$$eval('#queue > li.item', (els) => els.map((e) => Number(e.getAttribute('data-id'))));
    expect(ids.length).toBe((await pgH.store.listReviews('g1', { status: 'pending', limit: 200 })).length);
    const [first, second] = ids as [number, number];
    await pgPage.click(`#queue > li[data-id="${first}"] button[data-decision="confirmed"]`);
    await pgPage.waitForSelector(`#queue > li[data-id="${first}"].confirmed`);
    await pgPage.click(`#queue > li[data-id="${second}"] button[data-decision="overturned"]`);
    await pgPage.waitForSelector(`#queue > li[data-id="${second}"].overturned`);
    expect(await pgH.store.reviewHistory(first)).toEqual([expect.objectContaining({ decision: 'confirmed', source: 'dashboard', moderatorId: 'bob' })]);
    expect((await pgH.store.getReview(second))?.status).toBe('overturned');

    await pgPage.goto(`${pgH.base}/dashboard/model?server=g1`);
    await ready(pgPage);
    const agreement = (await chartData('chart-agreement', pgPage)).series[0]?.values ?? [];
    // Worked out here from the review items themselves, not by the query behind the chart.
    const decided = (await pgH.store.listReviews('g1', { limit: 200 })).filter((r) => r.status === 'confirmed' || r.status === 'overturned');
    expect(decided).toHaveLength(2);
    const expected = LABELS.map((l) => {
      const forLabel = decided.filter((r) => r.verdict.decision.triggered.some((t) => t.label === l && r.verdict.scores[l] >= t.threshold));
      return forLabel.length ? Math.round((forLabel.filter((r) => r.status === 'confirmed').length / forLabel.length) * 1000) / 10 : null;
    });
    expect(agreement).toEqual(expected);
    expect(expected.some((x) => x !== null)).toBe(true);
    await pgPage.screenshot({ path: join(shots, 'pg-2-model.png'), fullPage: true });
  });

  it('no script errors on PostgreSQL either', () => {
    expect(errors).toEqual([]);
  });
});

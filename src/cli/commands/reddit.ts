import type { Command } from 'commander';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig, loadSecrets, REDACT_PATHS } from '../../config/config.js';
import { ModerationPipeline } from '../../core/pipeline.js';
import { scanFile } from '../../core/scan.js';
import { Store } from '../../store/index.js';
import { progressBar } from '../../util/progress.js';
import { SubredditNameSchema, serverIdOf } from '../../bots/reddit/config.js';
import { login, redditClient } from '../../bots/reddit/index.js';
import { Members } from '../../bots/reddit/members.js';
import { exportRowToMessage, LogOnlyPolicies, parseDuration, scanSubreddit, type ScanListing } from '../../bots/reddit/scan.js';

interface ScanOpts {
  since: string;
  listings: string;
  file?: string;
  config?: string;
  db?: string;
  model?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const reddit = program.command('reddit').description('Reddit: batch analysis of a subreddit (the live adapter runs inside `toxguard serve`)');
  reddit
    .command('scan')
    .description('read what a subreddit posted in a window (or an export file of it) into the database, without acting; resumable')
    .argument('<subreddit>', 'r/<name> or <name>')
    .option('--since <duration>', 'how far back: 90m, 24h, 7d', '24h')
    .option('--listings <list>', 'comments, new (posts), or both', 'comments,new')
    .option('--file <export>', 'read an export (JSONL or CSV: id, body or title/selftext, author, created_utc or date, link_id or permalink) instead of the API')
    .option('-c, --config <file>', 'config file')
    .option('--db <file>', 'SQLite file (config database.path)')
    .option('-m, --model <spec>', 'model spec (config model)')
    .option('-q, --quiet', 'no progress bar')
    .action(async (name: string, opts: ScanOpts) => {
      const parsedName = SubredditNameSchema.safeParse(name);
      if (!parsedName.success) throw new Error(`"${name}" is not a subreddit name: ${parsedName.error.issues[0]?.message ?? ''}`);
      const subreddit = parsedName.data;
      const config = loadConfig({ file: opts.config });
      const secrets = loadSecrets();
      if (!opts.file && !secrets.redditClientId) {
        throw new Error('REDDIT_CLIENT_ID is not set: scanning over the API needs the moderator account\'s Reddit app (README, "Reddit adapter"); without API access, scan an export with --file');
      }
      const scorer = await loadScorer(opts.model ?? config.model);
      const dbPath = resolve(opts.db ?? config.database.path);
      mkdirSync(dirname(dbPath), { recursive: true });
      const store = await Store.open(dbPath, { storeText: config.database.storeText });
      // Batch mode never acts: every verdict is recorded as log-only, whatever the subreddit's policy.
      const pipeline = new ModerationPipeline({ scorer, store, policies: new LogOnlyPolicies(store, scorer.thresholds), ...config.pipeline });
      try {
        if (opts.file) {
          const bar = progressBar(`scan r/${subreddit}`, statSync(opts.file).size, { quiet: opts.quiet });
          const result = await scanFile({
            file: opts.file,
            store,
            pipeline,
            serverId: serverIdOf(subreddit),
            toMessage: (row) => exportRowToMessage(row, subreddit),
            onProgress: (_line, bytes) => bar.update(bytes),
            onBadLine: (line, reason) => process.stderr.write(`toxguard reddit scan: line ${line}: ${reason}\n`),
          });
          bar.stop();
          process.stdout.write(
            `${result.scanned} items of r/${subreddit} scanned from ${opts.file} (${result.lines} lines${result.resumedFrom ? `, resumed after line ${result.resumedFrom}` : ''}, ${result.bad} bad) into ${dbPath} as server ${serverIdOf(subreddit)}\n`,
          );
          if (result.bad > 0) process.exitCode = 1;
          return;
        }
        const listings = opts.listings.split(',').map((s) => s.trim()).filter(Boolean);
        for (const l of listings) if (l !== 'comments' && l !== 'new') throw new Error(`--listings: "${l}" is not one of comments, new`);
        const logger = pino({ name: 'toxguard', level: 'warn', redact: { paths: REDACT_PATHS, censor: '[secret]' } }, pino.destination(2));
        const client = redditClient(config.reddit, secrets, { logger });
        await login(client);
        const members = await new Members(client, 0, logger).of(subreddit);
        const sinceUtc = Math.floor((Date.now() - parseDuration(opts.since)) / 1000);
        const bar = progressBar(`scan r/${subreddit}`, 100, { quiet: opts.quiet });
        const result = await scanSubreddit({
          client,
          store,
          pipeline,
          subreddit,
          sinceUtc,
          listings: listings as ScanListing[],
          pageSize: config.reddit.pageSize,
          people: { ...members, exemptApprovedUsers: config.reddit.exemptApprovedUsers },
          onProgress: (p) => bar.update(Math.round(p.fraction * 100), { info: `${p.listing}: ${p.items} items` }),
        });
        bar.stop();
        const s = client.stats;
        process.stdout.write(
          `${result.items} items of r/${subreddit} scanned (${result.pages} pages${result.resumed.length ? `, resumed ${result.resumed.join(' and ')}` : ''}) into ${dbPath} as server ${serverIdOf(subreddit)}, nothing acted on; ` +
            `${result.seconds.toFixed(1)} s, ${result.itemsPerSecond.toFixed(0)} items/s, ${s.requests} API requests, ${s.rateLimitWaits} rate-limit waits (${(s.rateLimitWaitMs / 1000).toFixed(1)} s), ${s.tooManyRequests} answered 429\n`,
        );
      } finally {
        await pipeline.drain();
        await store.close();
      }
    });
}

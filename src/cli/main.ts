#!/usr/bin/env node
// toxguard's command line: one module per command, each exporting register(program).
import { Command } from 'commander';
import * as check from './commands/check.js';
import * as classify from './commands/classify.js';
import * as evaluate from './commands/eval.js';
import * as train from './commands/train.js';
import * as runs from './commands/runs.js';
import * as models from './commands/models.js';
import * as serve from './commands/serve.js';
import * as scan from './commands/scan.js';
import * as db from './commands/db.js';
import * as ocr from './commands/ocr.js';
import * as drift from './commands/drift.js';
import * as reddit from './commands/reddit.js';

const program = new Command()
  .name('toxguard')
  .description('Self-hosted toxicity moderation: local model, meme OCR, SQLite audit trail.')
  .showHelpAfterError();

for (const command of [serve, scan, reddit, db, check, classify, ocr, evaluate, train, runs, models, drift]) command.register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`toxguard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

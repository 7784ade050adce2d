// One process of the two-process PostgreSQL pipeline benchmark (bench/pipeline.ts): warms up, says
// `ready`, waits for `go` on stdin, moderates its messages, prints its run as JSON.
import { loadScorer } from '../src/classifier/registry.js';
import { runPipeline } from './pipeline.js';

const [url = '', n = '0', prefix = 'p-'] = process.argv.slice(2);
const scorer = await loadScorer('builtin');
const go = (): Promise<void> =>
  new Promise((done) => {
    process.stdout.write('ready\n');
    process.stdin.on('data', (d: Buffer) => {
      if (d.toString().includes('go')) done();
    });
  });
const run = await runPipeline(scorer, url, Number(n), prefix, go);
process.stdout.write(`${JSON.stringify(run)}\n`);
process.exit(0);

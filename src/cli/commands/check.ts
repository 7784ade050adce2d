import type { Command } from 'commander';
import { LABELS } from '../../classifier/labels.js';
import { loadScorer } from '../../classifier/registry.js';
import { loadConfig } from '../../config/config.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('score one text: the six label probabilities and the words that drove each flagged label')
    .argument('<text...>', 'the text to score')
    .option('-m, --model <spec>', 'model name, folder, hf:<dir>, or a+b to average')
    .option('--json', 'print JSON')
    .action(async (words: string[], opts: { model?: string; json?: boolean }) => {
      const text = words.join(' ');
      const scorer = await loadScorer(opts.model ?? loadConfig().model);
      const [prediction] = await scorer.scoreBatch([text], { explain: true });
      if (!prediction) throw new Error('the model returned no prediction');
      if (opts.json) {
        process.stdout.write(JSON.stringify({ text, model: scorer.name, ...prediction }) + '\n');
        return;
      }
      const out = [`model ${scorer.name}@${scorer.version}`];
      for (const label of LABELS) {
        const p = prediction.scores[label];
        const flagged = p >= scorer.thresholds[label];
        const bar = '#'.repeat(Math.round(p * 20)).padEnd(20, '.');
        const why = flagged && prediction.reasons?.[label]?.length
          ? `  <- ${prediction.reasons[label].map((r) => `"${r.text}"`).join(', ')}`
          : '';
        out.push(`${label.padEnd(14)} ${p.toFixed(3)} ${bar} ${flagged ? 'FLAGGED' : '       '} (threshold ${scorer.thresholds[label].toFixed(2)})${why}`);
      }
      if (prediction.spans?.length) {
        const marked = prediction.spans.map(([s, e]) => `[${text.slice(s, e)}]`).join(' ');
        out.push(`spans: ${marked}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}

import cliProgress from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  update(value: number, payload?: Record<string, string>): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout stays clean for machine-readable output). Off when `quiet`
 * or when stderr is not a terminal and TOXGUARD_PROGRESS is not set (CI logs stay readable).
 */
export function progressBar(title: string, total: number, options: { quiet?: boolean } = {}): Progress {
  const enabled = !options.quiet && (process.stderr.isTTY || process.env.TOXGUARD_PROGRESS === '1');
  if (!enabled) return { increment() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${title.padEnd(18)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left {info}`,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    increment: (by = 1) => bar.increment(by),
    update: (value, payload) => bar.update(value, payload ?? {}),
    stop: () => bar.stop(),
  };
}

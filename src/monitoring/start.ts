// What `serve` calls: the drift monitor for the active model, started (or undefined when off).
import type { Logger } from 'pino';
import type { Scorer } from '../classifier/scorer.js';
import type { Metrics } from '../server/metrics.js';
import type { Store } from '../store/index.js';
import type { MonitoringConfig } from './config.js';
import { DriftMonitor } from './monitor.js';
import { REFERENCE_FILE, referenceForSpec } from './reference.js';

export interface StartDriftOptions {
  /** The model spec serve loaded (name, folder, hf:, a+b). */
  spec: string;
  scorer: Pick<Scorer, 'name' | 'version'>;
  store: Store;
  metrics?: Metrics;
  config: MonitoringConfig;
  logger: Logger;
}

export function startDriftMonitor(options: StartDriftOptions): DriftMonitor | undefined {
  const { config, logger } = options;
  if (!config.enabled) {
    logger.info('drift monitoring: monitoring.enabled is false');
    return undefined;
  }
  const model = `${options.scorer.name}@${options.scorer.version}`;
  let reference;
  try {
    reference = referenceForSpec(options.spec).reference;
  } catch (err) {
    logger.warn({ err }, `drift monitoring: the model's ${REFERENCE_FILE} could not be read; only the no-text share and OCR failures are monitored`);
  }
  if (!reference) logger.info({ model }, `drift monitoring: the model has no ${REFERENCE_FILE} (toxguard models reference); only the no-text share and OCR failures are monitored`);
  else if (`${reference.model.name}@${reference.model.version}` !== model) {
    logger.warn({ model, reference: reference.model }, `drift monitoring: ${REFERENCE_FILE} was made for another model version; score drift compares only that version's verdicts`);
  }
  const monitor = new DriftMonitor({ store: options.store, reference, model, config, metrics: options.metrics, logger });
  monitor.start();
  return monitor;
}

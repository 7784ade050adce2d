// Model monitoring: drift of live traffic away from the model's training reference.
export { MonitoringConfigSchema, type MonitoringConfig } from './config.js';
export { computeDayDrift, isOcrFailure, type DriftBounds } from './drift.js';
export { DriftMonitor, describeDrift, type DriftAlert, type DriftAlertListener, type DriftMonitorOptions } from './monitor.js';
export { psi, histogram, mergeTail, binOf, codePoints, SCORE_EDGES, LENGTH_EDGES } from './psi.js';
export { computeReference, loadReference, saveReference, referenceForSpec, REFERENCE_FILE, type ModelReference } from './reference.js';
export { startDriftMonitor, type StartDriftOptions } from './start.js';

// Meme OCR: tesseract.js workers + sharp preprocessing + safety limits. See engine.ts.
export { TesseractOcr, type OcrOptions } from './engine.js';
export { OcrConfigSchema, type OcrConfig } from './config.js';
export { ImageRefused } from './refusal.js';
export { errorCounts, corpusRates, normaliseForScoring } from './text-metrics.js';

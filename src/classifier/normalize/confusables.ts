// Cyrillic, Greek and other look-alikes of Latin letters that abusers swap in to dodge filters
// (a small, hand-picked subset of Unicode's confusables.txt: the letters that actually look alike).
export const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ɡ: 'g', һ: 'h', ԛ: 'q', ԝ: 'w', ү: 'y', ӏ: 'l', ɩ: 'i', п: 'n',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y',
  ω: 'w', μ: 'u', ϲ: 'c', ϳ: 'j',
  // Latin-ish symbols and IPA letters
  ı: 'i', ɑ: 'a', ø: 'o', đ: 'd', ħ: 'h', ł: 'l', ŀ: 'l', ß: 'ss', æ: 'ae', œ: 'oe', ʀ: 'r', ʏ: 'y', ᴀ: 'a',
  ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o',
  ᴘ: 'p', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};

/**
 * Latin letters in leetspeak: digits and symbols that stand for letters inside words. Some are
 * ambiguous (1 is i or l, 6 is g or b): the first reading is the default, the others are tried
 * against the lexicon.
 */
export const LEET: Record<string, readonly string[]> = {
  '0': ['o'], '1': ['i', 'l'], '3': ['e'], '4': ['a'], '5': ['s'], '6': ['g', 'b'], '7': ['t'], '8': ['b'], '9': ['g'],
  '@': ['a'], $: ['s'], '!': ['i', 'l'], '|': ['l', 'i'], '+': ['t'], '€': ['e'], '£': ['l'], '¡': ['i'],
};

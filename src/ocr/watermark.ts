// Meme-generator and meme-site watermarks ("imgflip.com", "made with mematic", "memes at
// relatably.com"): kept in the record, but not classified (they would make every meme from a
// site look alike, and they are not what the author wrote).
const DOMAIN = /\b[a-z0-9-]{2,}\s?\.\s?(com|net|org|co|io|me|ly|gg|tv|fm|us|uk|ru)\b/i;
const GENERATORS = /\b(imgflip|memegenerator|mematic|makeameme|quickmeme|memecenter|9gag|ifunny|imgur|inngur|memedroid|funnyjunk|relatably|me\.me|cheezburger|memecrunch|kapwing)\b/i;
const MADE_WITH = /\b(made (with|on|by|at)|created (with|on)|memes? (at|from|on))\b/i;

export function isWatermarkLine(line: string): boolean {
  return GENERATORS.test(line) || MADE_WITH.test(line) || (DOMAIN.test(line) && line.trim().split(/\s+/).length <= 8);
}

/** Splits recognised lines into the text to classify and the watermark lines. */
export function splitWatermarks(lines: readonly string[]): { text: string; watermarks: string[] } {
  const kept: string[] = [];
  const watermarks: string[] = [];
  for (const line of lines) (isWatermarkLine(line) ? watermarks : kept).push(line);
  return { text: kept.join('\n'), watermarks };
}

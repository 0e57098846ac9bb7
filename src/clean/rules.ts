/**
 * The cleaning rules, in one place. Each rule is a named test on ONE line of a paragraph
 * (paragraphs are split on "\n", so a caption that arrived after a <br> is still its own line).
 * A line that matches any rule is dropped. The dateline rule is different: it removes a prefix
 * of the lead paragraph and returns it as metadata (see `splitDateline` at the bottom).
 *
 * Ground rules for every pattern here:
 *  - anchored (^…$ or …$) so that a sentence merely *mentioning* a photo, Telegram or "by" survives;
 *  - case-sensitive where capitals carry the meaning ("PHOTO: REUTERS" vs "the photo was…");
 *    never combine the `i` and `u` flags with \p{Lu} (under /iu, \p{Lu} also matches lower case);
 *  - short lines only (`maxLength`): captions, promos and bylines are short, and the cap keeps
 *    hostile 10,000-character lines cheap;
 *  - no text may be matchable two ways (e.g. `\s*(?:\s*&)`): that backtracks exponentially.
 *    tests/clean/rules.test.ts times every rule on adversarial lines.
 */

export interface LineRule {
  /** Short kebab-case name, used by tests and when debugging why a line vanished. */
  readonly name: string;
  /** What kind of furniture the rule removes. */
  readonly kind: "caption" | "promo" | "byline";
  /** Lines longer than this are never matched. */
  readonly maxLength: number;
  readonly pattern: RegExp;
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** A capitalised name word: "Reuters", "McNamee", "ST", "AFP", "D.C.", "EPA-EFE", "@user". */
const NAME_WORD = String.raw`[\p{Lu}@][\p{L}\p{N}'’.&@-]*`;
/** Lower-case particles allowed inside personal names: "Ursula von der Leyen", "Ali bin Said". */
const PARTICLE = String.raw`(?:de|da|di|do|dos|du|van|von|der|den|ter|la|le|el|al|bin|binti|ibn)`;
/** A person's name: up to six words, capitalised or particles. */
const PERSON = String.raw`${NAME_WORD}(?:\s+(?:${PARTICLE}\s+)*${NAME_WORD}){0,5}`;
/** A photo/agency credit: capitalised words joined by spaces, "/", ",", "|", "and", "via", "for"… */
const CREDIT = String.raw`(?:[Cc]ourtesy (?:of )?)?${NAME_WORD}(?:(?:\s*[,/|]\s*|\s+(?:and|of|via|for|from|on|courtesy of)\s+|\s+)${NAME_WORD})*`;
/** Agencies and picture libraries whose name alone on a line is a credit. */
const AGENCY = String.raw`(?:Getty Images|Getty|AFP|Reuters|REUTERS|AP|EPA|EPA-EFE|Shutterstock|Alamy|PA|PA Images|PA Wire|Bloomberg|Xinhua|XINHUA|ANP|AAP|Anadolu|Unsplash|Pexels|iStock|Corbis|SIPA|Sipa|NurPhoto|ZUMA|Zuma|ST FILE|ST)`;
/** A social network or channel a promo would send you to. */
const NETWORK = String.raw`(?:Twitter|X|Facebook|Instagram|Telegram|WhatsApp|TikTok|YouTube|LinkedIn|Threads|Bluesky|Mastodon|Google News|Flipboard|Signal|Discord)`;

const re = (source: string, flags = "u"): RegExp => new RegExp(source, flags);

// ---------------------------------------------------------------------------------------------
// Captions and credits
// ---------------------------------------------------------------------------------------------

export const CAPTION_RULES: readonly LineRule[] = [
  {
    // "… set up in Xinjiang in accordance with laws are schools. PHOTO: REUTERS"
    // "ST PHOTO: JASON QUAH", "PHOTOS: AFP, REUTERS", "PHOTO: ST FILE". Capitals only: "the photo: …" survives.
    name: "caps-photo-credit-at-end",
    kind: "caption",
    maxLength: 600,
    pattern: re(String.raw`(?:^|[\s(])(?:PHOTO|PHOTOS|PICTURE|PICTURES|IMAGE|IMAGES|VIDEO|GRAPHIC|ILLUSTRATION)\s*:\s*${CREDIT}\)?\s*$`),
  },
  {
    // Guardian-style: "… at the Capitol. Photograph: Win McNamee/Getty Images"
    name: "photograph-credit-at-end",
    kind: "caption",
    maxLength: 600,
    pattern: re(String.raw`(?:^|\s)(?:Photo|Photos|Photograph|Photographs|Picture|Illustration|Composite|Image)\s*:\s*${CREDIT}\)?\s*$`),
  },
  {
    // "… in Kabul on Monday. (Photo: AFP)", "(Photo by John Smith)", "(File photo: Reuters)."
    name: "parenthesised-photo-credit",
    kind: "caption",
    maxLength: 600,
    pattern:
      /\((?:[Pp]hotos?|PHOTOS?|[Pp]hotograph|[Pp]ictures?|[Pp]ic|[Ii]mage|[Ff]ile [Pp]hoto|FILE PHOTO|[Cc]redit)\s*(?::|by\b)[^()]*\)\s*\.?$/u,
  },
  {
    // "Photo by Jane Doe on Unsplash" (user names may be lower case there), "Photo by John Smith".
    name: "photo-by",
    kind: "caption",
    maxLength: 160,
    pattern: re(
      String.raw`^(?:(?:Header |Cover |Feature )?(?:Photo|Photograph|Picture|Image|Illustration)s? (?:by|courtesy of) (?:${CREDIT}|.{1,60} on (?:Unsplash|Pexels|Pixabay|Flickr))\.?$)`,
    ),
  },
  {
    // BBC: "Image caption, Protesters …", "Image source, Getty Images", "Media caption, …".
    name: "bbc-image-caption",
    kind: "caption",
    maxLength: 600,
    pattern: /^(?:Image|Media|Video|Audio) (?:caption|source|copyright)\b/u,
  },
  {
    // "Credit: John Smith", "Photo credit: …", NYT "Credit…Doug Mills/The New York Times".
    name: "credit-line",
    kind: "caption",
    maxLength: 200,
    pattern: /^(?:(?:Photo|Image|Picture|Video|Header image) )?(?:[Cc]redits?|CREDITS?)\s*(?::|\.\.\.|…)/u,
  },
  {
    // Trailing NYT credit on a caption line: "… on Tuesday.Credit…Doug Mills/The New York Times"
    name: "credit-at-end",
    kind: "caption",
    maxLength: 600,
    pattern: re(String.raw`Credit\s*(?::|\.\.\.|…)\s*${CREDIT}\s*$`),
  },
  {
    // Reuters captions: "FILE PHOTO: A view shows …", ending "REUTERS/Dado Ruvic/Illustration/File Photo".
    name: "file-photo-caption",
    kind: "caption",
    maxLength: 600,
    pattern: /^(?:FILE PHOTO|File photo|File Photo)\s*:/u,
  },
  {
    name: "reuters-photographer-at-end",
    kind: "caption",
    maxLength: 600,
    pattern: re(String.raw`\bREUTERS\/${CREDIT}\s*$`),
  },
  {
    // A line that is nothing but a credit ending in an agency: "Getty Images", "AFP via Getty Images",
    // "John Smith/Getty Images", "EPA-EFE/Shutterstock", "Getty Images for Netflix".
    // A title-case heading that merely contains an agency ("Why Reuters Matters") survives.
    name: "agency-credit-only",
    kind: "caption",
    maxLength: 80,
    pattern: re(String.raw`^(?=.*\b${AGENCY}(?:\s+for\s+.+)?$)${CREDIT}$`),
  },
];

// ---------------------------------------------------------------------------------------------
// Promotions and boilerplate
// ---------------------------------------------------------------------------------------------

export const PROMO_RULES: readonly LineRule[] = [
  {
    // "Join ST's Telegram channel and get the latest breaking news delivered to you."
    // "Join us on WhatsApp". Not "He joined the Telegram group in March." (must start with "Join us/our/X's").
    name: "join-our-channel",
    kind: "promo",
    maxLength: 200,
    pattern: re(
      String.raw`^Join (?:us|our|${NAME_WORD}['’]s?)\b.{0,120}\b(?:${NETWORK}|channel|community|newsletter|mailing list|group)\b`,
    ),
  },
  {
    // "Follow us on Twitter", "Follow The Straits Times on Facebook", "Follow @reuters on X".
    name: "follow-us",
    kind: "promo",
    maxLength: 200,
    pattern: re(
      String.raw`^Follow (?:us|@\w+|(?:${NAME_WORD}\s+){0,4}${NAME_WORD})(?:\s+(?:on|at|via)\b.{0,80}\b${NETWORK}\b.*|\s*[.!]?)$`,
    ),
  },
  {
    // "Sign up for our newsletter", "Sign up to our free morning briefing", "Sign up here".
    name: "sign-up",
    kind: "promo",
    maxLength: 200,
    pattern:
      /^Sign up\b(?:.{0,120}\b(?:newsletters?|alerts?|briefing|bulletin|e-?mails?|updates|digest)\b|\s+(?:here|now|today|for free)\b)/iu,
  },
  {
    // "Subscribe to our …", "Subscribe now". A sentence practically never starts with the imperative.
    name: "subscribe",
    kind: "promo",
    maxLength: 200,
    pattern: /^(?:Subscribe|SUBSCRIBE)\b/u,
  },
  {
    // "Read more: …", "READ MORE: …", "Read more", "Read more »". Not "Read more books, the minister urged."
    name: "read-more",
    kind: "promo",
    maxLength: 300,
    pattern:
      /^(?:Read more|Read More|READ MORE|Read also|READ ALSO|Also read|ALSO READ|See also|SEE ALSO)\s*(?:[:»›>|–—-].*|\.\.\.|…)?\s*$/u,
  },
  {
    // "Related: Fact check: …" (Guardian feeds), "RELATED", "Related stories". Not "Related to this, …".
    name: "related",
    kind: "promo",
    maxLength: 300,
    pattern:
      /^(?:Related|RELATED|More on this story|MORE ON THIS STORY)(?: (?:stories|articles|coverage|content|links|reading|topics|news))?\s*(?::.*)?$/u,
  },
  {
    // Ad slots and "continue below" markers that leak into text.
    name: "advertisement",
    kind: "promo",
    maxLength: 80,
    pattern:
      /^(?:Advertisement|ADVERTISEMENT|Advertising|Sponsored|SPONSORED|Sponsored content|Skip Advertisement|(?:Story|Article) continues below(?: (?:advertisement|this ad))?|Continue reading the main story|Scroll to continue(?: with content)?)(?:\s*[-–—:]\s*(?:scroll|continue)[\w ]*)?\s*[.:]?\s*$/u,
  },
  {
    // "Share this article", "Share this story on Facebook", "Share on WhatsApp", "Share".
    name: "share-this",
    kind: "promo",
    maxLength: 80,
    pattern: /^(?:Share|SHARE)(?: (?:this|the) (?:article|story|post|page|video|link))?(?:\s+(?:on|via|with)\s+.{1,40})?\s*[:.!]?\s*$/u,
  },
  {
    // "Click here to …", "Tap here for …".
    name: "click-here",
    kind: "promo",
    maxLength: 250,
    pattern: /^(?:Click|Tap|CLICK|TAP) (?:here|the link|on the link|below)\b/u,
  },
  {
    // "Download our app", "Download the ST app", "Download ST's app for …".
    name: "download-app",
    kind: "promo",
    maxLength: 200,
    pattern: re(String.raw`^Download (?:our\b|the (?:${NAME_WORD}\s+){0,3}app\b|${NAME_WORD}['’]s?\s+(?:${NAME_WORD}\s+)?app\b)`),
  },
  {
    // WordPress feeds: "The post Storm hits coast appeared first on Daily News."
    name: "wordpress-appeared-first",
    kind: "promo",
    maxLength: 500,
    pattern: /^The post .+ appeared first on .+$/u,
  },
  {
    // Medium feeds: "X was originally published in Y on Medium, where people are continuing the conversation…"
    name: "medium-originally-published",
    kind: "promo",
    maxLength: 600,
    pattern: /^.+ was originally published in .+ on Medium\b.*$/u,
  },
  {
    // "Continue reading...", "Continue reading →", "Keep reading", "Read the full story here".
    name: "continue-reading",
    kind: "promo",
    maxLength: 120,
    pattern: /^(?:Continue reading|Keep reading|Read the full (?:story|article)(?: here)?)\s*(?:\.\.\.|…|→|»|›|>)?\s*[.!]?\s*$/u,
  },
  {
    // "© 2024 Reuters", "Copyright (c) 2016 Heise Medien", "(c) 2020 AFP". Not "Copyright law protects …".
    name: "copyright",
    kind: "promo",
    maxLength: 200,
    pattern: /^(?:©|\([cC]\)\s*\d{4}|Copyright\s*(?:©|\([cC]\)|\d{4}))/u,
  },
];

// ---------------------------------------------------------------------------------------------
// Bylines and agency tails
// ---------------------------------------------------------------------------------------------

/** One byline credit: "Jane Doe", "Jane Doe in London". */
const CONTRIBUTOR = String.raw`${PERSON}(?:\s+in\s+${PERSON})?`;
// Separators are written so that no space can be matched two ways (that would backtrack exponentially).
const CONTRIBUTORS = String.raw`${CONTRIBUTOR}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)${CONTRIBUTOR})*`;
/** "Reporting by", "Additional reporting by", "Writing and editing by", "Compiled by", … */
const TAIL_ROLE = String.raw`(?:[Aa]dditional |[Ee]xtra )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Cc]ompiling|[Rr]esearch|[Gg]raphics|[Pp]roduction|[Tt]ranslation|[Tt]ranslated|[Ss]creening|[Ff]act-checking)(?:\s+and\s+(?:reporting|writing|editing))?`;

export const BYLINE_RULES: readonly LineRule[] = [
  {
    // "By John Smith", "By John Smith and Jane Doe", "By JOHN SMITH, Reuters", "By Jane Doe | Political Editor".
    // Not "By the end of the year, prices had doubled." (every word after "By" must be capitalised).
    name: "byline",
    kind: "byline",
    maxLength: 160,
    pattern: re(
      String.raw`^(?:By|BY|Written by|Story by|Words by|Text by|Reported by)\s+${CONTRIBUTORS}(?:\s*(?:,|\||-|–|—|for)\s*${CREDIT})?\s*\.?$`,
    ),
  },
  {
    // Reuters tails: "(Reporting by A in London; Editing by B and C)", "Additional reporting by D."
    // Every ";"-separated part must be "<role> by <Names>", so "Reporting by the BBC showed …" survives.
    name: "agency-tail",
    kind: "byline",
    maxLength: 400,
    pattern: re(
      String.raw`^[\s(\-–—]*(?:${TAIL_ROLE}\s+by\s+${CONTRIBUTORS})(?:\s*[;,]\s*(?:and\s+)?${TAIL_ROLE}\s+by\s+${CONTRIBUTORS})*\s*[.)]*\s*$`,
    ),
  },
];

/** Every line rule, in the order they are tried. */
export const LINE_RULES: readonly LineRule[] = [...BYLINE_RULES, ...CAPTION_RULES, ...PROMO_RULES];

/** The first rule that says this (whitespace-collapsed) line is furniture, if any. */
export function matchingRule(line: string): LineRule | undefined {
  return LINE_RULES.find((rule) => line.length <= rule.maxLength && rule.pattern.test(line));
}

// ---------------------------------------------------------------------------------------------
// Dateline
// ---------------------------------------------------------------------------------------------

/**
 * A dateline opens the lead paragraph:
 *   "LONDON (XINHUA, AFP) - ", "WASHINGTON (Reuters) -", "PARIS —", "NEW YORK, July 10 (Reuters) - ",
 *   "BEIJING, Jan 3 (AP) – ", "KYIV, Ukraine — ", "SINGAPORE - ", and the place-less "(Reuters) - ".
 * Shape: ALL-CAPS place (1–5 words), optional ", Region" (capitalised), optional ", Month Day",
 * optional "(AGENCIES)", then a dash. A hyphen must be followed by a space ("U.S.-China" is no dateline);
 * en and em dashes may touch the text ("PARIS—The …").
 *
 * Not datelines: "LONDON is the capital." (no dash); "U.S. - China talks resumed" and "NATO - Russia …"
 * (the place must have at least 3 letters and must not be a well-known acronym or a news label).
 *
 * The place is kept exactly as written ("LONDON", "NEW YORK"): Article.dateline documents "LONDON",
 * and title-casing would garble names like "McALLEN". Region and date are dropped.
 */
const PLACE_WORD = String.raw`\p{Lu}[\p{Lu}.'’-]*`;
const PLACE = String.raw`${PLACE_WORD}(?:\s+${PLACE_WORD}){0,4}`;
const REGION = String.raw`\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}`;
const MONTH = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const DATE = String.raw`(?:${MONTH}\s+\d{1,2}|\d{1,2}\s+${MONTH})`;
const AGENCY_CREDIT = String.raw`\(\s*(\p{Lu}[^()]{0,58}?)\s*\)`;
const DASH = String.raw`\s*(?:-{1,2}(?=\s|$)|[–—])\s*`;

const DATELINE = re(
  String.raw`^\s*(?:(${PLACE})(?:,\s*${REGION})??(?:,\s*${DATE})?\s*(?:${AGENCY_CREDIT})?|${AGENCY_CREDIT})${DASH}(?=[^\s\p{Ll}]|$)`,
);

/** All-caps words that open a line with a dash but are not places. */
const NOT_PLACES = new Set([
  "NATO",
  "ASEAN",
  "OPEC",
  "UNESCO",
  "UNICEF",
  "WHO",
  "IMF",
  "FBI",
  "CIA",
  "NSA",
  "USA",
  "UAE",
  "GDP",
  "CEO",
  "COVID",
  "AI",
  "EU",
  "UN",
  "UK",
  "US",
  "BREAKING",
  "UPDATE",
  "EXCLUSIVE",
  "ANALYSIS",
  "OPINION",
  "WATCH",
  "LIVE",
  "FACTBOX",
  "EXPLAINER",
  "NEWS",
  "VIDEO",
  "PHOTOS",
  "EDITORIAL",
  "COMMENTARY",
  "FEATURE",
]);

export interface DatelineSplit {
  /** The place as written ("LONDON"); absent for a bare "(Reuters) - " opener. */
  place?: string;
  /** Agencies inside the parentheses, as written ("XINHUA, AFP"). */
  credit?: string;
  /** The paragraph with the dateline removed. */
  rest: string;
}

/** Split a leading dateline off a paragraph, or return undefined when it has none. */
export function splitDateline(paragraph: string): DatelineSplit | undefined {
  if (paragraph.length > 100_000) return undefined;
  const match = DATELINE.exec(paragraph.slice(0, 200));
  if (!match) return undefined;
  const [whole, place, creditAfterPlace, creditAlone] = match;
  if (place !== undefined) {
    const letters = place.replace(/[^\p{L}]/gu, "");
    if (letters.length < 3 || NOT_PLACES.has(place.trim()) || NOT_PLACES.has(letters)) return undefined;
  }
  const credit = (creditAfterPlace ?? creditAlone)?.replace(/\s+/g, " ").trim();
  return {
    ...(place !== undefined ? { place: place.trim() } : {}),
    ...(credit ? { credit } : {}),
    rest: paragraph.slice(whole.length).trim(),
  };
}

/**
 * A reproducible RSS 2.0 feed of wire-style news items, for the ingest benchmark.
 * Each item has a guid, an 8–14 word headline with proper nouns, a link, a pubDate, 1–3 categories
 * and a 2–4 paragraph HTML description (~600–1200 chars) with the furniture the cleaner removes:
 * datelines, "PHOTO: REUTERS" caption lines and promo lines.
 */

/** mulberry32: small, fast, good enough for test data. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  "London",
  "Paris",
  "Berlin",
  "Nairobi",
  "Jakarta",
  "Lagos",
  "Toronto",
  "Mumbai",
  "Sao Paulo",
  "Istanbul",
  "Seoul",
  "Madrid",
  "Cairo",
  "Warsaw",
  "Manila",
  "Lima",
  "Sydney",
  "Kyiv",
  "Geneva",
  "Brussels",
];
const COUNTRIES = [
  "France",
  "Germany",
  "Kenya",
  "Indonesia",
  "Nigeria",
  "Canada",
  "India",
  "Brazil",
  "Turkey",
  "South Korea",
  "Spain",
  "Egypt",
  "Poland",
  "the Philippines",
  "Peru",
  "Australia",
  "Ukraine",
  "Japan",
  "Mexico",
  "Britain",
  "China",
  "the United States",
];
const PEOPLE = [
  "Maria Alvarez",
  "John Okafor",
  "Priya Natarajan",
  "Olaf Lindqvist",
  "Amina Haddad",
  "Kenji Watanabe",
  "Sofia Rossi",
  "David Mensah",
  "Elena Petrova",
  "Lucas Moreau",
  "Ahmed Karimi",
  "Grace Mwangi",
];
const ORGS = [
  "the United Nations",
  "the World Bank",
  "the European Union",
  "NATO",
  "the IMF",
  "the World Health Organization",
  "the central bank",
  "the Supreme Court",
  "parliament",
  "the energy ministry",
];
const ROLES = [
  "Prime Minister",
  "Finance Minister",
  "President",
  "Foreign Minister",
  "Health Minister",
  "central bank governor",
  "opposition leader",
  "chief executive",
];
const SUBJECTS = [
  "fuel prices",
  "the budget deficit",
  "grain exports",
  "a new trade deal",
  "flood defences",
  "vaccine supplies",
  "interest rates",
  "election reforms",
  "mining rights",
  "a rail project",
  "water shortages",
  "tariffs on steel",
  "a ceasefire plan",
  "wildfire season",
  "the housing market",
];
const VERBS = [
  "backs",
  "rejects",
  "delays",
  "announces",
  "questions",
  "expands",
  "suspends",
  "approves",
  "defends",
  "unveils",
  "cuts",
  "reviews",
];
const PAST_VERBS = ["backed", "rejected", "delayed", "welcomed", "questioned", "criticised", "approved", "defended"];
const EVENTS = [
  "talks",
  "protests",
  "a summit",
  "heavy rains",
  "a court ruling",
  "a strike",
  "an audit",
  "a heatwave",
  "a vote",
  "a cabinet reshuffle",
];
const TAILS = [
  "as pressure mounts",
  "amid criticism",
  "ahead of a deadline",
  "for the first time",
  "despite warnings",
  "after months of delay",
  "in a surprise move",
  "as markets watch",
];
const CATEGORIES = [
  "World",
  "Politics",
  "Business",
  "Economy",
  "Climate",
  "Health",
  "Technology",
  "Energy",
  "Europe",
  "Asia",
  "Africa",
  "Americas",
  "Markets",
  "Elections",
  "Science",
];
const AGENCIES = ["Reuters", "AFP", "AP", "Bloomberg"];
const PROMOS = [
  "Follow us on Telegram for breaking news.",
  "Sign up for our morning briefing newsletter.",
  "Read more: Full coverage of the story",
  "Download our app for live updates.",
  "Join our WhatsApp channel for the latest headlines.",
];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export interface FeedOptions {
  items: number;
  seed?: number;
  baseUrl?: string;
}

/** The feed as one RSS 2.0 document; `pick` and friends are the only sources of variety. */
export function generateFeed({ items, seed = 42, baseUrl = "https://news.example.com" }: FeedOptions): string {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const place = () => (rand() < 0.5 ? pick(CITIES) : pick(COUNTRIES));
  const who = () => (rand() < 0.5 ? pick(PEOPLE) : `${pick(COUNTRIES).replace(/^the /, "")}'s ${pick(ROLES)}`);

  // Distinct headlines: the store merges same-headline items as one story.
  const headlines = new Set<string>();
  const headline = (): string => {
    for (;;) {
      const text = draftHeadline();
      if (!headlines.has(text.toLowerCase())) {
        headlines.add(text.toLowerCase());
        return text;
      }
    }
  };
  const draftHeadline = (): string => {
    const parts = [who(), pick(VERBS), pick(SUBJECTS), "after", pick(EVENTS), "in", place()];
    let words = parts.join(" ").split(" ");
    while (words.length < 8) words = [...words, ...pick(TAILS).split(" ")];
    if (words.length > 14) words = words.slice(0, 14);
    const text = words.join(" ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  };

  const sentence = (): string => {
    const s = pick([
      () =>
        `${who()} said on ${pick(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])} that ${pick(SUBJECTS)} would remain a priority for ${place()}.`,
      () => `Officials in ${pick(CITIES)} ${pick(PAST_VERBS)} the plan, citing ${pick(SUBJECTS)} and ${pick(EVENTS)}.`,
      () => `Analysts at ${pick(ORGS)} expect ${pick(SUBJECTS)} to weigh on growth of ${int(1, 9)}.${int(0, 9)}% this year.`,
      () => `"We cannot ignore ${pick(SUBJECTS)}," ${pick(PEOPLE)} told reporters in ${pick(CITIES)}.`,
      () => `The decision follows ${pick(EVENTS)} in ${place()} that left ${int(2, 900)} people affected, according to ${pick(ORGS)}.`,
      () => `${pick(ORGS).replace(/^the /, "The ")} is due to publish its review of ${pick(SUBJECTS)} on ${int(1, 28)} ${pick(MONTHS)}.`,
      () => `Critics say the move on ${pick(SUBJECTS)} does little to address ${pick(EVENTS)} &amp; rising costs in ${place()}.`,
      () => `Trade between ${pick(COUNTRIES)} and ${pick(COUNTRIES)} rose by ${int(2, 40)} per cent, figures showed.`,
    ])();
    return s.charAt(0).toUpperCase() + s.slice(1);
  };

  const paragraph = () => Array.from({ length: int(2, 3) }, sentence).join(" ");

  const description = (): string => {
    const paragraphs = Array.from({ length: int(2, 4) }, paragraph);
    // Text between ~600 and ~1200 characters, before the furniture.
    while (paragraphs.join("").length > 1100 && paragraphs.length > 2) paragraphs.pop();
    while (paragraphs.join("").length < 600) paragraphs.push(`${paragraphs.pop()} ${sentence()}`);
    if (rand() < 0.6) paragraphs[0] = `${pick(CITIES).toUpperCase()} (${pick(AGENCIES)}) - ${paragraphs[0]}`;
    if (rand() < 0.4) {
      const caption = `${pick(PEOPLE)} speaks to supporters in ${pick(CITIES)} on ${int(1, 28)} ${pick(MONTHS)}. PHOTO: REUTERS`;
      paragraphs.splice(1, 0, `${caption}<br>${paragraph()}`);
    }
    if (rand() < 0.5) paragraphs.push(pick(PROMOS));
    return paragraphs.map((p) => `<p>${p}</p>`).join("\n");
  };

  const start = Date.UTC(2024, 0, 1);
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<rss version="2.0"><channel>`,
    `<title>Bench Wire</title><link>${baseUrl}/</link><description>Generated news for the ingest benchmark</description>`,
  ];
  for (let i = 0; i < items; i++) {
    const html = description();
    // Real feeds do both: CDATA and entity-escaped HTML.
    const body = i % 2 === 0 ? `<![CDATA[${html}]]>` : escapeXml(html);
    const categories = Array.from({ length: int(1, 3) }, () => `<category>${escapeXml(pick(CATEGORIES))}</category>`);
    parts.push(
      `<item><guid isPermaLink="false">bench-${seed}-${i}</guid>` +
        `<title>${escapeXml(headline())}</title>` +
        `<link>${baseUrl}/${2024}/story-${i}?utm_source=rss</link>` +
        `<pubDate>${new Date(start + i * 60_000).toUTCString()}</pubDate>` +
        categories.join("") +
        `<description>${body}</description></item>`,
    );
  }
  parts.push(`</channel></rss>`);
  return parts.join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

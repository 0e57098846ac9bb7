import { readFileSync } from "node:fs";

/** The reference breaking-news article (shared/fixtures/articles/xinjiang-embassy.txt). */
export const REFERENCE_ARTICLE_PATH = new URL("../../../shared/fixtures/articles/xinjiang-embassy.txt", import.meta.url);
export const referenceArticleText = (): string => readFileSync(REFERENCE_ARTICLE_PATH, "utf8");
export const REFERENCE_LINK =
  "https://www.straitstimes.com/world/europe/uk-report-over-xinjiang-wantonly-interferes-in-chinas-internal-affairs-chinese-embassy";
export const REFERENCE_HEADLINE = "UK report over Xinjiang wantonly interferes in China's internal affairs: Chinese Embassy";

/** Stories that share nothing with the reference article (two with a link line). */
export const OTHER_STORIES = [
  "Storm closes ports in Norway\nhttps://news.example/storm\n\nA winter storm closed three ports in northern Norway on Monday, the coast guard said.",
  "Central bank holds rates\nhttps://news.example/rates\n\nThe European Central Bank kept interest rates unchanged on Thursday, citing slowing inflation.",
  "Embassy reopens in Kabul\n\nItaly reopened its embassy in Kabul after two years, the foreign ministry said on Friday.",
];

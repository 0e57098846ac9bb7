import { readFileSync } from "node:fs";

/** The reference breaking-news article (shared/fixtures/articles/xinjiang-embassy.txt). */
export const REFERENCE_ARTICLE_PATH = new URL("../../../shared/fixtures/articles/xinjiang-embassy.txt", import.meta.url);
export const referenceArticleText = (): string => readFileSync(REFERENCE_ARTICLE_PATH, "utf8");
export const REFERENCE_LINK = "https://www.straitstimes.com/world/europe/uk-report-over-xinjiang-wantonly-interferes-in-chinas-internal-affairs-chinese-embassy";
export const REFERENCE_HEADLINE = "UK report over Xinjiang wantonly interferes in China's internal affairs: Chinese Embassy";

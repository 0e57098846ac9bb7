import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ingestRawText } from "../../src/ingest/desk.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { REFERENCE_HEADLINE, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { makeTempStore } from "../support/temp-store.js";

const aliases = loadAliasMap();

describe("an article pasted as text (the reference article)", () => {
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => (temp = makeTempStore()));
  afterEach(() => temp.dispose());

  it("becomes a clean headline, summary and link", async () => {
    const { status, article } = await ingestRawText(referenceArticleText(), {
      link: REFERENCE_LINK,
      store: temp.store,
      aliases,
      summaryMaxChars: 400,
    });
    expect(status).toBe("new");
    expect(article.headline).toBe(REFERENCE_HEADLINE);
    expect(article.summary).toMatch(
      /^A spokesman for the Chinese Embassy in Britain on Saturday \(July 10\) expressed outrage and firm opposition/,
    );
    expect(article.summary.length).toBeLessThanOrEqual(400);
    expect(article.summary).toMatch(/\.$/);
    expect(article.link).toBe(REFERENCE_LINK);
    expect(article.dateline).toBe("LONDON");
    for (const text of [article.summary, article.body]) {
      expect(text).not.toMatch(/PHOTO: REUTERS/);
      expect(text).not.toMatch(/Join ST's Telegram channel/);
      expect(text).not.toMatch(/^LONDON \(XINHUA/);
    }
    expect(article.tags).toEqual(expect.arrayContaining(["xinjiang", "china", "uk"]));
    expect(article.tags).not.toContain("st");
    expect(article.tags).not.toContain("telegram");
    expect(article.queuedAt).toBeUndefined();
  });

  it("finds the link on its own line in the text, and is stored once when pasted twice", async () => {
    const text = referenceArticleText().replace("\n\n", `\n\n${REFERENCE_LINK}?utm_source=tg#top\n\n`);
    const first = await ingestRawText(text, { store: temp.store, aliases, summaryMaxChars: 400 });
    expect(first.article.link).toBe(REFERENCE_LINK);
    const second = await ingestRawText(text, { store: temp.store, aliases, summaryMaxChars: 400 });
    expect(second.status).toBe("seen");
    expect(second.article.id).toBe(first.article.id);
    expect(await temp.store.articles.count()).toBe(1);
  });

  it("refuses empty text with a message that says what to send", async () => {
    await expect(ingestRawText("   \n\n ", { store: temp.store, aliases, summaryMaxChars: 400 })).rejects.toThrow(/headline/i);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DESK_SOURCE, ingestRawText } from "../../src/ingest/desk.js";
import { loadAliasMap } from "../../src/topics/index.js";
import { FakeClock } from "../support/fake-clock.js";
import { REFERENCE_HEADLINE, REFERENCE_LINK, referenceArticleText } from "../support/reference-article.js";
import { makeTempStore } from "../support/temp-store.js";

const aliases = loadAliasMap();

describe("an article pasted as text (the reference article)", () => {
  let clock: FakeClock;
  let temp: ReturnType<typeof makeTempStore>;
  beforeEach(() => {
    clock = new FakeClock();
    temp = makeTempStore(clock);
  });
  afterEach(() => temp.dispose());
  const paste = (text: string, options: { link?: string; queue?: boolean } = {}) =>
    ingestRawText(text, { ...options, store: temp.store, clock, aliases, summaryMaxChars: 400 });

  it("becomes a clean headline, summary and link", async () => {
    const { status, article } = await paste(referenceArticleText(), { link: REFERENCE_LINK });
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
    expect(article.publishedAt).toEqual(new Date(clock.now()));
    expect(article.firstSeenAt).toEqual(new Date(clock.now()));
  });

  it("takes its source from the link's site, or is the desk's own without a link", async () => {
    expect((await paste(referenceArticleText(), { link: REFERENCE_LINK })).article.source).toBe("straitstimes.com");
    const linked = await paste(
      "Storm closes ports\nhttps://www.scmp.com/news/storm\n\nA storm closed three ports on Monday, officials said.",
    );
    expect(linked.article.source).toBe("scmp.com");
    const bare = await paste("Rates held\n\nThe central bank kept rates unchanged on Thursday, citing slowing inflation.");
    expect(bare.article.source).toBe(DESK_SOURCE);
  });

  it("queues an article stored by an earlier preview, once, and never one already released", async () => {
    const preview = await paste(referenceArticleText(), { link: REFERENCE_LINK });
    expect(preview.queue).toBeUndefined();
    await clock.advance(60_000);
    const queued = await paste(referenceArticleText(), { link: REFERENCE_LINK, queue: true });
    expect(queued).toMatchObject({ status: "seen", queue: "queued" });
    expect(queued.article.id).toBe(preview.article.id);
    expect(queued.article.queuedAt).toEqual(new Date(clock.now()));
    expect((await temp.store.articles.unreleased(10)).map((a) => a.id)).toEqual([preview.article.id]);

    expect((await paste(referenceArticleText(), { link: REFERENCE_LINK, queue: true })).queue).toBe("already-queued");
    await temp.store.outbox.release(preview.article.id, [], new Date(clock.now()));
    const again = await paste(referenceArticleText(), { link: REFERENCE_LINK, queue: true });
    expect(again.queue).toBe("released");
    expect(again.article.releasedAt).toEqual(new Date(clock.now()));
    expect(await temp.store.articles.unreleased(10)).toEqual([]);
  });

  it("stores and queues a new article in one go", async () => {
    const { status, queue, article } = await paste(referenceArticleText(), { link: REFERENCE_LINK, queue: true });
    expect({ status, queue, queuedAt: article.queuedAt }).toEqual({ status: "new", queue: "queued", queuedAt: new Date(clock.now()) });
  });

  it("finds the link on its own line in the text, and is stored once when pasted twice", async () => {
    const text = referenceArticleText().replace("\n\n", `\n\n${REFERENCE_LINK}?utm_source=tg#top\n\n`);
    const first = await paste(text);
    expect(first.article.link).toBe(REFERENCE_LINK);
    const second = await paste(text);
    expect(second.status).toBe("seen");
    expect(second.article.id).toBe(first.article.id);
    expect(await temp.store.articles.count()).toBe(1);
  });

  it("refuses empty text with a message that says what to send", async () => {
    await expect(paste("   \n\n ")).rejects.toThrow(/headline/i);
  });
});

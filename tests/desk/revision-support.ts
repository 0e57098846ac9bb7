import { releaseArticle } from "../../src/delivery/channel-publisher.js";
import type { StoredArticle } from "../../src/store/index.js";
import { loadTemplates } from "../../src/texts.js";
import { loadAliasMap } from "../../src/topics/index.js";
import type { FakeClock } from "../support/fake-clock.js";
import type { SentMessage } from "../../src/sandbox/fake-telegram/index.js";
import type { TestBot } from "../support/harness.js";
import { current, USER } from "../commands/support.js";
import { channelPosts } from "./desk-support.js";

/** A reader who follows "xinjiang": the reference article alerts them. */
export const FOLLOWER = 777;

export async function addFollower(t: TestBot, chatId = FOLLOWER): Promise<void> {
  t.fake.addChat({ id: chatId, type: "private" });
  await t.store.chats.recordStart({ id: chatId, kind: "private" });
  await t.store.subscriptions.follow(chatId, "xinjiang", 50);
}

/** Releases the newest story (the reference article) as a POST_CRON tick does: its channel post and its alerts. */
export async function releaseNewest(t: TestBot): Promise<StoredArticle> {
  const [newest] = await t.store.articles.latest(1);
  return releaseStory(t, newest!);
}

/** Releases a story as a POST_CRON tick does: its channel post and its alerts. */
export async function releaseStory(t: TestBot, article: StoredArticle): Promise<StoredArticle> {
  const deps = { store: t.store, templates: loadTemplates(), aliases: loadAliasMap(), config: t.config, logger: t.logger, clock: t.clock };
  await releaseArticle(article, deps, await t.store.subscriptions.distinctTopics());
  t.engine.notify();
  return article;
}

/** Releases the newest story and runs the fake clock until its channel post and one alert per follower are out. */
export async function publishNewest(t: TestBot, clock: FakeClock, followers = [FOLLOWER]): Promise<StoredArticle> {
  const article = await releaseNewest(t);
  await clock.runUntil(() => channelPosts(t).length === 1 && followers.every((id) => t.fake.sent(id).length === 1));
  return article;
}

/** Runs the fake clock until the live progress message's first word is `word` (the final report); returns it then. */
export async function untilReport(t: TestBot, clock: FakeClock, live: SentMessage, word: string): Promise<SentMessage> {
  await clock.runUntil(() => current(t, live, USER).text.startsWith(word));
  return current(t, live, USER);
}

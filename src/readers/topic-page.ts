import type { InlineKeyboardMarkup } from "grammy/types";
import type { BotContext } from "../bot/context.js";
import { fitItems, oneLine } from "../format/lists.js";
import { agedStoryLine } from "../format/story-line.js";
import type { StoredArticle } from "../store/index.js";
import { searchArticles } from "../search/index.js";
import { MAX_TOPIC_LENGTH, normalizeTopic } from "../topics/index.js";
import { button, keyboard } from "../bot/buttons.js";
import { MAX_PAGE, tidyButtonText } from "../bot/callback-data.js";
import { popularTopics, topicButtonRows } from "./suggestions.js";

export const PAGE_SIZE = 5;
/** Shown query and list values are cut so that a page of five always fits one message. */
const QUERY_CHARS = 100;
const SNIPPET_CHARS = 200;

export interface TopicAnswer {
  /** "page": stories found; "no-match" and "empty-query" carry suggestions instead. */
  status: "page" | "no-match" | "empty-query";
  html: string;
  markup: { reply_markup?: InlineKeyboardMarkup };
}

/** One page of /topic, with its buttons: Back/More (by callback) and Follow. Shared by the command and its buttons. */
export async function topicAnswer(ctx: BotContext, rawQuery: string, page: number): Promise<TopicAnswer> {
  const { store, aliases, templates, clock } = ctx.services;
  const query = tidyButtonText(rawQuery);
  const shown = oneLine(query, QUERY_CHARS);
  const result = await searchArticles(store, aliases, query, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const follow = followButton(ctx, query);

  if (result.status === "empty-query" || result.hits.length === 0) {
    const suggestions = await popularTopics(store, clock.now());
    const values = {
      query: shown,
      suggestions: suggestions.map((topic) => ({ topic: oneLine(topic, QUERY_CHARS) })),
      hasSuggestions: suggestions.length > 0,
    };
    const status = result.status === "empty-query" ? "empty-query" : "no-match";
    const html =
      status === "empty-query"
        ? templates.render("topic-usage", { ...values, unsearchable: true })
        : templates.render("topic-none", values);
    const rows = [
      ...(status === "no-match" ? [[follow]] : []),
      ...topicButtonRows(
        templates,
        suggestions.map((topic) => ({ topic })),
      ),
    ];
    return { status, html, markup: keyboard(rows) };
  }

  const now = clock.now();
  const items = result.hits.map(({ article, snippet }) => ({
    ...agedStoryLine(article, now),
    snippet: oneLine(snippetOrSummary(article, snippet), SNIPPET_CHARS),
  }));
  const hasNext = result.hasMore && page < MAX_PAGE;
  const more = hasNext ? button(templates, "button-more", {}, { kind: "more", page: page + 1, query }) : undefined;
  const back = page > 1 ? button(templates, "button-back", {}, { kind: "more", page: page - 1, query }) : undefined;
  // fitItems is a safety net: with the cuts above five stories always fit.
  const html = fitItems(items, (kept) =>
    templates.render("topic", {
      query: shown,
      page: page > 1 ? page : undefined,
      items: kept,
      moreNeedsShorterQuery: hasNext && more === undefined,
    }),
  );
  return { status: "page", html, markup: keyboard([[back, more], [follow]]) };
}

function followButton(ctx: BotContext, query: string) {
  const topic = normalizeTopic(query, ctx.services.aliases);
  if (topic === undefined || [...topic].length > MAX_TOPIC_LENGTH) return undefined;
  return button(ctx.services.templates, "button-follow", { topic }, { kind: "follow", topic });
}

/** FTS picks the best column for the snippet; when that is the headline again, the summary says more. */
function snippetOrSummary(article: StoredArticle, snippet: string): string {
  const bare = snippet.replace(/…/g, "").trim();
  return bare === "" || article.headline.includes(bare) ? article.summary : snippet;
}

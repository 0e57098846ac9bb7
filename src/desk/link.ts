import { hostOf } from "../format/card.js";
import type { TemplateValues } from "../format/templates.js";
import { ALWAYS_REFUSED } from "../ingest/address-guard.js";
import { ingestArticleLink, type LinkRefusal } from "../ingest/article-link.js";
import { formatBytes } from "../ingest/fetch.js";
import type { Dialog } from "./dialog.js";

/** A line that is only an http(s) address. */
const LINK_LINE = /^\s*(https?:\/\/\S+)\s*$/im;

/** The article link in a message: the first line that holds an http(s) address and nothing else. */
export function pastedLink(text: string): string | undefined {
  return LINK_LINE.exec(text)?.[1];
}

/**
 * /push's pick by link: says it is fetching, then fetches, extracts, builds and stores the article (once, whatever the
 * replays). Its id, or undefined when the link gave no article: the admin has been told why.
 */
export async function pickByLink(dialog: Dialog, link: string): Promise<number | undefined> {
  const host = hostOf(link);
  await dialog.say("push-link-fetching", { host });
  const result = await dialog.run(async () => {
    const { store, clock, aliases, config } = dialog.services;
    const outcome = await ingestArticleLink(link, { store, clock, aliases, settings: config.ingest });
    // The dialog's state keeps only JSON: the article's id, not the article.
    return outcome.status === "refused" ? outcome : { articleId: outcome.article.id };
  });
  if ("articleId" in result) return result.articleId;
  if (result.reason === "retracted") await dialog.say("push-link-retracted", { headline: result.headline });
  else await dialog.say("push-link-refused", { host, ...refusalValues(result) });
  return undefined;
}

function refusalValues(refusal: Exclude<LinkRefusal, { reason: "retracted" }>): TemplateValues<"push-link-refused"> {
  switch (refusal.reason) {
    case "private-address":
      return {
        privateAddress: true,
        address: refusal.address,
        kind: refusal.kind,
        redirectedTo: refusal.redirectedTo,
        settingAllows: refusal.kind !== ALWAYS_REFUSED,
      };
    case "timeout":
      return { timeout: true, seconds: refusal.seconds };
    case "http-status":
      return { httpError: true, httpStatus: refusal.httpStatus };
    case "too-large":
      return { tooLarge: true, limit: formatBytes(refusal.maxBytes) };
    case "not-html":
      return { notHtml: true, contentType: refusal.contentType };
    case "no-article":
      return { noArticle: true };
    case "unreachable":
      return { unreachable: true };
  }
}

import { Composer } from "grammy";
import type { Document } from "grammy/types";
import type { BotContext } from "../src/bot/context.js";
import { DocumentError, documentSource, isOpmlFile, isTextFile, readDocument, unreadable } from "../src/bot/read-document.js";
import { fitItems, oneLine } from "../src/format/lists.js";
import type { Templates, TemplateValues } from "../src/format/templates.js";
import { raceSleep } from "../src/clock.js";
import { feedsToImport, importFeeds, type ImportOutcome } from "../src/ingest/opml-import.js";
import { OpmlError, type OpmlFeed, type OpmlProblem } from "../src/ingest/opml.js";
import { ALWAYS_REFUSED } from "../src/ingest/address-guard.js";
import { HTML_OPTIONS, isPrivateChat, replyDeskPrivateOnly, replyTemplate } from "../src/bot/reply.js";
import { guardedFetchOptions } from "../src/ingest/fetch.js";
import { PROGRESS_EDIT_MS } from "../src/desk/publish.js";
/**
 * The checks stop after this; the feeds left are reported unchecked (sending the file again checks them, and those
 * added are then "already there").
 */
const IMPORT_BUDGET_MS = 60_000;

/**
 * OPML import (admins, behind the gate): an admin sends an .opml file (or .xml with an <opml> root) in the private chat;
 * every feed in it is checked as /addfeed checks it and added, then one message reports each feed. /import only says
 * how. A document sent in the middle of a dialog that does not take files comes here too (the dialog passes it on).
 * Other files are answered, never dropped: a .txt points to /post, anything else says what is read.
 */
export const importCommand = new Composer<BotContext>();

importCommand.command("import", async (ctx) => {
  if (!isPrivateChat(ctx)) return replyDeskPrivateOnly(ctx, "import");
  await replyTemplate(ctx, "import", { usage: true });
});

// In a group people share files with each other: the desk stays out of it.
importCommand.chatType("private").on("message:document", async (ctx) => {
  const document = ctx.msg.document;
  if (isTextFile(document)) return replyTemplate(ctx, "import", { txt: true });
  if (!isOpmlFile(document)) return replyTemplate(ctx, "import", { otherFile: true });
  let feeds;
  try {
    feeds = feedsToImport(await readDocument(document, documentSource(ctx.services, ctx.api)));
  } catch (error) {
    if (error instanceof DocumentError) {
      ctx.logger.warn({ file: document.file_name, err: error }, "admin's file not read");
      return replyTemplate(ctx, "document-unreadable", unreadable(error));
    }
    if (!(error instanceof OpmlError)) throw error;
    ctx.logger.info({ file: document.file_name, reason: error.message }, "OPML file refused");
    return replyTemplate(ctx, "import-refused", refusalValues(error.refusal));
  }
  const { templates } = ctx.services;
  const checking = await ctx.reply(templates.render("import", { checking: feeds.length }), HTML_OPTIONS);
  const outcomes = await checkWithProgress(ctx, feeds, ctx.chat.id, checking.message_id);
  for (const outcome of outcomes) if (outcome.status !== "exists") ctx.logger.info({ ...outcome }, "OPML import: feed checked");
  await ctx.api.editMessageText(ctx.chat.id, checking.message_id, importReport(templates, fileName(document), outcomes), HTML_OPTIONS);
});

/**
 * Runs the import, editing the "Checking…" message every PROGRESS_EDIT_MS with the count checked so far, and cuts it
 * after IMPORT_BUDGET_MS: updates are handled one at a time, so a long import holds up every reader.
 */
async function checkWithProgress(ctx: BotContext, feeds: readonly OpmlFeed[], chatId: number, messageId: number): Promise<ImportOutcome[]> {
  const { store, config, templates, clock } = ctx.services;
  const budget = new AbortController();
  let checked = 0;
  const work = importFeeds(feeds, {
    store,
    fetch: guardedFetchOptions(config.ingest),
    // Cut by the budget, or by the app's stop: what was not checked is reported as such.
    signal: AbortSignal.any([budget.signal, ctx.services.stopping]),
    onChecked: () => checked++,
  });
  const started = clock.now();
  let shown = 0;
  while (!(await raceSleep(clock, PROGRESS_EDIT_MS, work, ctx.services.stopping))) {
    if (ctx.services.stopping.aborted) break;
    if (clock.now() - started >= IMPORT_BUDGET_MS) budget.abort();
    if (checked === shown) continue;
    shown = checked;
    const text = templates.render("import", { checking: feeds.length, checked });
    // Progress is a courtesy: a failed edit must not end the import.
    await ctx.api.editMessageText(chatId, messageId, text, HTML_OPTIONS).catch((error: unknown) => {
      ctx.logger.warn({ err: error }, "could not update the import's progress message");
    });
  }
  return work;
}

function refusalValues(refusal: OpmlProblem): TemplateValues<"import-refused"> {
  switch (refusal.problem) {
    case "not-opml":
      return { notOpml: true };
    case "no-feeds":
      return { noFeeds: true };
    case "too-many":
      return { tooMany: true, feeds: refusal.feeds, max: refusal.max };
  }
}

/** The document's name, or undefined: the report then says "the file". */
function fileName(document: Document): string | undefined {
  return document.file_name === undefined ? undefined : oneLine(document.file_name, 80);
}

/** The report, every feed on a line: added first, then already there, refused, unchecked; the tail is cut to fit. */
function importReport(templates: Templates, file: string | undefined, outcomes: readonly ImportOutcome[]): string {
  const order: ImportOutcome["status"][] = ["added", "exists", "refused", "unchecked"];
  const sorted = [...outcomes].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const count = (status: ImportOutcome["status"]) => outcomes.filter((outcome) => outcome.status === status).length;
  const refusedKinds = outcomes.flatMap((outcome) =>
    outcome.status === "refused" && outcome.reason === "private-address" ? [outcome.kind] : [],
  );
  return fitItems(sorted, (kept, omitted) =>
    templates.render("import-report", {
      file,
      added: count("added"),
      exists: count("exists"),
      refused: count("refused"),
      unchecked: count("unchecked"),
      items: kept.map(reportLine),
      omitted,
      privateRefused: refusedKinds.some((kind) => kind !== ALWAYS_REFUSED),
      alwaysRefused: refusedKinds.includes(ALWAYS_REFUSED),
    }),
  );
}

function reportLine(outcome: ImportOutcome) {
  const line = { title: oneLine(outcome.title, 100), url: oneLine(outcome.url, 300) };
  switch (outcome.status) {
    case "added":
      return { ...line, isAdded: true, count: outcome.items };
    case "exists":
      return { ...line, isExisting: true };
    case "unchecked":
      return { ...line, isUnchecked: true };
    case "refused":
      switch (outcome.reason) {
        case "not-http":
          return { ...line, notHttp: true };
        case "private-address":
          return {
            ...line,
            privateAddress: true,
            address: outcome.address,
            kind: outcome.kind,
            redirectedTo: outcome.redirectedTo && oneLine(outcome.redirectedTo, 300),
          };
        case "not-a-feed":
          return { ...line, notFeed: true };
        case "fetch-failed":
          return { ...line, fetchFailed: true, detail: oneLine(outcome.detail, 200) };
      }
  }
}

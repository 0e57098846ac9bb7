import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import { answerButton, answerExpired } from "../src/bot/buttons.js";
import { parseDesk, DESK_DATA } from "../src/desk/buttons.js";
import { PICK_COUNT, pickStory } from "../src/desk/pick.js";
import { openDialog, type Dialog, type DialogDefinition } from "../src/desk/dialog.js";
import { previewAndPublish } from "../src/desk/preview.js";
import { postLink } from "../src/desk/publish.js";
import { replyTemplate } from "../src/bot/reply.js";

/** /push (admins): opens the push dialog in the private chat, anew if one was open. */
export const pushCommand = new Composer<BotContext>();

pushCommand.command("push", (ctx) => openDialog(ctx, "push", pushDialog));

/** A desk button pressed outside its dialog: Publish says whether the story is out already; anything else has expired. */
pushCommand.callbackQuery(DESK_DATA, async (ctx) => {
  const action = parseDesk(ctx.callbackQuery.data);
  const article = action?.kind === "publish" ? await ctx.services.store.articles.get(action.articleId) : undefined;
  if (article?.releasedAt === undefined) return answerExpired(ctx);
  await answerButton(ctx);
  await replyTemplate(ctx, "push-already", { link: await postLink(ctx.services, article.id) });
});

export const pushDialog: DialogDefinition = { id: "push", run: runPush };

/**
 * Pick one of the newest stories (or search, or paste an article's link), preview it as the channel will show it, edit
 * it, toggle Silent, publish or cancel.
 */
async function runPush(dialog: Dialog): Promise<void> {
  const { store } = dialog.services;
  const articleId = await pickStory(dialog, {
    newest: () => store.articles.latest(PICK_COUNT),
    intro: (hasItems, keyboard) => dialog.say("push-pick", { hasItems }, keyboard),
    links: true,
  });
  if (articleId !== undefined) await previewAndPublish(dialog, articleId);
}

import {
  conversations,
  createConversation,
  type ConversationData,
  type VersionedState,
  type VersionedStateStorage,
} from "@grammyjs/conversations";
import { Composer, type Api, type Context } from "grammy";
import { Dialog, type DialogDefinition } from "../desk/dialog.js";
import type { Store } from "../store/index.js";
import type { BotContext, BotServices } from "./context.js";

/** Bumped when a dialog changes shape: the plugin then drops states saved by the older code instead of replaying them. */
const DIALOGS_VERSION = 2;

/**
 * The admin desk's dialogs, installed before every command, for admins' private chats: the plugin, with its state in
 * the store (a restart in the middle of a dialog goes on where it stopped), and each dialog by id. Nobody
 * else's update enters a dialog: a desk button pressed by anyone else goes on to the admin gate of /push, which answers it.
 */
export function deskDialogs(services: BotServices, api: Api, definitions: readonly DialogDefinition[]): Composer<BotContext> {
  const desk = new Composer<BotContext>();
  // Only where dialogs run (an admin's private chat): nobody else's update waits on the dialogs' table.
  const dialogs = desk.filter((ctx) => ctx.isAdmin && ctx.chat?.type === "private");
  dialogs.use(
    conversations<BotContext, Context>({ storage: { type: "key", version: DIALOGS_VERSION, adapter: storeAdapter(services.store) } }),
  );
  for (const definition of definitions) {
    dialogs.use(
      createConversation<BotContext, Context>(
        async (conversation, ctx) => definition.run(await Dialog.begin(conversation, ctx, { services, api })),
        definition.id,
      ),
    );
  }
  return desk;
}

function storeAdapter(store: Store): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const state = await store.dialogs.read(key);
      return state === undefined ? undefined : (JSON.parse(state) as VersionedState<ConversationData>);
    },
    write: (key, state) => store.dialogs.write(key, JSON.stringify(state)),
    delete: (key) => store.dialogs.delete(key),
  };
}

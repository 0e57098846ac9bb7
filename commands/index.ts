import type { CommandDefinition } from "../src/bot/menu.js";
import { addfeedCommand } from "./addfeed.js";
import { exportCommand } from "./export.js";
import type { DialogDefinition } from "../src/desk/dialog.js";
import { fallbackCommand } from "./fallback.js";
import { feedsButtons, feedsCommand } from "./feeds.js";
import { followCommand } from "./follow.js";
import { helpCommand } from "./help.js";
import { latestCommand } from "./latest.js";
import { mytopicsCommand } from "./mytopics.js";
import { startCommand } from "./start.js";
import { stopCommand } from "./stop.js";
import { topicCommand } from "./topic.js";
import { topicsCommand } from "./topics.js";
import { unfollowCommand } from "./unfollow.js";
import { statsCommand } from "./stats.js";
import { scheduleButtons, scheduleCommand } from "./schedule.js";
import { pushCommand, pushDialog } from "./push.js";
import { cancelCommand } from "./cancel.js";
import { postCommand, postDialog } from "./post.js";
import { isDeskButton } from "../src/desk/buttons.js";
import { importCommand } from "./import.js";
import { correctCommand, correctDialog } from "./correct.js";
import { retractCommand, retractDialog } from "./retract.js";

/**
 * The command registry: the order here is the order of /help and of Telegram's menu.
 * Descriptions live in templates/commands.json. /subscribe and /unsubscribe are aliases handled by
 * followCommand and unfollowCommand; they stay out of the menu to keep it short.
 */
export const commandRegistry: readonly CommandDefinition[] = [
  { command: "start", scope: "everyone", composer: startCommand },
  { command: "help", scope: "everyone", composer: helpCommand },
  { command: "latest", scope: "everyone", composer: latestCommand },
  { command: "topic", scope: "everyone", composer: topicCommand },
  { command: "topics", scope: "everyone", composer: topicsCommand },
  { command: "follow", scope: "everyone", composer: followCommand },
  { command: "unfollow", scope: "everyone", composer: unfollowCommand },
  { command: "mytopics", scope: "everyone", composer: mytopicsCommand },
  { command: "stop", scope: "everyone", composer: stopCommand },
  { command: "stats", scope: "admins", composer: statsCommand },
  { command: "schedule", scope: "admins", composer: scheduleCommand, buttons: scheduleButtons },
  { command: "feeds", scope: "admins", composer: feedsCommand, buttons: feedsButtons },
  { command: "addfeed", scope: "admins", composer: addfeedCommand },
  { command: "export", scope: "admins", composer: exportCommand },
  { command: "push", scope: "admins", composer: pushCommand, buttons: isDeskButton },
  { command: "cancel", scope: "admins", composer: cancelCommand },
  { command: "post", scope: "admins", composer: postCommand },
  { command: "import", scope: "admins", composer: importCommand },
  { command: "correct", scope: "admins", composer: correctCommand, buttons: isDeskButton },
  { command: "retract", scope: "admins", composer: retractCommand, buttons: isDeskButton },
];

/** The admin desk's dialogs (@grammyjs/conversations), each entered by its command above. */
export const dialogRegistry: readonly DialogDefinition[] = [pushDialog, postDialog, correctDialog, retractDialog];

/** Registered after every command: unknown text and commands, and buttons nobody handled. */
export { fallbackCommand };

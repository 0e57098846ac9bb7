/**
 * Longest topic a reader may follow, and so the longest name a topics file may give: the commands
 * enforce it on input. On its own so that the topics-file check and normalizing share it without a circle.
 */
export const MAX_TOPIC_LENGTH = 64;

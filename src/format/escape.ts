/**
 * Escapes a value for Telegram's HTML parse mode. Telegram knows only &lt; &gt; &amp; &quot; (and numeric
 * entities), so nothing else may be produced; &quot; keeps values safe inside href="...".
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

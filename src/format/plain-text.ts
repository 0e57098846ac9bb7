/**
 * A rendered template as plain text, for the places Telegram shows no HTML: button labels and
 * callback answers. Tags go; the four entities the template engine produces are decoded.
 */
export function htmlToPlainText(html: string, maxChars: number): string {
  const text = html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|amp);/g, (_whole, name: string) => PLAIN[name] ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxChars) return text;
  // Telegram counts UTF-16 units; an emoji cut in half would leave a lone surrogate.
  return text.slice(0, Math.max(0, maxChars - 1)).replace(/[\uD800-\uDBFF]$/, "") + "…";
}

const PLAIN: Record<string, string> = { lt: "<", gt: ">", quot: '"', amp: "&" };

import type { RawItem } from "../article.js";
import { canonicalUrl, dedupKeyFor } from "./canonical-url.js";

/**
 * Every key an item is known by: its dedup key first, then its canonical URL. A guid that is not a
 * URL is only unique within its feed ("123" means different stories in two feeds), so it is scoped
 * by the feed; URL keys are global, which is what finds one story in two feeds.
 */
export function itemKeys(item: RawItem, scope: string): string[] {
  const primary = dedupKeyFor(item);
  const scoped = /^(guid|title):/.test(primary) ? primary.replace(/^(\w+):/, `$1:${scope}:`) : primary;
  const link = item.link === undefined ? undefined : canonicalUrl(item.link);
  return [...new Set([scoped, ...(link ? [`url:${link}`] : [])])];
}

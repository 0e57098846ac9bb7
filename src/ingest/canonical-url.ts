import { createHash } from "node:crypto";
import type { RawItem } from "../article.js";

const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "msclkid",
  "mc_cid",
  "mc_eid",
  "igshid",
  "_ga",
  "ref",
  "ref_src",
  "cmpid",
  "ocid",
  "smid",
  "at_medium",
  "at_campaign",
  "__twitter_impression",
  "yclid",
  "s_cid",
  "ito",
]);

/** AMP switches in the query: ?amp, ?amp=1, ?amp=true, ?outputType=amp. */
function isAmpParam(key: string, value: string): boolean {
  return (key === "amp" && ["", "1", "true"].includes(value)) || (key === "outputtype" && value === "amp");
}

/**
 * One spelling per article address, so that the same article from two feeds (or twice from one)
 * gets one dedup key: lower-case scheme and host, no default port, fragment, tracking parameters
 * or AMP variant, sorted parameters, no trailing slash but on the root.
 * "www." is kept: www.example.com and example.com may be different sites.
 * Returns undefined for anything that is not a valid http(s) URL.
 */
export function canonicalUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  // URL already lower-cases scheme and host and drops default ports.
  // "amp.example.com" → "example.com", but "amp.com" stays.
  const host = parsed.host.replace(/\.$/, "").replace(/^amp\.(?=[^.]+\.)/, "");
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ""}@` : "";
  return `${parsed.protocol}//${auth}${host}${canonicalPath(parsed.pathname)}${canonicalQuery(parsed.search)}`;
}

function canonicalPath(pathname: string): string {
  const path = pathname
    .split("/")
    .filter((segment) => segment !== "amp")
    .join("/")
    .replace(/\.amp\.html$/, ".html")
    .replace(/\/+$/, "");
  return path === "" ? "/" : path;
}

/** Keeps each parameter's original encoding: re-encoding would turn "a,b" into "a%2Cb". */
function canonicalQuery(search: string): string {
  const kept = search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = safeDecode(eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
      const value = eq === -1 ? "" : safeDecode(pair.slice(eq + 1)).toLowerCase();
      return { pair, key, value };
    })
    .filter(({ key, value }) => !key.startsWith("utm_") && !TRACKING_PARAMS.has(key) && !isAmpParam(key, value));
  // Array.prototype.sort is stable: repeated keys keep their order, which can matter to the site.
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return kept.length ? `?${kept.map(({ pair }) => pair).join("&")}` : "";
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * The key that says "we have seen this item": the feed's guid, unless it is a URL (then its
 * canonical form, so a guid that merely copies the link dedups with the link), else the canonical
 * link, else a hash of the normalized title (or, without a title, of the description).
 */
export function dedupKeyFor(item: RawItem): string {
  const guid = item.guid?.trim();
  if (guid) {
    const guidUrl = /^https?:\/\//i.test(guid) ? canonicalUrl(guid) : undefined;
    return guidUrl ? `url:${guidUrl}` : `guid:${guid}`;
  }
  const link = item.link ? canonicalUrl(item.link) : undefined;
  if (link) return `url:${link}`;
  const text = normalizeForHash(item.title) || normalizeForHash(item.description ?? item.content ?? "");
  return `title:${createHash("sha1").update(text).digest("hex")}`;
}

function normalizeForHash(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** " - BBC News", " | Reuters", " — The New York Times": a separator, then up to 4 words starting with a capital. */
const SOURCE_SUFFIX = /\s+(?:[-–—|·•]|::)\s+((?:\p{Lu}|\p{N})[^\s–—|·•]*(?:\s+[^\s–—|·•]+){0,3})$/u;

/**
 * A comparison form of a headline, for finding the same story in two feeds: no case, accents,
 * punctuation or source suffix ("… - BBC News").
 */
export function headlineFingerprint(title: string): string {
  let text = title.normalize("NFKC").replace(/\s+/g, " ").trim();
  const suffix = SOURCE_SUFFIX.exec(text);
  // Strip it only when a real headline (3 words or more) remains before it.
  if (suffix && text.slice(0, suffix.index).split(" ").length >= 3) text = text.slice(0, suffix.index);
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

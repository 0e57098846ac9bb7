import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Why an address is not fetched: the words complete "… is a ___ address". */
export type PrivateKind = "loopback" | "private-network" | "link-local or cloud-metadata" | "unique-local" | "reserved";

/**
 * Refused even with ALLOW_PRIVATE_FEEDS: no intranet feed lives on a link-local address, and a cloud's metadata service
 * hands out the machine's credentials to whoever asks.
 */
export const ALWAYS_REFUSED: PrivateKind = "link-local or cloud-metadata";

// Checked in this order: the metadata addresses inside wider private ranges come first, so they are named as such.
const RANGES: ReadonlyArray<[kind: PrivateKind, network: string, prefix: number, family: "ipv4" | "ipv6"]> = [
  ["link-local or cloud-metadata", "100.100.100.200", 32, "ipv4"], // Alibaba Cloud's metadata service
  ["link-local or cloud-metadata", "fd00:ec2::254", 128, "ipv6"], // AWS's IPv6 metadata service
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["loopback", "::1", 128, "ipv6"],
  ["private-network", "10.0.0.0", 8, "ipv4"],
  ["private-network", "172.16.0.0", 12, "ipv4"],
  ["private-network", "192.168.0.0", 16, "ipv4"],
  // Carrier-grade NAT.
  ["private-network", "100.64.0.0", 10, "ipv4"],
  // 169.254.169.254 is the metadata service of AWS, GCP, Azure and most other clouds.
  ["link-local or cloud-metadata", "169.254.0.0", 16, "ipv4"],
  ["link-local or cloud-metadata", "fe80::", 10, "ipv6"],
  ["unique-local", "fc00::", 7, "ipv6"],
  ["reserved", "0.0.0.0", 8, "ipv4"],
  ["reserved", "192.0.0.0", 24, "ipv4"],
  ["reserved", "198.18.0.0", 15, "ipv4"],
  ["reserved", "224.0.0.0", 3, "ipv4"], // multicast, reserved and broadcast
  ["reserved", "::", 128, "ipv6"],
  ["reserved", "ff00::", 8, "ipv6"],
];

const blockLists = new Map<PrivateKind, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  const list = blockLists.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  blockLists.set(kind, list);
}

/** IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) reach that address. */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex =
    /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) ?? /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/i.exec(address);
  if (!hex?.[1] || !hex[2]) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** The kind of non-public address `address` (an IP literal) is, or undefined for a public one. */
export function privateKind(address: string): PrivateKind | undefined {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  const inner = family === "ipv6" ? embeddedIpv4(address) : undefined;
  if (inner !== undefined) return privateKind(inner);
  for (const [kind, list] of blockLists) if (list.check(address, family)) return kind;
  return undefined;
}

/**
 * The first address of `url`'s host that is not public, with its kind; undefined when every address the
 * resolver gives is public. Any bad one refuses the host: the connection may use any of them. With
 * `allowPrivateNetworks` (ALLOW_PRIVATE_FEEDS) only link-local and cloud-metadata addresses are refused.
 */
export async function findPrivateAddress(
  url: URL,
  options: { allowPrivateNetworks?: boolean } = {},
): Promise<{ address: string; kind: PrivateKind } | undefined> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
  for (const address of addresses) {
    const kind = privateKind(address);
    if (kind !== undefined && (!options.allowPrivateNetworks || kind === ALWAYS_REFUSED)) return { address, kind };
  }
  return undefined;
}

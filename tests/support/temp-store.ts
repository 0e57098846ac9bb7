import { join } from "node:path";
import { openStore, type Store } from "../../src/store/index.js";
import { makeTempDir } from "./temp-dir.js";

/** A real SQLite store in a temp directory. `reopen` simulates a restart. */
export function makeTempStore(): { store: Store; path: string; reopen: () => Promise<Store>; dispose: () => Promise<void> } {
  const dir = makeTempDir();
  const path = join(dir.path, "news.db");
  let store = openStore({ kind: "sqlite", path });
  const handle = {
    get store() {
      return store;
    },
    path,
    async reopen() {
      await store.close();
      store = openStore({ kind: "sqlite", path });
      return store;
    },
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
  return handle;
}

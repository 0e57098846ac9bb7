import { join } from "node:path";
import { systemClock, type Clock } from "../../src/clock.js";
import { openStore, type Store } from "../../src/store/index.js";
import { makeTempDir } from "./temp-dir.js";

/** A real SQLite store in a temp directory, stamping with `clock`. `reopen` simulates a restart. */
export function makeTempStore(clock: Clock = systemClock): {
  store: Store;
  path: string;
  reopen: () => Promise<Store>;
  dispose: () => Promise<void>;
} {
  const dir = makeTempDir();
  const path = join(dir.path, "news.db");
  let store = openStore({ kind: "sqlite", path }, clock);
  const handle = {
    get store() {
      return store;
    },
    path,
    async reopen() {
      await store.close();
      store = openStore({ kind: "sqlite", path }, clock);
      return store;
    },
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
  return handle;
}

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder: the nearest folder above this file that holds package.json. It is the same whether the
 * code runs from src/ under tsx or from dist/src/ after `npm run build`, so data files that are not compiled
 * (templates/) are read from one place and an editor's change to them needs no rebuild.
 */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`No package.json above ${start}. Run Newsdesk from its project folder (dist/ needs templates/ beside it).`);
    }
  }
}

import { config as loadDotenv } from "dotenv";
import { parseArgs } from "node:util";
import { ConfigError, loadToolConfig } from "../config/index.js";
import { backupStore, BackupError } from "../store/index.js";

/**
 * npm run backup -- FILE [--force]
 * Copies the database DATABASE_URL names to FILE with SQLite's online backup: safe while the bot runs, which goes
 * on reading and writing meanwhile. An existing FILE is kept unless --force says to replace it.
 */
loadDotenv({ quiet: true });

const USAGE = "Usage: npm run backup -- FILE [--force]   (FILE: where to write the copy; --force replaces an existing FILE)\n";

async function main(): Promise<number> {
  const args = parseArguments();
  if (args === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadToolConfig();
  const report = await backupStore(config.database, args.file, { overwrite: args.force });
  const { articles, chats, follows, feeds } = report.rows;
  process.stdout.write(
    `Backed up ${config.database.path} to ${report.file}: ${formatBytes(report.bytes)}, schema version ${report.schemaVersion}, ` +
      `integrity ok; ${articles} articles, ${chats} chats, ${follows} follows, ${feeds} feeds.\n`,
  );
  return 0;
}

/** FILE and --force, or undefined when the command line is anything else. */
function parseArguments(): { file: string; force: boolean } | undefined {
  try {
    const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true });
    const [file, ...extra] = positionals;
    return file === undefined || extra.length > 0 ? undefined : { file, force: values.force };
  } catch {
    return undefined; // an unknown option
  }
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`Newsdesk cannot start: ${error.message}\n`);
    else if (error instanceof BackupError) process.stderr.write(`Backup not made: ${error.message}\n`);
    else process.stderr.write(`Backup failed: ${String(error)}\n`);
    process.exit(1);
  },
);

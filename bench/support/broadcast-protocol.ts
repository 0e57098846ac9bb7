/** Messages between bench/broadcast.ts and the contender's process (broadcast-child.ts), over fork()'s IPC. */

export interface RunRequest {
  type: "run";
  contender: string;
  apiRoot: string;
  token: string;
  chatIds: number[];
  rate: number;
  concurrency: number;
  capMs: number;
  dbPath: string;
}

/** Start the clock: sent once the child answered "prepared". */
export interface GoRequest {
  type: "go";
}

export type ParentMessage = RunRequest | GoRequest;

export type ChildMessage =
  | { type: "ready" }
  | { type: "prepared" }
  | { type: "unavailable"; reason: string }
  | { type: "failed"; error: string }
  | {
      type: "done";
      /** From the start of run() until it settled. */
      ms: number;
      /** The deadline signal had fired when run() settled. */
      hitDeadline: boolean;
      /** run() itself rejected (not because of the deadline). */
      error?: string;
      /** Sends the contender reported as failed before the deadline, and the first few reasons. */
      failedSends: number;
      failures: string[];
    };

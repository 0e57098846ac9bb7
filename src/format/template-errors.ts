/** A template file cannot be used. The message names the file and line, and what to change. */
export class TemplateError extends Error {
  override name = "TemplateError";
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

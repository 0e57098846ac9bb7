/** An error answer of the Bot API: `{ ok: false, error_code, description, parameters? }`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = "ApiError";
  }
}

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string): ApiError => new ApiError(403, `Forbidden: ${what}`);
export const tooManyRequests = (retryAfter: number): ApiError =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
export const unauthorized = (): ApiError => new ApiError(401, "Unauthorized");
export const notFound = (): ApiError => new ApiError(404, "Not Found");

/** Attempts (claims) after which a message that keeps failing transiently is dead-lettered. */
export const MAX_TRANSIENT_ATTEMPTS = 8;

/** Exponential backoff for transient failures: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

/** What every page gets: where to draw, and a way to poll that stops when the operator leaves the page. */
export interface PageContext {
  root: HTMLElement;
  /** Runs `task` now and every `ms` until the page is left; errors go to the page's own handler. */
  poll: (ms: number, task: () => Promise<void>) => void;
  /** Reports an error (401 → login form). */
  fail: (err: unknown) => void;
}

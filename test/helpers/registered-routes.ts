/**
 * The /api routes a gateway registered, read from its start-up log as Nest writes it
 * ("Mapped {/api/messages/:id, GET} route"); method as logged (upper case), Express path syntax.
 */
export function registeredApiRoutes(logs: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = (JSON.parse(line) as { msg?: unknown }).msg;
    const m = typeof msg === 'string' ? /^Mapped \{(\S+), (\w+)\} route$/.exec(msg) : null;
    if (m && (m[1] === '/api' || m[1]!.startsWith('/api/'))) routes.push({ path: m[1]!, method: m[2]! });
  }
  return routes;
}

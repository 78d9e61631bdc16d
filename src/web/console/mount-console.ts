import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/**
 * Where scripts/build-console.js writes the bundle: beside this file's compiled form
 * (dist/web/console/public, build-*\/src/web/console/public), so every build tree serves its own.
 */
export const CONSOLE_PUBLIC_DIR = join(__dirname, 'public');

/**
 * Serves the operator console's static shell (index.html, console.js, console.css) at `/`.
 * Only files that exist in the bundle folder are answered, so /api, /fhir, /docs, /metrics,
 * /health and /dicomweb fall through to their controllers; the console routes by URL hash
 * (`#/messages/<id>`), so it needs no catch-all. The shell holds no data and stays open; the
 * data comes from /api, which requires a session.
 */
export function mountConsole(app: NestExpressApplication, logger: Logger, dir = CONSOLE_PUBLIC_DIR): void {
  if (!existsSync(join(dir, 'index.html'))) {
    logger.warn({ module: 'web.console', dir }, 'console bundle not built; / answers 503 (run npm run build)');
    app.use('/', (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path !== '/') return next();
      res.status(503).type('text/plain').send('The console is not built: run `npm run build` (scripts/build-console.js).\n');
    });
    return;
  }
  app.useStaticAssets(dir, {
    index: 'index.html',
    redirect: false,
    // The shell is tiny; revalidate on every load so a new build is picked up at once.
    setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
  });
}

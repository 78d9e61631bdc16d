import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import { mountConsole } from '../../src/web/console/mount-console';

@Controller()
class RoutesController {
  @Get('api/messages')
  messages(): { route: string } {
    return { route: 'api' };
  }

  @Get('health')
  health(): { route: string } {
    return { route: 'health' };
  }
}

@Module({ controllers: [RoutesController] })
class RoutesModule {}

async function serveWith(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await NestFactory.create<NestExpressApplication>(RoutesModule, { logger: false });
  mountConsole(app, pino({ level: 'silent' }), dir);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

describe('mountConsole on a real Nest/express server', () => {
  let bundle: string;
  before(() => {
    bundle = mkdtempSync(join(tmpdir(), 'ecggw-console-'));
    writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(bundle, 'console.js'), 'void 0;');
  });
  after(() => rmSync(bundle, { recursive: true, force: true }));

  test('serves the shell at / and its files, and never shadows the routes beside it', async () => {
    const server = await serveWith(bundle);
    try {
      const root = await fetch(`${server.url}/`);
      assert.equal(root.status, 200);
      assert.match(root.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(root.headers.get('cache-control'), 'no-cache');
      assert.equal((await fetch(`${server.url}/console.js`)).status, 200);
      assert.deepEqual(await (await fetch(`${server.url}/api/messages`)).json(), { route: 'api' });
      assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { route: 'health' });
      assert.equal((await fetch(`${server.url}/no-such-page`)).status, 404);
    } finally {
      await server.close();
    }
  });

  test('without a built bundle, / answers 503 saying how to build it; other routes still work', async () => {
    const server = await serveWith(join(bundle, 'missing'));
    try {
      const root = await fetch(`${server.url}/`);
      assert.equal(root.status, 503);
      assert.match(await root.text(), /npm run build/);
      assert.deepEqual(await (await fetch(`${server.url}/api/messages`)).json(), { route: 'api' });
    } finally {
      await server.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The project's local and CI PostgreSQL (trust auth, database `test`); `PG_TEST_URL` overrides it. */
export const PG_TEST_URL = process.env['PG_TEST_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name for one test, so runs never see each other's rows. */
export function uniqueSchemaName(): string {
  return `ecggw_test_${randomBytes(6).toString('hex')}`;
}

/** PG_TEST_URL with the schema as the connection's search_path (how an operator would isolate one too). */
export function urlWithSchema(schema: string): string {
  const url = new URL(PG_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function withClient(fn: (c: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

export function createSchema(schema: string): Promise<void> {
  return withClient((c) => c.query(`CREATE SCHEMA ${schema}`));
}

export function dropSchema(schema: string): Promise<void> {
  return withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

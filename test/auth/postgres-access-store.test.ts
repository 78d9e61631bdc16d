import { PostgresAccessStore } from '../../src/auth/postgres-access-store';
import { dropSchema, PG_TEST_URL, uniqueSchemaName } from '../store/postgres-test-schema';
import { accessStoreContract, type AccessStoreFactory } from './access-store.contract';

/** Each contract test gets its own schema, created by the shared migrations and dropped after. */
const postgresFactory: AccessStoreFactory = async () => {
  const schema = uniqueSchemaName();
  const store = new PostgresAccessStore({ connectionString: PG_TEST_URL, schema });
  await store.migrate();
  return {
    store,
    another: async () => {
      const other = new PostgresAccessStore({ connectionString: PG_TEST_URL, schema });
      await other.migrate();
      return other;
    },
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
};

accessStoreContract('PostgreSQL', postgresFactory);

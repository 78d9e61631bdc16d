import { Inject, Module, Optional, type DynamicModule, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { InternalCredential } from '../auth/internal-credential';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { GatewayError } from '../errors/gateway-error';
import { HealthRegistry } from '../web/health-registry';
import { EhrClient } from './delivery/ehr-client.port';
import { FhirKitEhrClient } from './delivery/fhir-kit-ehr-client';
import { loadSigningKey } from './delivery/load-signing-key';
import { SmartBackendAuth } from './delivery/smart-backend-auth';
import { EmbeddedFhirController } from './embedded/embedded-fhir.controller';
import { EmbeddedFhirStore } from './embedded/embedded-fhir-store.port';
import { openEmbeddedFhirStore } from './embedded/open-embedded-fhir-store';
import { EMBEDDED_FHIR_ENGINE, FHIR_DELIVERY_SETTINGS, FHIR_MAPPINGS, type FhirDeliverySettings } from './fhir-tokens';
import { gatewayVersion } from './gateway-version';
import { loadFhirMappings } from './load-fhir-mappings';
import { isKnownTimeZone } from './mapping/fhir-datetime';
import { FhirEngine } from './server/fhir-engine';

/**
 * FHIR out: the code tables, the EhrClient (fhir-kit-client + SMART Backend Services when
 * FHIR_CLIENT_ID is set) for the deliver stage, and — when FHIR_BASE_URL is unset — the embedded
 * /fhir endpoint that the gateway delivers to over HTTP with its per-process InternalCredential
 * (the endpoint needs a principal like /api), persisted in DATA_DIR/fhir.sqlite or, with
 * DATABASE_URL, in a PostgreSQL table that every replica reads and writes.
 */
@Module({})
export class FhirModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(config: Config): DynamicModule {
    const embedded = config.FHIR_BASE_URL === undefined;
    const providers: Provider[] = [
      { provide: FHIR_MAPPINGS, useFactory: () => loadFhirMappings() },
      { provide: FHIR_DELIVERY_SETTINGS, useFactory: () => deliverySettings(config) },
      {
        provide: EhrClient,
        inject: [HttpAdapterHost, InternalCredential],
        useFactory: async (host: HttpAdapterHost, internal: InternalCredential): Promise<EhrClient> => {
          if (config.FHIR_BASE_URL !== undefined) {
            const baseUrl = fixedBase(config.FHIR_BASE_URL);
            return new FhirKitEhrClient({ baseUrl, timeoutMs: config.FHIR_TIMEOUT_MS, ...(await smartAuth(config, baseUrl)) });
          }
          // The embedded /fhir needs auth like /api; the gateway presents its per-process
          // InternalCredential there (principal `gateway`), which only this process knows.
          return new FhirKitEhrClient({ baseUrl: () => embeddedBaseUrl(host, config), timeoutMs: config.FHIR_TIMEOUT_MS, authorization: () => internal.authorization() });
        },
      },
    ];
    if (embedded) {
      providers.push(
        { provide: EmbeddedFhirStore, useFactory: () => openEmbeddedFhirStore(config) },
        {
          provide: EMBEDDED_FHIR_ENGINE,
          inject: [EmbeddedFhirStore],
          // Each committed request is persisted (and, on PostgreSQL, visible to every replica) before it is answered.
          useFactory: (store: EmbeddedFhirStore): FhirEngine => new FhirEngine(store.repository, { hook: store }),
        },
      );
    }
    return {
      module: FhirModule,
      controllers: embedded ? [EmbeddedFhirController] : [],
      providers,
      exports: [FHIR_MAPPINGS, FHIR_DELIVERY_SETTINGS, EhrClient, ...(embedded ? [EMBEDDED_FHIR_ENGINE] : [])],
    };
  }

  constructor(
    private readonly health: HealthRegistry,
    @Inject(FHIR_DELIVERY_SETTINGS) private readonly settings: FhirDeliverySettings,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Optional() private readonly embeddedStore?: EmbeddedFhirStore,
  ) {}

  async onModuleInit(): Promise<void> {
    const { target, auth, patientReference } = this.settings;
    this.health.register('fhir', () => ({ ok: true, detail: { target, auth, patientReference } }));
    const embeddedResources = this.embeddedStore ? await this.embeddedStore.count() : undefined;
    this.logger.info({ module: 'fhir', target, auth, patientReference, ...(embeddedResources !== undefined ? { embeddedResources } : {}) }, 'FHIR delivery ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embeddedStore?.close();
  }
}

function deliverySettings(config: Config): FhirDeliverySettings {
  // No bound of FHIR_TIMEOUT_MS by the lease: the pipeline worker renews a delivery's claim while it
  // runs, and checks PIPELINE_LEASE_MS against its renewal interval at start (lease-heartbeat.ts).
  if ((config.FHIR_CLIENT_ID === undefined) !== (config.FHIR_PRIVATE_KEY_FILE === undefined)) {
    throw new GatewayError('CONFIG_INVALID', 'FHIR_CLIENT_ID and FHIR_PRIVATE_KEY_FILE go together (SMART Backend Services)', { field: 'FHIR_CLIENT_ID' });
  }
  if (config.FHIR_CLIENT_ID !== undefined && config.FHIR_BASE_URL === undefined) {
    throw new GatewayError('CONFIG_INVALID', 'FHIR_CLIENT_ID needs FHIR_BASE_URL: SMART Backend Services authenticate to an external EHR, not the embedded /fhir', { field: 'FHIR_CLIENT_ID' });
  }
  const zone = config.FHIR_SOURCE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isKnownTimeZone(zone)) throw new GatewayError('CONFIG_INVALID', `FHIR_SOURCE_TIMEZONE: unknown time zone "${zone}"`, { field: 'FHIR_SOURCE_TIMEZONE' });
  return {
    patientReference: config.FHIR_PATIENT_REFERENCE,
    sourceTimeZone: zone,
    gatewayVersion: gatewayVersion(),
    target: config.FHIR_BASE_URL ?? 'embedded',
    auth: config.FHIR_BASE_URL === undefined ? 'internal-credential' : config.FHIR_CLIENT_ID ? 'smart-backend-services' : 'none',
  };
}

function fixedBase(url: string): () => string {
  const base = url.replace(/\/+$/, '');
  return () => base;
}

/** The gateway's own /fhir over loopback, on the port it really listens on. */
function embeddedBaseUrl(host: HttpAdapterHost, config: Config): string {
  const address = host.httpAdapter?.getHttpServer()?.address?.() as { port?: number } | string | null | undefined;
  const port = typeof address === 'object' && address?.port ? address.port : config.HTTP_PORT;
  const h = config.HTTP_HOST === '0.0.0.0' || config.HTTP_HOST === '::' || config.HTTP_HOST === '' ? '127.0.0.1' : config.HTTP_HOST;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}/fhir`;
}

async function smartAuth(config: Config, baseUrl: () => string): Promise<{ auth?: SmartBackendAuth }> {
  if (!config.FHIR_CLIENT_ID || !config.FHIR_PRIVATE_KEY_FILE) return {};
  const { signingKey } = await loadSigningKey(config.FHIR_PRIVATE_KEY_FILE, {
    ...(config.FHIR_JWT_ALG ? { alg: config.FHIR_JWT_ALG } : {}),
    ...(config.FHIR_KEY_ID ? { kid: config.FHIR_KEY_ID } : {}),
  });
  return { auth: new SmartBackendAuth(baseUrl, { clientId: config.FHIR_CLIENT_ID, signingKey, scopes: config.FHIR_SCOPES, timeoutMs: config.FHIR_TIMEOUT_MS }) };
}

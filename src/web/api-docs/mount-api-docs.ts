import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AuthModule } from '../../auth/auth.module';
import { SESSION_COOKIE } from '../../auth/authenticator.service';
import { gatewayVersion } from '../../fhir/gateway-version';
import { StowRsModule } from '../../ingest/http/stow-rs.module';
import { MetricsModule } from '../../metrics/metrics.module';
import { MessagesApiModule } from '../messages-api.module';
import { WebModule } from '../web.module';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/**
 * The OpenAPI 3 document, read off the registered controllers and their decorators: /api,
 * /health, /metrics and STOW-RS. The embedded /fhir server is left out: its own CapabilityStatement
 * (GET /fhir/metadata) describes it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('ecg-gateway')
    .setDescription('Operator API: messages, their timelines and results, replay of dead letters, sessions and the audit trail; health, metrics and STOW-RS ingest.')
    .setVersion(gatewayVersion())
    // Everything under /api except POST /api/session takes one of these (README "Authentication").
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'An API token: the admin token or one from `ecg-gateway token create <name>`.' })
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Console session from POST /api/session; state changes also need X-Requested-With: ecg-gateway.' }, SESSION_COOKIE)
    .build();
  return requireAuthUnderApi(declarePathParameters(SwaggerModule.createDocument(app, info, { include: [MessagesApiModule, AuthModule, WebModule, MetricsModule, StowRsModule] })));
}

/**
 * AuthGuard protects every /api route but the login, whether or not its controller carries
 * @ApiBearerAuth, so the document states it from the same rule: each such operation takes a
 * Bearer token or the session cookie and may answer 401.
 */
function requireAuthUnderApi(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!(path === '/api' || path.startsWith('/api/'))) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined || (path === '/api/session' && method === 'post')) continue;
      operation.security = [{ bearer: [] }, { [SESSION_COOKIE]: [] }];
      operation.responses['401'] ??= { description: 'No valid token or session (problem+json, AUTH_REQUIRED, WWW-Authenticate: Bearer).' };
    }
  }
  return document;
}

/**
 * OpenAPI 3.0 §4.7.12.1: every `{name}` in a path template must be a required path parameter.
 * The scanner drops `@Param` on a route registered under several paths (STOW-RS with and
 * without `{study}`), so the missing ones are declared here from the template itself.
 */
function declarePathParameters(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters = operation.parameters ?? [];
      for (const name of names) {
        if (!parameters.some((p) => 'in' in p && p.in === 'path' && p.name === name)) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
      operation.parameters = parameters;
    }
  }
  return document;
}

/** GET /docs (Swagger UI from the bundled swagger-ui-dist, no CDN) and GET /docs/openapi.json. */
export function mountApiDocs(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] });
}

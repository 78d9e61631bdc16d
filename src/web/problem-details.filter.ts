import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorKind } from '../errors/error-codes';
import { GatewayError, toGatewayError } from '../errors/gateway-error';

const STATUS_BY_CODE: Partial<Record<string, number>> = {
  API_NOT_FOUND: 404,
  API_UNAUTHORIZED: 401,
  AUTH_REQUIRED: 401,
  AUTH_CSRF_HEADER_MISSING: 403,
  INGEST_UNSUPPORTED_MEDIA_TYPE: 415,
  INGEST_TOO_LARGE: 413,
  STORE_UNAVAILABLE: 503,
  MESSAGE_STATE_CONFLICT: 409,
};
const STATUS_BY_KIND: Record<ErrorKind, number> = { 'bad-input': 400, unsupported: 400, transient: 503, internal: 500 };

/** Any error → RFC 9457 application/problem+json with `code` and `field`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status: number;
    let body: Record<string, unknown>;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      body = { type: 'about:blank', title: exception.message, status, detail: exception.message, code: status === 404 ? 'API_NOT_FOUND' : 'API_BAD_REQUEST' };
    } else {
      const e: GatewayError = toGatewayError(exception);
      status = STATUS_BY_CODE[e.code] ?? STATUS_BY_KIND[e.kind];
      body = { type: `urn:ecg-gateway:error:${e.code}`, title: e.code, status, detail: e.message, code: e.code };
      if (e.field !== undefined) body['field'] = e.field;
    }
    res.status(status).type('application/problem+json').send(JSON.stringify(body));
  }
}

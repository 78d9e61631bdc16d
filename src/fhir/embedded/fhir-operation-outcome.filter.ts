import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Response } from 'express';
import type { ErrorKind } from '../../errors/error-codes';
import { toGatewayError } from '../../errors/gateway-error';

type IssueCode = OperationOutcomeIssue['code'];

/** The codes that reach /fhir (AuthGuard, the audit trail, the embedded store): status and FHIR issue type. */
const BY_CODE: Partial<Record<string, { status: number; issue: IssueCode }>> = {
  AUTH_REQUIRED: { status: 401, issue: 'login' },
  AUTH_CSRF_HEADER_MISSING: { status: 403, issue: 'forbidden' },
  STORE_UNAVAILABLE: { status: 503, issue: 'transient' },
};
const BY_KIND: Record<ErrorKind, { status: number; issue: IssueCode }> = {
  'bad-input': { status: 400, issue: 'invalid' },
  unsupported: { status: 400, issue: 'not-supported' },
  transient: { status: 503, issue: 'transient' },
  internal: { status: 500, issue: 'exception' },
};

/**
 * Errors on the embedded /fhir (a refused credential from AuthGuard included) as a FHIR
 * OperationOutcome in application/fhir+json, which FHIR clients parse, instead of the
 * problem+json of /api. The gateway's error code is kept as a coding so operators can match
 * it with the README. Headers set before the throw (WWW-Authenticate) stay.
 */
@Catch()
export class FhirOperationOutcomeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status: number;
    let issue: OperationOutcomeIssue;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      issue = { severity: 'error', code: status === 404 ? 'not-found' : 'invalid', diagnostics: exception.message };
    } else {
      const e = toGatewayError(exception);
      const mapped = BY_CODE[e.code] ?? BY_KIND[e.kind];
      status = mapped.status;
      issue = { severity: 'error', code: mapped.issue, details: { coding: [{ system: 'urn:ecg-gateway:error', code: e.code }], text: e.message } };
    }
    const body: OperationOutcome = { resourceType: 'OperationOutcome', issue: [issue] };
    res.status(status).type('application/fhir+json; charset=utf-8').send(JSON.stringify(body));
  }
}

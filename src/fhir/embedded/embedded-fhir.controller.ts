import { All, Controller, Inject, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AuditTrail } from '../../auth/audit-trail.service';
import type { AuthenticatedRequest } from '../../auth/authenticated-request';
import type { FhirEngine } from '../server/fhir-engine';
import { handleFhirHttp } from '../server/fhir-http-handler';
import { EMBEDDED_FHIR_ENGINE } from '../fhir-tokens';
import { FhirOperationOutcomeFilter } from './fhir-operation-outcome.filter';
import { fhirAudit } from './fhir-audit';

const BASE_PATH = '/fhir';

/**
 * The embedded FHIR R4 endpoint at /fhir (when FHIR_BASE_URL is unset): the gateway delivers to
 * it over HTTP like to any EHR; operators and tests read and search it. It holds Patient
 * resources and ECG results, so AuthGuard asks for a principal on every route but
 * GET /fhir/metadata; errors, a 401 included, answer as OperationOutcome.
 */
@Controller('fhir')
@UseFilters(FhirOperationOutcomeFilter)
export class EmbeddedFhirController {
  constructor(
    @Inject(EMBEDDED_FHIR_ENGINE) private readonly engine: FhirEngine,
    private readonly audit: AuditTrail,
  ) {}

  @All(['', '*path'])
  async handle(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const principal = req.principal;
    // A person's request is audited before anything is answered or changed (AUDIT_UNAVAILABLE
    // refuses it); the gateway's own deliveries are in the message timeline already.
    if (principal !== undefined && principal.via !== 'internal') {
      const { action, detail } = fhirAudit(req.method, req.originalUrl, BASE_PATH);
      await this.audit.record(principal.name, action, undefined, { ...detail });
    }
    await handleFhirHttp(this.engine, BASE_PATH, req, res);
  }
}

import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { FhirEngine } from '../server/fhir-engine';
import { handleFhirHttp } from '../server/fhir-http-handler';
import { EMBEDDED_FHIR_ENGINE } from '../fhir-tokens';

/**
 * The embedded FHIR R4 endpoint at /fhir (when FHIR_BASE_URL is unset): the gateway delivers to
 * it over HTTP like to any EHR; operators and tests read and search it.
 */
@Controller('fhir')
export class EmbeddedFhirController {
  constructor(@Inject(EMBEDDED_FHIR_ENGINE) private readonly engine: FhirEngine) {}

  @All(['', '*path'])
  async handle(@Req() req: Request, @Res() res: Response): Promise<void> {
    await handleFhirHttp(this.engine, '/fhir', req, res);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ModelRegistry } from '../inference/model-registry';
import { modelSummary, type ModelCatalogue } from './model-catalogue';

/** GET /api/models: what the models page shows — loaded models' manifests and refused folders with why. */
@ApiTags('models')
@Controller('api/models')
export class ModelsController {
  constructor(private readonly registry: ModelRegistry) {}

  @Get()
  @ApiOkResponse({
    description:
      'Each loaded model: id, version, sha256, purpose, intended use, clinical validation status, input contract, outputs with strata thresholds and published performance; and each refused model folder with the code, field and reason it was refused at start.',
  })
  list(): ModelCatalogue {
    return { modelDir: this.registry.modelDir, models: this.registry.models.map((m) => modelSummary(m.manifest)), refused: [...this.registry.refused] };
  }
}

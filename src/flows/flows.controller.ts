import { Controller, Get, Param } from '@nestjs/common';
import type { FlowDefinition } from '../../protocol/flow-definition';
import type { FlowSummary } from '../../protocol/flows';
import { FlowCatalog } from './flow-catalog.service';
import { mainPath } from './main-path';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FlowDefinitionSchema, FlowSummarySchema } from '../common/api-schemas/flows';
import { ApiErrors } from '../common/api-schemas/errors';

@ApiTags('flows')
@Controller('api/flows')
export class FlowsController {
  constructor(private readonly catalog: FlowCatalog) {}

  @Get()
  @ApiOperation({ summary: 'Per flow, the version new calls use, with what the chooser and progress strip need' })
  @ApiOkResponse({ type: FlowSummarySchema, isArray: true })
  list(): FlowSummary[] {
    return this.catalog.list().map((f) => ({
      id: f.id,
      version: f.version,
      title: f.title,
      kind: f.kind ?? 'business',
      keywords: f.keywords ?? [],
      scenarios: f.scenarios ?? [],
      mainPath: mainPath(f).map((id) => ({ id, title: f.machine.states[id].meta.title, lane: f.machine.states[id].meta.lane })),
    }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole definition of the version of a flow in force' })
  @ApiOkResponse({ type: FlowDefinitionSchema })
  @ApiErrors('NOT_FOUND', 'FLOW_UNAVAILABLE')
  get(@Param('id') id: string): FlowDefinition {
    return this.catalog.current(id).definition;
  }
}

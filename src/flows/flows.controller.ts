import { Controller, Get, Param } from '@nestjs/common';
import type { FlowDefinition } from '../../protocol/flow-definition';
import type { FlowSummary } from '../../protocol/flows';
import { FlowCatalog } from './flow-catalog.service';
import { mainPath } from './main-path';

@Controller('api/flows')
export class FlowsController {
  constructor(private readonly catalog: FlowCatalog) {}

  @Get()
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
  get(@Param('id') id: string): FlowDefinition {
    return this.catalog.current(id).definition;
  }
}

import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../auth/jwt-auth.guard';
import { CallEngine } from '../calls';
import { FlowCatalog } from '../flows/flow-catalog.service';

@Controller('api/health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: CallEngine,
    private readonly catalog: FlowCatalog,
  ) {}

  @Get()
  @Public()
  async health() {
    await this.dataSource.query('SELECT 1');
    return {
      status: 'ok',
      database: 'ok',
      liveCalls: this.engine.liveCount,
      flows: this.catalog.list().map((f) => `${f.id}@${f.version}`),
    };
  }
}

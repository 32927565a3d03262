import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CheckMetrics, Comparison, MetricsSummary, OfferMetrics, StepMetrics } from '../../protocol/metrics';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { CompareQuery, MetricsQuery } from './dto/metrics-query.dto';
import { flatten, toCsv } from './metrics-csv';
import { MetricsService } from './metrics.service';
import { CheckMetricsSchema, ComparisonSchema, MetricsSummarySchema, OfferMetricsSchema, StepMetricsSchema } from '../common/api-schemas/metrics';
import { FlowIdParam } from '../common/api-schemas/params';
import { ApiErrors } from '../common/api-schemas/errors';

const FLOW_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Operations metrics from the decision log (rollups), JSON or CSV (`format=csv`, one table per endpoint). */
@ApiTags('metrics')
@Controller('api/metrics')
@Roles('supervisor', 'qa')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Calls, handle time (agent vs wait, by lane), per business: success, FCR, agent steps vs target, marketing. CSV: the businesses table',
  })
  @ApiOkResponse({ type: MetricsSummarySchema })
  async summary(@Query() q: MetricsQuery, @Res({ passthrough: true }) res: Response, @Req() req: AuthedRequest): Promise<MetricsSummary | string> {
    const summary = await this.metrics.queries.summary(await this.metrics.filter(q, req.user), this.metrics.fcrDays(q));
    return q.format === 'csv'
      ? csv(
          res,
          'metrics-businesses',
          summary.businesses.map((b) => flatten({ ...b })),
        )
      : summary;
  }

  @Get('flows/:flowId/steps')
  @ApiOperation({ summary: 'Per step of a flow: visits, time, W waits, F failures with top causes, drop-offs' })
  @FlowIdParam()
  @ApiOkResponse({ type: StepMetricsSchema, isArray: true })
  @ApiErrors('NOT_FOUND')
  async steps(
    @Param('flowId') flowId: string,
    @Query() q: MetricsQuery,
    @Res({ passthrough: true }) res: Response,
    @Req() req: AuthedRequest,
  ): Promise<StepMetrics[] | string> {
    if (!FLOW_ID.test(flowId)) throw new AppError('NOT_FOUND', `No flow '${flowId}'`);
    const steps = await this.metrics.queries.steps({ ...(await this.metrics.filter(q, req.user)), flowId });
    return q.format === 'csv'
      ? csv(
          res,
          `metrics-steps-${flowId}`,
          steps.map((s) => flatten({ ...s })),
        )
      : steps;
  }

  @Get('offers')
  @ApiOperation({ summary: 'Per M point (offerId null) and per offer: eligible, presented, accepted, conversion' })
  @ApiOkResponse({ type: OfferMetricsSchema, isArray: true })
  async offers(@Query() q: MetricsQuery, @Res({ passthrough: true }) res: Response, @Req() req: AuthedRequest): Promise<OfferMetrics[] | string> {
    const offers = await this.metrics.queries.offers(await this.metrics.filter(q, req.user));
    return q.format === 'csv'
      ? csv(
          res,
          'metrics-offers',
          offers.map((o) => ({ ...o })),
        )
      : offers;
  }

  @Get('compliance')
  @ApiOperation({ summary: 'Per automatic compliance check: applicable calls, passed, pass rate' })
  @ApiOkResponse({ type: CheckMetricsSchema, isArray: true })
  async compliance(@Query() q: MetricsQuery, @Res({ passthrough: true }) res: Response, @Req() req: AuthedRequest): Promise<CheckMetrics[] | string> {
    const checks = await this.metrics.queries.compliance(await this.metrics.filter(q, req.user));
    return q.format === 'csv'
      ? csv(
          res,
          'metrics-compliance',
          checks.map((c) => ({ ...c })),
        )
      : checks;
  }

  @Get('compare')
  @ApiOperation({ summary: 'Two versions of a flow side by side (summary + steps) with sample sizes; CSV: the differences table' })
  @ApiOkResponse({ type: ComparisonSchema })
  async compare(@Query() q: CompareQuery, @Res({ passthrough: true }) res: Response, @Req() req: AuthedRequest): Promise<Comparison | string> {
    if (!q.flowId) throw new AppError('VALIDATION_FAILED', 'flowId is required', [{ field: 'flowId', problems: ['is required'] }]);
    const result = await this.metrics.queries.compare(
      await this.metrics.filter({ ...q, version: undefined }, req.user),
      q.flowId,
      q.a,
      q.b,
      this.metrics.fcrDays(q),
    );
    return q.format === 'csv'
      ? csv(
          res,
          `metrics-compare-${q.flowId}-${q.a}-${q.b}`,
          result.differences.map((d) => ({ ...d })),
        )
      : result;
  }
}

function csv(res: Response, name: string, rows: Record<string, unknown>[]): string {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
  return toCsv(rows);
}

import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/jwt-auth.guard';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * `GET /metrics`: the server's metrics in the Prometheus text format. Open like /api/health,
 * unless METRICS_TOKEN is set: then the scraper must send `Authorization: Bearer <METRICS_TOKEN>`.
 */
@ApiExcludeController()
@Controller('metrics')
export class PrometheusController {
  private readonly token: Buffer | null;
  /** Production without METRICS_TOKEN: closed (no open metrics by default outside development). */
  private readonly closed: boolean;

  constructor(
    private readonly metrics: PrometheusMetrics,
    config: AppConfig,
  ) {
    this.token = config.METRICS_TOKEN ? Buffer.from(config.METRICS_TOKEN) : null;
    this.closed = !this.token && config.NODE_ENV === 'production';
  }

  /** No JWT: the scraper is not a user; METRICS_TOKEN guards it instead. */
  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (this.closed) throw new AppError('UNAUTHORIZED', 'GET /metrics needs METRICS_TOKEN in production');
    if (this.token) {
      const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
      if (given.length !== this.token.length || !timingSafeEqual(given, this.token)) {
        throw new AppError('UNAUTHORIZED', authorization ? 'The metrics token is invalid' : 'A metrics token is required');
      }
    }
    const body = await this.metrics.metrics();
    response.status(200).type(this.metrics.contentType).send(body);
  }
}

import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PrometheusController } from './prometheus.controller';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * Prometheus metrics for the server itself. Global, so the engine, the gateway and the decision
 * log can record into it (each takes it as an optional dependency: unit tests build them without).
 */
@Global()
@Module({
  providers: [{ provide: PrometheusMetrics, inject: [AppConfig], useFactory: (config: AppConfig) => new PrometheusMetrics({ node: config.NODE_ID }) }],
  controllers: [PrometheusController],
  exports: [PrometheusMetrics],
})
export class ObservabilityModule {}

import { Global, Module } from '@nestjs/common';
import { PrometheusController } from './prometheus.controller';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * Prometheus metrics for the server itself. Global, so the engine, the gateway and the decision
 * log can record into it (each takes it as an optional dependency: unit tests build them without).
 */
@Global()
@Module({
  providers: [{ provide: PrometheusMetrics, useFactory: () => new PrometheusMetrics() }],
  controllers: [PrometheusController],
  exports: [PrometheusMetrics],
})
export class ObservabilityModule {}

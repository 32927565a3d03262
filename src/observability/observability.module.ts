import { Global, Module } from '@nestjs/common';
import { PrometheusController } from './prometheus.controller';
import { ServerMetrics } from './server-metrics';

/**
 * Prometheus metrics for the server itself. Global, so the engine, the gateway and the decision
 * log can record into it (each takes it as an optional dependency: unit tests build them without).
 */
@Global()
@Module({
  providers: [{ provide: ServerMetrics, useFactory: () => new ServerMetrics() }],
  controllers: [PrometheusController],
  exports: [ServerMetrics],
})
export class ObservabilityModule {}

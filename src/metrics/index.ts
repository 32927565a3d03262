// The metrics' public surface for other modules (src/evaluation reads the same rollups and facts).
export { factWhere, rollupWhere, type MetricsFilter } from './metrics-filter';
export { MAX_FCR_DAYS, REPEAT_COLUMNS, type Grain } from './rollup-schema';
export { MetricsService } from './metrics.service';
export { MetricsQuery } from './dto/metrics-query.dto';
export { MetricsModule } from './metrics.module';
export { addSatisfaction, lockRatedCalls, RATING_COLUMNS, SATISFACTION_ROLLUP_TABLE, storedRatedCall } from './satisfaction-rollups';

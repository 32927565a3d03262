import { Global, Module } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { BackendPort } from './backend.port';
import { loadCustomerFixtures } from './simulator/customer-fixtures';
import { SimulatorBackend } from './simulator/simulator-backend';

@Global()
@Module({
  providers: [
    {
      provide: BackendPort,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new SimulatorBackend(loadCustomerFixtures(path.resolve(config.CUSTOMERS_FILE)), config.SIM_LATENCY_MS, config.SIM_SPIKE_MS),
    },
  ],
  exports: [BackendPort],
})
export class BackendModule {}

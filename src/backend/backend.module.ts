import { Global, Module } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { BackendPort } from './backend.port';
import { loadBackendMapping } from './http/backend-mapping';
import { HttpBackend } from './http/http-backend';
import { loadCustomerFixtures } from './simulator/customer-fixtures';
import { SimulatorBackend } from './simulator/simulator-backend';

/** The adapter the config names; a bad mapping file stops the boot with its file and JSON path. */
export function createBackend(config: AppConfig): BackendPort {
  if (config.BACKEND === 'http') {
    const file = path.resolve(config.BACKEND_MAPPING_FILE);
    return new HttpBackend(loadBackendMapping(file), path.dirname(file), process.env, config.BACKEND_BASE_URL);
  }
  return new SimulatorBackend(loadCustomerFixtures(path.resolve(config.CUSTOMERS_FILE)), config.SIM_LATENCY_MS, config.SIM_SPIKE_MS);
}

@Global()
@Module({
  providers: [{ provide: BackendPort, inject: [AppConfig], useFactory: createBackend }],
  exports: [BackendPort],
})
export class BackendModule {}

/**
 * The campaign worker thread (started by CampaignThread): runs a test dialling campaign off the
 * main thread — every simulated call enumerates the customer's paths and runs them through the step
 * function (seconds for a large campaign), so the agents' calls never wait behind it. Everything
 * arrives as plain data (CampaignJob); the simulator customers are loaded once per thread.
 */
import * as path from 'node:path';
import { workerData } from 'node:worker_threads';
import { type CustomerFixture, loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { serveRequests } from '../common/thread-worker';
import { type CampaignJob, type CampaignOutcome, runCampaign } from './campaign-run';

export interface CampaignWorkerData {
  customersFile: string;
}

function main(): void {
  const { customersFile } = workerData as CampaignWorkerData;
  let fixtures: CustomerFixture[] | null = null;
  serveRequests<CampaignJob, CampaignOutcome>((job) => runCampaign(job, (fixtures ??= loadCustomerFixtures(path.resolve(customersFile)))));
}

main();

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { AppError } from '../common/app-error';
import { RequestThread } from '../common/request-thread';
import { type CampaignJob, type CampaignOutcome, runCampaign } from './campaign-run';
import type { CampaignWorkerData } from './campaign.worker';

/** The built worker script: next to this file in dist/ (under Jest the TypeScript has no .js beside it). */
export const CAMPAIGN_WORKER_FILE = path.join(__dirname, 'campaign.worker.js');
/** Far longer than the largest campaign takes (100 calls on the largest flow: seconds), shorter than a client gives up. */
const TIMEOUT_MS = 120_000;

/**
 * Runs campaigns on one long-lived worker thread (RequestThread: started on the first campaign,
 * again should it die, terminated by close()). A campaign that fails or outlasts the timeout is
 * rejected with a typed AppError (INTERNAL). Without a built worker (unit tests under Jest) it runs in-process.
 */
export class CampaignThread {
  private readonly thread: RequestThread<CampaignJob, CampaignOutcome, CampaignWorkerData>;
  private closed = false;

  constructor(private readonly customersFile: string) {
    this.thread = new RequestThread({ name: 'the campaign worker', file: CAMPAIGN_WORKER_FILE, workerData: { customersFile }, timeoutMs: TIMEOUT_MS });
  }

  run(job: CampaignJob): Promise<CampaignOutcome> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The campaign worker is stopped (the server is shutting down)'));
    if (!existsSync(CAMPAIGN_WORKER_FILE)) return runCampaign(job, loadCustomerFixtures(path.resolve(this.customersFile)));
    return this.thread.request(job, `The campaign on ${job.flowId} version ${job.version}`).catch((e: Error) => {
      throw e instanceof AppError ? e : new AppError('INTERNAL', `The campaign failed: ${e.message}`);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return this.thread.close();
  }
}

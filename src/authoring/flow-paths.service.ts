import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { delayImplementations } from '../flows/registry/delays';
import { versionDoesNotLoad } from '../flows/stored-version';
import { PathsThread } from './paths-thread';

/** Enumerations kept (a stored version's answer never changes while the offers matrix in force does not). */
const CACHED_ENUMERATIONS = 64;
/** Distinct enumerations computed at once; one more is refused (429 RATE_LIMITED) rather than queued. */
const MAX_COMPUTING = 1;

/**
 * Every path of a version, from the machine itself, over the simulator customers' profiles — so a
 * supervisor sees before publishing what each path costs the agent.
 *
 * The enumeration is expensive (about a second for a large flow), so it is bounded (issue 17 item 2):
 * it runs on a worker thread (PathsThread: the main thread only posts the stored text and the offers
 * matrix in force, and awaits the JSON text), each answer is cached in an LRU keyed by flow, version,
 * content hash and the offers matrix in force (a draft edited since has another hash), concurrent
 * requests for the same key share one computation, and at most MAX_COMPUTING distinct ones run at
 * once — a further one gets RATE_LIMITED rather than queueing behind it.
 */
@Injectable()
export class FlowPaths implements OnModuleDestroy {
  private readonly cache = new LRUCache<string, Promise<string>>({ max: CACHED_ENUMERATIONS });
  private computing = 0;
  private readonly thread: PathsThread;

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly config: AppConfig,
  ) {
    this.thread = new PathsThread(config.CUSTOMERS_FILE);
  }

  async onModuleDestroy(): Promise<void> {
    await this.thread.close();
  }

  /** The answer as it is sent: JSON text, serialized once per cached enumeration (on the worker). */
  json(flowId: string, version: number, stored: { text: string }): Promise<string> {
    const matrix = this.catalog.matrix(new Date().toISOString());
    const hash = createHash('sha256').update(stored.text).digest('hex');
    const key = `${flowId}@${version}#${hash}#${matrix?.version ?? '-'}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.computing >= MAX_COMPUTING) {
      return Promise.reject(new AppError('RATE_LIMITED', 'Another path enumeration is running; try again shortly'));
    }
    this.computing += 1;
    const answer = this.thread
      .run({ flowId, version, definition: stored.text, matrix, delays: delayImplementations(this.config) })
      .then((result) => {
        // The worker compiles the version: one that does not load answers 422 as before (and is not cached).
        if (!result.ok) throw versionDoesNotLoad(flowId, version, result.problems);
        return result.json;
      })
      .finally(() => (this.computing -= 1));
    this.cache.set(key, answer);
    answer.catch(() => this.cache.delete(key));
    return answer;
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { sqlPort, type SqlPort } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import { AppConfig } from '../config/app-config';
import { loadOrCreateAnchorKey } from './anchor-keys';
import { type AnchorRecord, FIRST_PREV, lineHash, signedLine } from './anchor-record';
import { endsMidLine, lastLines } from './anchor-file';
import { headsSince } from './anchor-heads';

/** Lines read back from the anchor file's end at boot, to find its last whole record past any torn ones. */
const TAIL_LINES = 8;

/**
 * Anchors the decision log outside the database (issue 17 item 7): every CHAIN_ANCHOR_INTERVAL_MS
 * (and at shutdown) the heads of the calls that gained events since the last checkpoint are signed
 * and appended to CHAIN_ANCHOR_FILE — a file meant to live apart from the database (another volume,
 * shipped to syslog or WORM storage). The offline verifier (verify-log.cli.ts) and a rewritten or
 * deleted call are then at odds, whatever hashes the rewriter recomputed. Events newer than the last
 * checkpoint are not yet anchored: the window is one interval.
 *
 * PostgreSQL hands out event ids before commit, so an id may become visible after a larger one: a
 * checkpoint there covers ids up to the largest seen one interval earlier (appends commit in
 * milliseconds). Each node anchors to its own file (each file verifies the whole log on its own).
 */
@Injectable()
export class ChainAnchorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChainAnchorService.name);
  private readonly sql: SqlPort;
  private key?: KeyObject;
  private last = { n: 0, prev: FIRST_PREV, toEventId: 0 };
  /** PostgreSQL: the largest event id seen at the previous checkpoint (this one anchors up to it). */
  private seenMax = 0;
  /** The file ends in a torn line: the next record starts with a newline. */
  private newlineFirst = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Stopping: the long reads' thread may be gone, so the last checkpoint reads on the main connection. */
  private stopping = false;
  checkpoints = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.sql = sqlPort(dataSource);
  }

  onApplicationBootstrap(): void {
    this.key = loadOrCreateAnchorKey(this.config.chainAnchorKeyFile).privateKey;
    this.last = this.resumeFrom(lastLines(this.config.chainAnchorFile, TAIL_LINES));
    this.newlineFirst = endsMidLine(this.config.chainAnchorFile);
    this.timer = setInterval(() => void this.anchorNow(), this.config.CHAIN_ANCHOR_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Where the file left off: after its last record, linked to its very last line. A line torn by a
   * crash mid-append (or garbage) never stops the server: it counts as a line, the next record links
   * over it, and the verifier reports it as a bad line.
   */
  private resumeFrom(tail: string[]): { n: number; prev: string; toEventId: number } {
    if (!tail.length) return { n: 0, prev: FIRST_PREV, toEventId: 0 };
    for (let i = tail.length - 1; i >= 0; i--) {
      try {
        const record = JSON.parse(tail[i]) as AnchorRecord;
        if (Number.isInteger(record.n) && Array.isArray(record.events)) {
          if (i < tail.length - 1)
            this.logger.error(`${this.config.chainAnchorFile}: ${tail.length - 1 - i} unreadable line(s) at its end; anchoring goes on after them`);
          return { n: record.n + (tail.length - 1 - i), prev: lineHash(tail[tail.length - 1]), toEventId: Number(record.events[1]) };
        }
      } catch {
        // torn or foreign: look one line further back
      }
    }
    throw new Error(`${this.config.chainAnchorFile}: none of its last ${tail.length} lines is an anchor record; move the file aside to start a new one`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
    // The last events of a graceful stop are anchored too (PostgreSQL: up to the ids seen one interval ago).
    await this.anchorNow();
  }

  /** One checkpoint (one at a time); failures are logged and the next tick tries again from the same place. */
  anchorNow(): Promise<void> {
    this.running ??= this.checkpoint()
      // While stopping, a checkpoint under way may lose the read thread; the last one starts again from the same place.
      .catch((e: Error) => (this.stopping ? this.logger.warn : this.logger.error).call(this.logger, `chain anchor checkpoint failed: ${e.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async checkpoint(): Promise<void> {
    const max = Number((await this.sql.get<{ m: number | string | null }>('SELECT MAX(id) AS m FROM call_events'))?.m ?? 0);
    const upTo = this.sql.dialect === 'postgres' ? Math.min(this.seenMax, max) : max;
    this.seenMax = max;
    if (upTo <= this.last.toEventId) return;
    const heads = await headsSince(this.sql, this.stopping ? this.sql : readerSqlPort(this.dataSource), this.last.toEventId, upTo);
    const record: Omit<AnchorRecord, 'sig'> = {
      v: 1,
      n: this.last.n + 1,
      at: new Date().toISOString(),
      node: this.config.NODE_ID,
      prev: this.last.prev,
      events: [this.last.toEventId, upTo],
      heads: [...heads.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
    const line = signedLine(record, this.key!);
    await appendDurably(this.config.chainAnchorFile, `${this.newlineFirst ? '\n' : ''}${line}\n`);
    this.newlineFirst = false;
    this.last = { n: record.n, prev: lineHash(line), toEventId: upTo };
    this.checkpoints++;
  }
}

/** Appends and fsyncs (mode 0600 when the file is new). */
async function appendDurably(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.promises.open(file, 'a', 0o600);
  try {
    await handle.appendFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

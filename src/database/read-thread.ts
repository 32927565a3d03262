import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { closeReader } from '../common/sqlite-reader';

/** Stops the long reads' thread (common/sqlite-reader.ts) with the application, before the connection closes. */
@Injectable()
export class ReadThread implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    await closeReader(this.dataSource);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BusinessSatisfaction } from '../../protocol/satisfaction';
import { readerSqlPort } from '../common/sqlite-reader';
import { type SatisfactionFilter, SatisfactionQueries } from './satisfaction-queries';

/** The read side, on the read thread (SQLite) like the dashboards' rollup queries. Exported: the evaluation model reads satisfaction here. */
@Injectable()
export class SatisfactionReads {
  private q?: SatisfactionQueries;

  constructor(private readonly dataSource: DataSource) {}

  get queries(): SatisfactionQueries {
    return (this.q ??= new SatisfactionQueries(readerSqlPort(this.dataSource)));
  }

  /** Replies, mean rating and share satisfied per business (the calls' days in the filter). */
  satisfactionByBusiness(filter: SatisfactionFilter = {}): Promise<BusinessSatisfaction[]> {
    return this.queries.byBusiness(filter);
  }
}

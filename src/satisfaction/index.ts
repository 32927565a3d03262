/**
 * The satisfaction module's public surface. The read port: `SatisfactionReads.satisfactionByBusiness(filter)`
 * (replies, mean rating, share satisfied per business) — import SatisfactionModule to inject it.
 */
export { SatisfactionModule } from './satisfaction.module';
export { SatisfactionReads } from './satisfaction-reads.service';
export type { SatisfactionFilter } from './satisfaction-queries';
export type { BusinessSatisfaction, SatisfactionFigures } from '../../protocol/satisfaction';

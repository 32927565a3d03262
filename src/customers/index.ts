/** The customers module's public surface: the screen pop's reads are recorded through ProfileReads. */
export { CustomersModule } from './customers.module';
export { ProfileReads } from './profile-reads.service';

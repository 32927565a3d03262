/** The cluster module's public surface. */
export { ClusterModule } from './cluster.module';
export { CallLeases, type LeaseHolder } from './call-leases.service';

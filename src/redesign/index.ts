/** The redesign module's public surface. */
export { RedesignModule } from './redesign.module';

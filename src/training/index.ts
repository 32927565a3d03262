/** Training mode's public surface: the service other modules ask who may take which business. */
export { Training } from './training.service';
export { TrainingModule } from './training.module';

/** The evaluation module's public surface: the model's scores and the importance × satisfaction quadrant. */
export { EvaluationModule } from './evaluation.module';
export { EvaluationService } from './evaluation.service';

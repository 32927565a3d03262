import type { LocalizedText } from '../../../protocol/flow-definition';
import type {
  Certification,
  MyTraining,
  ScenarioLine,
  TrainingCallStarted,
  TrainingOverview,
  TrainingResult,
  TrainingScenario,
} from '../../../protocol/training';
import { ArrayOf, Bool, DateTime, Int, LocalizedTextSchema, Num, Obj, Of, Str, Strs } from './fields';

export class ScenarioAnswerSchema {
  @Str() option: string;
  @Of(() => LocalizedTextSchema) optionLabel: LocalizedText;
  @Obj({ optional: true, description: 'The values the caller gives (as the agent enters them)' }) input?: Record<string, unknown>;
}

export class ScenarioLineSchema implements ScenarioLine {
  @Str() stepId: string;
  @Of(() => LocalizedTextSchema) stepTitle: LocalizedText;
  @Of(() => LocalizedTextSchema, { nullable: true }) says: LocalizedText | null;
  @Of(() => ScenarioAnswerSchema, { nullable: true }) answer: ScenarioLine['answer'];
}

export class TrainingScenarioSchema implements TrainingScenario {
  @Str() id: string;
  @Str() flowId: string;
  @Of(() => LocalizedTextSchema) flowTitle: LocalizedText;
  @Str() callerNumber: string;
  @Str() customerName: string;
  @ArrayOf(() => ScenarioLineSchema) lines: ScenarioLine[];
  @Str() final: string;
  @Str() outcome: string;
}

export class TrainingCallStartedSchema implements TrainingCallStarted {
  @Str() callId: string;
  @Of(() => TrainingScenarioSchema) scenario: TrainingScenario;
}

export class TrainingResultSchema implements TrainingResult {
  @Str() callId: string;
  @Str() traineeId: string;
  @Str() trainee: string;
  @Str() flowId: string;
  @Str() scenarioId: string;
  @DateTime() startedAt: string;
  @DateTime({ nullable: true }) endedAt: string | null;
  @Num({ nullable: true }) score: number | null;
  @Bool({ nullable: true }) passed: boolean | null;
  @Int({ nullable: true }) followed: number | null;
  @Int({ nullable: true }) expected: number | null;
  @Bool({ nullable: true }) reachedEnd: boolean | null;
  @Strs() failedChecks: string[];
}

export class CertificationSchema implements Certification {
  @Str() traineeId: string;
  @Str() trainee: string;
  @Str() flowId: string;
  @Int() passed: number;
  @Int() required: number;
  @Bool() certified: boolean;
}

export class TrainingOverviewSchema implements TrainingOverview, MyTraining {
  @Num() passScore: number;
  @Int() required: number;
  @Bool() certifiedOnly: boolean;
  @ArrayOf(() => TrainingResultSchema) results: TrainingResult[];
  @ArrayOf(() => CertificationSchema) certifications: Certification[];
}

import type { FlowDefinition, FlowKind, Lane, LocalizedText } from '../../../protocol/flow-definition';
import type { FlowSummary } from '../../../protocol/flows';
import { ArrayOf, Enum, FLOW_KINDS, Int, LANES, LocalizedTextSchema, Obj, Of, Str, Strs } from './fields';

export class MainPathStepSchema {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Enum(LANES) lane: Lane;
}

export class FlowSummarySchema implements FlowSummary {
  @Str() id: string;
  @Int({ minimum: 1 }) version: number;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Enum(FLOW_KINDS) kind: FlowKind;
  @Strs() keywords: string[];
  @ArrayOf(() => LocalizedTextSchema) scenarios: LocalizedText[];
  @ArrayOf(() => MainPathStepSchema, { description: 'The shortest route from the first step to the `completed` ending' })
  mainPath: MainPathStepSchema[];
}

/** A flow definition (docs/FLOWS.md): its top level; the machine and the rest as the flow file has them. */
export class FlowDefinitionSchema implements Pick<FlowDefinition, 'id' | 'version' | 'title'> {
  @Str() id: string;
  @Int({ minimum: 1 }) version: number;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Obj({ description: 'The XState machine (docs/FLOWS.md)' }) machine: Record<string, unknown>;
}

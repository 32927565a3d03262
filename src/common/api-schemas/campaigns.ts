import type { Campaign, CampaignBrand, CampaignFailure, CampaignResult, CampaignRun } from '../../../protocol/campaigns';
import { ArrayOf, Bool, DateTime, Enum, Int, Num, Of, Str, Strs } from './fields';

export const CAMPAIGN_BRANDS: readonly CampaignBrand[] = ['gotone', 'easyown', 'mzone'];

export class CampaignQuotaSchema implements Record<CampaignBrand, number> {
  @Num() gotone: number;
  @Num() easyown: number;
  @Num() mzone: number;
}

export class CampaignFailureSchema implements CampaignFailure {
  @Str() stepId: string;
  @Str() cause: string;
  @Str({ optional: true }) detail?: string;
}

export class CampaignRunSchema implements CampaignRun {
  @Int() n: number;
  @Str() msisdn: string;
  @Enum(CAMPAIGN_BRANDS) brand: CampaignBrand;
  @Bool() success: boolean;
  @Str() ending: string;
  @Str() outcome: string;
  @Strs() steps: string[];
  @Of(() => CampaignFailureSchema, { nullable: true }) failure: CampaignFailure | null;
  @Num() trajectoryMatch: number;
}

export class CampaignBrandRunsSchema {
  @Enum(CAMPAIGN_BRANDS) brand: CampaignBrand;
  @Int() runs: number;
  @Int() successes: number;
}

export class CampaignFailureCountSchema {
  @Str() stepId: string;
  @Str() cause: string;
  @Int() count: number;
}

export class CampaignResultSchema implements CampaignResult {
  @Int() runs: number;
  @Int() successes: number;
  @Strs() mainPath: string[];
  @ArrayOf(() => CampaignBrandRunsSchema) byBrand: CampaignResult['byBrand'];
  @ArrayOf(() => CampaignFailureCountSchema) failures: CampaignResult['failures'];
  @Num() trajectoryMatch: number;
  @ArrayOf(() => CampaignRunSchema) calls: CampaignRun[];
}

export class CampaignSchema implements Campaign {
  @Int() id: number;
  @Str() flowId: string;
  @Int() version: number;
  @Int() calls: number;
  @Of(() => CampaignQuotaSchema) quota: Record<CampaignBrand, number>;
  @Int() seed: number;
  @Str() requestedBy: string;
  @DateTime() startedAt: string;
  @DateTime() finishedAt: string;
  @Of(() => CampaignResultSchema) result: CampaignResult;
}

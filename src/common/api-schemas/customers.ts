import type {
  BillItem,
  CallerWorkItem,
  ContactHistory,
  PastCall,
  Brand,
  CustomerLookup,
  CustomerProfile,
  CustomerRuleCheck,
  Erasure,
  ErasureRecord,
  HandsetMode,
  LineStatus,
  LocalizedName,
  MonthlyBill,
  PlanInfo,
  ProfileRead,
  Tier,
} from '../../../protocol/customers';
import type { LocalizedText } from '../../../protocol/flow-definition';
import { ArrayOf, Bool, DateTime, Enum, Int, LocalizedNameField, LocalizedTextSchema, Num, Of, Str, Strs } from './fields';

export class BillItemSchema implements BillItem {
  @LocalizedNameField() name: LocalizedName;
  @Num() yuan: number;
}

export class MonthlyBillSchema implements MonthlyBill {
  @Str() month: string;
  @Num() totalYuan: number;
  @ArrayOf(() => BillItemSchema) items: BillItem[];
}

export class PlanInfoSchema implements PlanInfo {
  @Str() id: string;
  @LocalizedNameField() name: LocalizedName;
  @Num() monthlyYuan: number;
}

export class CustomerProfileSchema implements CustomerProfile {
  @Str({ pattern: '^\\d{5,20}$' }) msisdn: string;
  @Str() name: string;
  @Enum(['gotone', 'easyown', 'mzone'] satisfies Brand[]) brand: Brand;
  @Enum(['standard', 'gold', 'diamond'] satisfies Tier[]) tier: Tier;
  @Str() region: string;
  @Enum(['active', 'suspended', 'arrears-suspended', 'cancelled'] satisfies LineStatus[]) status: LineStatus;
  @Num() arrearsYuan: number;
  @Bool() realNameVerified: boolean;
  @Strs() services: string[];
  @Of(() => PlanInfoSchema) plan: PlanInfo;
  @Num() points: number;
  @ArrayOf(() => MonthlyBillSchema) bills: MonthlyBill[];
  @Enum(['2G', '3G', '4G', '5G'] satisfies HandsetMode[]) handsetMode: HandsetMode;
  @Bool() openedWithIdCard: boolean;
}

export class CustomerRuleCheckSchema implements CustomerRuleCheck {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) label: LocalizedText;
  @Bool() passed: boolean;
  @Of(() => LocalizedTextSchema, { nullable: true }) reason: LocalizedText | null;
}

export class CustomerRuleSchema {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Bool() passed: boolean;
  @ArrayOf(() => CustomerRuleCheckSchema) checks: CustomerRuleCheck[];
}

export class CustomerFlowRulesSchema {
  @Str() flowId: string;
  @ArrayOf(() => CustomerRuleSchema) rules: CustomerRuleSchema[];
}

export class PastCallBusinessSchema {
  @Str() flowId: string;
  @Str({ nullable: true }) outcome: string | null;
}

export class PastCallSchema implements PastCall {
  @Str() callId: string;
  @DateTime() startedAt: string;
  @Str() agent: string;
  @Enum(['active', 'completed', 'abandoned']) status: PastCall['status'];
  @Str({ nullable: true }) outcome: string | null;
  @ArrayOf(() => PastCallBusinessSchema) businesses: PastCallBusinessSchema[];
}

export class CallerWorkItemSchema implements CallerWorkItem {
  @Int() id: number;
  @Enum(['work-order', 'transfer', 'follow-up', 'callback']) type: CallerWorkItem['type'];
  @Str({ nullable: true }) business: string | null;
  @Enum(['open', 'in-progress', 'resolved', 'closed']) status: CallerWorkItem['status'];
  @Str({ nullable: true }) receiptId: string | null;
  @DateTime() dueAt: string;
  @Bool() overdue: boolean;
}

export class RepeatOfSchema {
  @Str() callId: string;
  @DateTime() startedAt: string;
  @Strs() flowIds: string[];
  @Int() fcrDays: number;
}

export class ContactHistorySchema implements ContactHistory {
  @ArrayOf(() => PastCallSchema) recentCalls: PastCall[];
  @ArrayOf(() => CallerWorkItemSchema) items: CallerWorkItem[];
  @Of(() => RepeatOfSchema, { nullable: true }) repeatOf: RepeatOfSchema | null;
}

export class CustomerLookupSchema implements CustomerLookup {
  @Of(() => CustomerProfileSchema) customer: CustomerProfile;
  @ArrayOf(() => CustomerFlowRulesSchema) flows: CustomerFlowRulesSchema[];
  @Of(() => ContactHistorySchema) history: ContactHistory;
}

export class ProfileReadSchema implements ProfileRead {
  @Int() id: number;
  @DateTime() at: string;
  @Str() username: string;
  @Str() role: string;
  @Str() msisdn: string;
  @Bool() forCall: boolean;
}

export class ErasureRecordSchema implements ErasureRecord {
  @Int() id: number;
  @DateTime() at: string;
  @Str() username: string;
  @Str({ description: "The number's pseudonym (HMAC, as in the metrics tables), never the number" }) pseudonym: string;
  @Int({ description: 'Ended calls whose payload keys were destroyed' }) calls: number;
}

export class ErasureSchema extends ErasureRecordSchema implements Erasure {
  @Int({ description: 'Calls of the number still in progress, left alone (erase again once they end)' }) activeCalls: number;
}

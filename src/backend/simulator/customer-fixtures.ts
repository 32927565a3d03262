import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  registerDecorator,
  type ValidationArguments,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Min,
  MinLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import * as fs from 'node:fs';
import { PROVISION_ACTIONS } from '../backend.port';
import { BACKEND_BEHAVIOURS, type BackendBehaviour, BRANDS, HANDSET_MODES, LINE_STATUSES, TIERS } from '../customer';
import { flattenValidationErrors } from '../../common/validation';
import type { LocalizedName } from '../../../protocol/customers';
import type { Locale } from '../../../protocol/flow-definition';

/** The languages a bilingual name gives (the screen's locales; the back end sits below flows/, so listed here). */
const LOCALES = ['zh-CN', 'en'] as const satisfies readonly Locale[];

/** A name in both languages (`{"zh-CN": …, "en": …}`, shown in the screen's), or one plain string shown as it is. */
function IsLocalizedName() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalizedName',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => {
          const text = (v: unknown) => typeof v === 'string' && v.length > 0;
          if (text(value)) return true;
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const keys = Object.keys(value);
          return keys.length === LOCALES.length && LOCALES.every((l) => text((value as Record<string, unknown>)[l]));
        },
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be a non-empty string or an object with a non-empty ${LOCALES.join(' and ')} name`,
      },
    });
}

class BillItemFixture {
  @IsLocalizedName() name: LocalizedName;
  @IsNumber() yuan: number;
}

class BillFixture {
  @Matches(/^\d{4}-\d{2}$/) month: string;
  @IsNumber() @Min(0) totalYuan: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => BillItemFixture) items: BillItemFixture[];
}

/** One data allowance of the month (the plan's own, an add-on pack) and what the subscriber has used of it. */
class DataPackFixture {
  @IsLocalizedName() name: LocalizedName;
  @IsNumber() @Min(0) allowanceMb: number;
  @IsNumber() @Min(0) usedMb: number;
}

class PlanFixture {
  @IsString() @MinLength(1) id: string;
  @IsLocalizedName() name: LocalizedName;
  @IsNumber() @Min(0) monthlyYuan: number;
}

/**
 * What the simulated support systems do for one operation: the checks (`ivr-check`,
 * `id-check`, `entry-month-check`), `query`, `suspend`, `sms`, and each provisioning action.
 */
export const SIMULATED_OPERATIONS = ['ivr-check', 'id-check', 'entry-month-check', 'query', 'suspend', 'sms', ...PROVISION_ACTIONS] as const;
export type SimulatedOperation = (typeof SIMULATED_OPERATIONS)[number];

/**
 * `backend` is one behaviour for every change and query (the checks then answer from the
 * subscriber record), or a map from operation to behaviour with `*` for the rest — so a
 * subscriber whose suspension fails while the work order goes through can be simulated. A list
 * gives the behaviour of the 1st, 2nd… request of that operation in one call (the last repeats):
 * `["error", "ok"]` fails once, then a retry goes through.
 */
export type BackendSetting = BackendBehaviour | Partial<Record<SimulatedOperation | '*', BackendBehaviour | BackendBehaviour[]>>;

function IsBackendSetting() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBackendSetting',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => {
          const isBehaviour = (v: unknown) => (BACKEND_BEHAVIOURS as readonly unknown[]).includes(v);
          if (isBehaviour(value)) return true;
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          const isSetting = (v: unknown) => isBehaviour(v) || (Array.isArray(v) && v.length > 0 && v.length <= 20 && v.every(isBehaviour));
          return entries.length > 0 && entries.every(([k, v]) => (k === '*' || (SIMULATED_OPERATIONS as readonly string[]).includes(k)) && isSetting(v));
        },
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be one of ${BACKEND_BEHAVIOURS.join(', ')} or an object mapping operations (${SIMULATED_OPERATIONS.join(', ')}, *) to one of them or to a non-empty list of them`,
      },
    });
}

/** What the simulator does for the `nth` (0-based) request of `operation` in one call (checks answer normally unless named). */
export function behaviourFor(setting: BackendSetting, operation: SimulatedOperation, nth = 0): BackendBehaviour {
  const isCheck = operation.endsWith('-check');
  if (typeof setting === 'string') return isCheck ? 'ok' : setting;
  const chosen = setting[operation] ?? (isCheck ? 'ok' : (setting['*'] ?? 'ok'));
  return Array.isArray(chosen) ? chosen[Math.min(nth, chosen.length - 1)] : chosen;
}

/** Fields added after the first fixture format: optional, with these defaults, so old files stay valid. */
export const FIXTURE_DEFAULTS = {
  plan: { id: 'basic-58', name: { 'zh-CN': '基础套餐58元', en: 'Basic 58' } as LocalizedName, monthlyYuan: 58 },
  points: 0,
  bills: [] as BillFixture[],
  handsetMode: '4G' as const,
  openedWithIdCard: true,
  networkEntryMonth: '2015-06',
  network: { areaOutage: false, coverage: 'good' as const, dataBarred: false },
};

/** The radio network around the subscriber, as the network-status query sees it (a fault report's facts). */
class NetworkFixture {
  @IsBoolean() areaOutage: boolean;
  @IsIn(['good', 'weak']) coverage: 'good' | 'weak';
  /** The data service is barred on the network side (e.g. a data cap reached): the handset cannot fix it. */
  @IsBoolean() dataBarred: boolean;
}

/** One simulated subscriber, as written in CUSTOMERS_FILE. */
export class CustomerFixture {
  @Matches(/^\d{5,20}$/) msisdn: string;
  @IsString() @MinLength(1) name: string;
  @IsIn(BRANDS) brand: (typeof BRANDS)[number];
  @IsIn(TIERS) tier: (typeof TIERS)[number];
  @IsString() @MinLength(1) region: string;
  @IsIn(LINE_STATUSES) status: (typeof LINE_STATUSES)[number];
  @IsNumber() @Min(0) arrearsYuan: number;
  @IsBoolean() realNameVerified: boolean;
  @IsIn(['pass', 'fail']) ivrPassword: 'pass' | 'fail';
  @Matches(/^\d{4}$/) idLast4: string;
  @IsArray() @ArrayUnique() @IsString({ each: true }) services: string[];
  @IsBackendSetting() backend: BackendSetting;
  @IsOptional() @ValidateNested() @Type(() => PlanFixture) plan: PlanFixture;
  @IsOptional() @IsInt() @Min(0) points: number;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => BillFixture) bills: BillFixture[];
  @IsOptional() @IsIn(HANDSET_MODES) handsetMode: (typeof HANDSET_MODES)[number];
  @IsOptional() @IsBoolean() openedWithIdCard: boolean;
  /** Secret like the password: checked by the back end, never shown to the agent. */
  @IsOptional() @Matches(/^\d{4}-\d{2}$/) networkEntryMonth: string;
  /** Back-end only (never in the profile): what the network-status query answers. */
  @IsOptional() @ValidateNested() @Type(() => NetworkFixture) network: NetworkFixture;
  /** Back-end only: the prepaid balance the balance query answers (default: minus the arrears). */
  @IsOptional() @IsNumber() balanceYuan: number;
  /** Back-end only: this month's data allowances and usage, what the data-usage query answers (default: none). */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => DataPackFixture) dataPacks: DataPackFixture[];
}

class FixtureFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomerFixture)
  customers: CustomerFixture[];
}

export function loadCustomerFixtures(file: string): CustomerFixture[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`CUSTOMERS_FILE ${file}: ${(e as Error).message}`, { cause: e });
  }
  const parsed = plainToInstance(FixtureFile, { customers: raw });
  const errors = validateSync(parsed, { forbidUnknownValues: true });
  if (!Array.isArray(raw)) throw new Error(`CUSTOMERS_FILE ${file}: expected a JSON array of customers`);
  if (errors.length) {
    const problems = flattenValidationErrors(errors).map((p) => `${p.field}: ${p.problems.join('; ')}`);
    throw new Error(`CUSTOMERS_FILE ${file}:\n  ${problems.join('\n  ')}`);
  }
  const seen = new Set<string>();
  for (const c of parsed.customers) {
    c.plan ??= { ...FIXTURE_DEFAULTS.plan };
    c.points ??= FIXTURE_DEFAULTS.points;
    c.bills ??= [];
    c.handsetMode ??= FIXTURE_DEFAULTS.handsetMode;
    c.openedWithIdCard ??= FIXTURE_DEFAULTS.openedWithIdCard;
    c.networkEntryMonth ??= FIXTURE_DEFAULTS.networkEntryMonth;
    c.network ??= { ...FIXTURE_DEFAULTS.network };
    c.dataPacks ??= [];
    c.balanceYuan ??= c.arrearsYuan ? -c.arrearsYuan : 0; // never -0: it does not survive JSON
    if (seen.has(c.msisdn)) throw new Error(`CUSTOMERS_FILE ${file}: duplicate msisdn ${c.msisdn}`);
    seen.add(c.msisdn);
  }
  return parsed.customers;
}

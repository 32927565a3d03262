import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Min, MinLength, ValidateNested, validateSync,
} from 'class-validator';
import * as fs from 'node:fs';
import { BACKEND_BEHAVIOURS, BRANDS, HANDSET_MODES, LINE_STATUSES, TIERS } from '../customer';
import { flattenValidationErrors } from '../../common/validation';

class BillItemFixture {
  @IsString() @MinLength(1) name: string;
  @IsNumber() yuan: number;
}

class BillFixture {
  @Matches(/^\d{4}-\d{2}$/) month: string;
  @IsNumber() @Min(0) totalYuan: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => BillItemFixture) items: BillItemFixture[];
}

class PlanFixture {
  @IsString() @MinLength(1) id: string;
  @IsString() @MinLength(1) name: string;
  @IsNumber() @Min(0) monthlyYuan: number;
}

/** Fields added after the first fixture format: optional, with these defaults, so old files stay valid. */
export const FIXTURE_DEFAULTS = {
  plan: { id: 'basic-58', name: '基础套餐58元 / Basic 58', monthlyYuan: 58 },
  points: 0,
  bills: [] as BillFixture[],
  handsetMode: '4G' as const,
  openedWithIdCard: true,
  networkEntryMonth: '2015-06',
};

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
  @IsIn(BACKEND_BEHAVIOURS) backend: (typeof BACKEND_BEHAVIOURS)[number];
  @IsOptional() @ValidateNested() @Type(() => PlanFixture) plan: PlanFixture;
  @IsOptional() @IsInt() @Min(0) points: number;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => BillFixture) bills: BillFixture[];
  @IsOptional() @IsIn(HANDSET_MODES) handsetMode: (typeof HANDSET_MODES)[number];
  @IsOptional() @IsBoolean() openedWithIdCard: boolean;
  /** Secret like the password: checked by the back end, never shown to the agent. */
  @IsOptional() @Matches(/^\d{4}-\d{2}$/) networkEntryMonth: string;
}

class FixtureFile {
  @IsArray() @ValidateNested({ each: true }) @Type(() => CustomerFixture)
  customers: CustomerFixture[];
}

export function loadCustomerFixtures(file: string): CustomerFixture[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`CUSTOMERS_FILE ${file}: ${(e as Error).message}`);
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
    if (seen.has(c.msisdn)) throw new Error(`CUSTOMERS_FILE ${file}: duplicate msisdn ${c.msisdn}`);
    seen.add(c.msisdn);
  }
  return parsed.customers;
}

import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayUnique, IsArray, IsBoolean, IsIn, IsNumber, IsString, Matches, Min, MinLength, ValidateNested, validateSync,
} from 'class-validator';
import * as fs from 'node:fs';
import { BACKEND_BEHAVIOURS, BRANDS, LINE_STATUSES, TIERS } from '../customer';
import { flattenValidationErrors } from '../../common/validation';

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
    if (seen.has(c.msisdn)) throw new Error(`CUSTOMERS_FILE ${file}: duplicate msisdn ${c.msisdn}`);
    seen.add(c.msisdn);
  }
  return parsed.customers;
}

import { Controller, Get, Param, Req } from '@nestjs/common';
import type { CustomerLookup } from '../../protocol/customers';
import { type AuthedRequest, Roles } from '../auth/jwt-auth.guard';
import { BackendPort } from '../backend/backend.port';
import { AppError } from '../common/app-error';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { fillBoth } from '../flows/placeholders';
import { ruleResults } from '../flows/registry/rules';
import { ProfileReads } from './profile-reads.service';
import { ContactHistories } from './contact-history.service';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerLookupSchema } from '../common/api-schemas/customers';
import { MsisdnParam } from '../common/api-schemas/params';
import { ApiErrors } from '../common/api-schemas/errors';

/**
 * The screen pop: who is calling, and — for every flow — how its rules judge this customer, so the
 * agent sees "arrears — not eligible" before choosing the business. Every profile answered is
 * recorded (who, when, with or without a call with that number).
 */
@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(
    private readonly backend: BackendPort,
    private readonly catalog: FlowCatalog,
    private readonly reads: ProfileReads,
    private readonly histories: ContactHistories,
  ) {}

  @Get(':msisdn')
  @ApiOperation({ summary: "The screen pop: the caller's profile, how every flow's rules judge them, and their contact history (the read is recorded)" })
  @MsisdnParam()
  @ApiOkResponse({ type: CustomerLookupSchema })
  @ApiErrors('VALIDATION_FAILED', 'NOT_FOUND')
  @Roles('agent', 'supervisor')
  async lookup(@Param('msisdn') msisdn: string, @Req() req: AuthedRequest): Promise<CustomerLookup> {
    if (!/^\d{5,20}$/.test(msisdn))
      throw new AppError('VALIDATION_FAILED', 'A caller number is 5–20 digits', [{ field: 'msisdn', problems: ['must be 5–20 digits'] }]);
    const customer = await this.backend.lookupCustomer(msisdn);
    if (!customer) throw new AppError('NOT_FOUND', `No subscriber with number ${msisdn}`);
    // Recorded before it is answered: a profile is never read unrecorded (GET /api/profile-reads).
    await this.reads.record(req.user, msisdn);
    const facts = { customer };
    const flows = this.catalog.list().map((flow) => ({
      flowId: flow.id,
      rules: Object.entries(flow.rules ?? {}).map(([name, rule]) => {
        const checks = ruleResults(flow, name, facts).map(({ check, passed }) => ({
          id: check.id,
          label: check.label,
          passed,
          reason: passed ? null : fillBoth(check.failReason, facts),
        }));
        return { id: name, title: rule.title, passed: checks.every((c) => c.passed), checks };
      }),
    }));
    return { customer, flows, history: await this.histories.of(msisdn) };
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACCOUNT_QUERIES, PROVISION_ACTIONS } from '../backend.port';
import { BackendMappingError, loadBackendMapping, operationEntries } from './backend-mapping';

const REFERENCE = path.resolve(__dirname, '../../../backends/reference-mapping.json');

describe('back-end mapping files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-mapping-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const reference = () => JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as Record<string, any>;
  const problemsOf = (content: unknown) => {
    const file = path.join(dir, 'mapping.json');
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    try {
      loadBackendMapping(file);
    } catch (e) {
      expect(e).toBeInstanceOf(BackendMappingError);
      expect((e as Error).message).toContain(file);
      return (e as BackendMappingError).problems;
    }
    return [];
  };

  it('accepts the shipped reference mapping, which maps every query and every provisioning action', () => {
    const mapping = loadBackendMapping(REFERENCE);
    const names = operationEntries(mapping).map(([where]) => where);
    expect(names).toContain("$.operations.provision['cross-region-service']");
    expect(names).toContain('$.operations.queryAccount.roaming');
    expect(names).toHaveLength(6 + ACCOUNT_QUERIES.length + PROVISION_ACTIONS.length);
  });

  it('names the JSON path of a jsonata expression that does not compile', () => {
    const m = reference();
    m.operations.provision['change-plan'].response = '{ receiptId: ';
    const problems = problemsOf(m);
    expect(problems).toEqual([{ path: "$.operations.provision['change-plan'].response", message: expect.stringContaining('jsonata does not compile') }]);
  });

  it('names a missing provisioning action, an unknown property and a bad method', () => {
    const m = reference();
    delete m.operations.provision.resume;
    m.operations.sendSms.verb = 'POST';
    m.operations.checkIvrPassword.method = 'SEND';
    const paths = problemsOf(m).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.operations.provision.resume', '$.operations.sendSms.verb', '$.operations.checkIvrPassword.method']));
  });

  it('refuses retries of a keyless request that is not a read, unknown URL placeholders and missing TLS files', () => {
    const m = reference();
    m.operations.lookupCustomer.method = 'POST';
    m.operations.lookupCustomer.retries = 2;
    m.operations.executeSuspension.url = '{baseUrl}/v1/{subscriber}/suspensions';
    m.auth = { tls: { certFile: 'missing.pem' } };
    expect(problemsOf(m)).toEqual(
      expect.arrayContaining([
        { path: '$.operations.lookupCustomer.retries', message: expect.stringContaining('only if it is a GET') },
        { path: '$.operations.executeSuspension.url', message: 'unknown placeholder {subscriber}' },
        { path: '$.auth.tls.certFile', message: 'file not found: missing.pem' },
      ]),
    );
  });

  it('reports a file that is not JSON at $', () => {
    expect(problemsOf('{ nope')).toEqual([{ path: '$', message: expect.stringContaining('not valid JSON') }]);
  });
});

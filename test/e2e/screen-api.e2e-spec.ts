import { http } from '../support/client';
import { SUSPEND_STEPS } from '../support/flow';
import { useServer } from '../support/use-server';

/** The HTTP the agent screen needs besides the call protocol: the screen pop and the blueprint's main path. */
describe('agent screen APIs', () => {
  const server = useServer({ users: ['agent1', 'supervisor1', 'qa1'] });
  const { tokens } = server;

  it('pops a customer with every flow rule judged, reasons filled with their data', async () => {
    const res = await http(server.baseUrl, 'GET', '/api/customers/13800000002', { token: tokens.agent1 });
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({ msisdn: '13800000002', name: '李娜', arrearsYuan: 58.5 });
    expect(res.body.customer).not.toHaveProperty('idLast4');
    expect(res.body.customer).not.toHaveProperty('ivrPassword');
    const eligible = res.body.flows.find((f: any) => f.flowId === 'suspend-service').rules.find((r: any) => r.id === 'eligible');
    expect(eligible.passed).toBe(false);
    const arrears = eligible.checks.find((c: any) => c.id === 'no-arrears');
    expect(arrears).toMatchObject({ passed: false });
    expect(arrears.reason['zh-CN']).toContain('58.5');
    expect(arrears.reason.en).toContain('58.5');
  });

  it('refuses unknown numbers, bad numbers and QA staff', async () => {
    expect((await http(server.baseUrl, 'GET', '/api/customers/13700000000', { token: tokens.agent1 })).status).toBe(404);
    const bad = await http(server.baseUrl, 'GET', '/api/customers/abc', { token: tokens.agent1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await http(server.baseUrl, 'GET', '/api/customers/13800000001', { token: tokens.qa1 })).status).toBe(403);
    expect((await http(server.baseUrl, 'GET', '/api/customers/13800000001', { token: tokens.supervisor1 })).status).toBe(200);
    expect((await http(server.baseUrl, 'GET', '/api/customers/13800000001', {})).status).toBe(401);
  });

  it('lists each flow with its main path for the progress strip', async () => {
    const res = await http(server.baseUrl, 'GET', '/api/flows', { token: tokens.agent1 });
    const suspend = res.body.find((f: any) => f.id === 'suspend-service');
    expect(suspend.mainPath.map((s: any) => s.id)).toEqual(SUSPEND_STEPS);
    expect(suspend.mainPath[0]).toMatchObject({ lane: 'frontstage', title: { 'zh-CN': '判断是否符合停机条件', en: 'Check eligibility' } });
  });

  it('serves the agent screen from the same server', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/app/main.js');
    const script = await fetch(`${server.baseUrl}/app/main.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
  });
});

/**
 * Knowledge articles and the one search box against the real server (SQLite and PostgreSQL):
 * drafted by one supervisor, approved by another (self-approval refused, audited), body sanitized,
 * linked to a step and listed for the step a live call is at (published, valid, region); searches
 * in Chinese without spaces, with a typo, in another word order and under 3 characters find it;
 * picks are logged and the top-3 share reported.
 */
import { http } from '../support/client';
import { storeRows } from '../support/store';
import { useServer } from '../support/use-server';

const K = '/api/knowledge';
const SUSPEND = 'suspend-service';

describe('knowledge articles and search over HTTP', () => {
  const server = useServer({ users: ['agent1', 'supervisor1', 'supervisor2', 'qa1'] });
  const { tokens } = server;
  const as = (user: string) => ({
    get: (p: string) => http(server.baseUrl, 'GET', `${K}${p}`, { token: tokens[user] }),
    post: (p: string, body: unknown = {}) => http(server.baseUrl, 'POST', `${K}${p}`, { token: tokens[user], body }),
    put: (p: string, body: unknown) => http(server.baseUrl, 'PUT', `${K}${p}`, { token: tokens[user], body }),
  });
  const sup1 = as('supervisor1');
  const sup2 = as('supervisor2');
  const agent = as('agent1');
  const ok = <T extends { status: number; text: string }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text}`);
    return res;
  };
  const article = (over: Record<string, unknown> = {}) => ({
    title: { 'zh-CN': '出国停机保号须知', en: 'Keeping your number while suspended abroad' },
    body: {
      'zh-CN': '<p>停机保号期间<b>月租照收</b>。<script>alert(1)</script><img src=x onerror=alert(2)></p>',
      en: '<p>The plan fee is <a href="javascript:alert(3)">still</a> charged while <a href="https://example.com/kb">suspended</a>.</p>',
    },
    tags: ['保号', 'roaming'],
    steps: [{ flowId: SUSPEND, stepId: 'warn' }],
    regions: [],
    ...over,
  });
  async function publish(body: unknown): Promise<any> {
    const draft = ok(await sup1.post('/articles', body), 201).body;
    ok(await sup1.post(`/articles/${draft.articleId}/versions/1/submit`));
    return ok(await sup2.post(`/articles/${draft.articleId}/versions/1/approve`, { comment: 'ok' })).body;
  }

  let articleId: string;

  it('draft (sanitized) → submit → self-approval refused → approved by another: published and audited', async () => {
    const draft = ok(await sup1.post('/articles', article()), 201).body;
    articleId = draft.articleId;
    expect(draft).toMatchObject({ version: 1, status: 'draft', createdBy: 'supervisor1', approvedBy: null });
    expect(draft.body['zh-CN']).toBe('<p>停机保号期间<b>月租照收</b>。</p>');
    expect(draft.body.en).not.toContain('javascript');
    expect(draft.body.en).toContain('<a href="https://example.com/kb" rel="noopener noreferrer" target="_blank">suspended</a>');
    expect((await agent.post('/articles', article())).status).toBe(403);

    // A draft is not searchable or shown yet.
    expect(ok(await agent.get(`/step-articles?flowId=${SUSPEND}&stepId=warn`)).body).toEqual([]);
    ok(await sup1.post(`/articles/${articleId}/versions/1/submit`));
    expect((await sup1.put(`/articles/${articleId}/versions/1`, article())).body).toMatchObject({ code: 'INVALID_STATE' });
    const self = await sup1.post(`/articles/${articleId}/versions/1/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('another supervisor') });
    const published = ok(await sup2.post(`/articles/${articleId}/versions/1/approve`, { comment: 'checked' })).body;
    expect(published).toMatchObject({ status: 'published', approvedBy: 'supervisor2' });
    const audit = ok(await as('qa1').get(`/audit?articleId=${articleId}`)).body;
    expect(audit.map((a: any) => [a.action, a.actor])).toEqual([
      ['create', 'supervisor1'],
      ['submit', 'supervisor1'],
      ['approve', 'supervisor2'],
    ]);
  });

  it("a live call's step lists its articles: published, valid now, for every region or the given one", async () => {
    await publish(article({ title: { 'zh-CN': '广州停机特别规定', en: 'Guangzhou suspension rule' }, regions: ['guangzhou'] }));
    await publish(article({ title: { 'zh-CN': '过期的停机说明', en: 'Expired suspension note' }, validTo: '2020-01-01T00:00:00.000Z' }));
    const call = await server.driver('agent1', 'en');
    await call.start('13800000001');
    const view = await call.decide('continue', undefined, 'confirm-reason');
    const warn = await call.decide('continue', { reason: 'travel' }, 'warn');
    // A search during the call is logged against it.
    const during = ok(await agent.get(`/search?q=${encodeURIComponent('停机保号')}&callId=${warn.data.callId}`)).body;
    const logged = await storeRows<{ call_id: string; query: string; actor: string }>(
      server.dataDir,
      'SELECT call_id, query, actor FROM search_log WHERE id = ?',
      [during.searchId],
    );
    expect(logged).toEqual([{ call_id: warn.data.callId, query: '停机保号', actor: 'agent1' }]);
    expect(warn.data.step.id).toBe('warn');
    const flowId = view.data.flow.id;
    const shown = ok(await agent.get(`/step-articles?flowId=${flowId}&stepId=${warn.data.step.id}`)).body;
    expect(shown.map((a: any) => a.articleId)).toEqual([articleId]);
    const inGuangzhou = ok(await agent.get(`/step-articles?flowId=${flowId}&stepId=warn&region=guangzhou`)).body;
    expect(inGuangzhou.map((a: any) => a.title.en).sort()).toEqual(['Guangzhou suspension rule', 'Keeping your number while suspended abroad']);
    expect(ok(await agent.get(`/step-articles?flowId=${flowId}&stepId=remind`)).body).toEqual([]);
    expect(ok(await agent.get(`/published/${articleId}`)).body).toMatchObject({ articleId, version: 1, status: 'published' });
    expect((await agent.get('/published/kb-none')).status).toBe(404);
  });

  it('searches in Chinese without spaces, with a typo, in another word order and in 2 characters find it; picks give the top-3 share', async () => {
    const first = async (q: string) => {
      const reply = ok(await agent.get(`/search?q=${encodeURIComponent(q)}`)).body;
      return reply as { searchId: number; hits: { kind: string; id: string; title: string }[] };
    };
    const exact = await first('停机保号须知');
    expect(exact.hits[0]).toMatchObject({ kind: 'article', id: articleId });
    const typo = await first('出国停机保好');
    expect(typo.hits.slice(0, 3).map((h) => h.id)).toContain(articleId);
    const order = await first('保号停机');
    expect(order.hits.slice(0, 3).map((h) => h.id)).toContain(articleId);
    const short = await first('停机');
    expect(short.hits.map((h) => `${h.kind}:${h.id}`)).toEqual(expect.arrayContaining([`business:${SUSPEND}`, `article:${articleId}`]));
    const english = await first('suspended abroad');
    expect(english.hits[0]).toMatchObject({ kind: 'article', id: articleId });
    const scenario = await first('bill too high');
    expect(scenario.hits[0]).toMatchObject({ id: 'bill-inquiry' });

    expect(ok(await agent.post(`/searches/${typo.searchId}/pick`, { kind: 'article', id: articleId })).body.rank).toBeLessThanOrEqual(3);
    expect(ok(await agent.post(`/searches/${short.searchId}/pick`, { kind: 'business', id: 'nowhere' })).body).toEqual({ rank: null });
    expect((await as('supervisor1').post(`/searches/${typo.searchId}/pick`, { kind: 'article', id: articleId })).status).toBe(404);
    const accuracy = ok(await as('qa1').get('/search-accuracy')).body;
    expect(accuracy).toEqual({ searches: 7, picked: 2, pickedInTop3: 1, top3Rate: 0.5 });
    expect((await agent.get('/search-accuracy')).status).toBe(403);
  });
});

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PrometheusMetrics } from './prometheus-metrics';

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('PrometheusMetrics', () => {
  it('exposes every laihua metric, decisions at 0 from the start, gauges read at scrape time', async () => {
    const m = new PrometheusMetrics({ defaultMetrics: false });
    let live = 3;
    m.bind({ callsActive: () => live, wsConnections: () => 2 });
    let text = await m.metrics();
    for (const name of [
      'laihua_calls_active',
      'laihua_ws_connections',
      'laihua_decisions_total',
      'laihua_decision_latency_seconds',
      'laihua_log_append_seconds',
      'laihua_log_batch_size',
      'laihua_log_wal_restart_seconds',
      'laihua_backend_call_seconds',
      'laihua_backend_errors_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(value(text, 'laihua_decisions_total{outcome="ok"}')).toBe(0);
    expect(value(text, 'laihua_decisions_total{outcome="refused"}')).toBe(0);
    expect(value(text, 'laihua_calls_active')).toBe(3);
    live = 1;
    text = await m.metrics();
    expect(value(text, 'laihua_calls_active')).toBe(1);
    expect(value(text, 'laihua_ws_connections')).toBe(2);
  });

  it('counts decisions, log batches and back-end replies, errors and timeouts', async () => {
    const m = new PrometheusMetrics({ defaultMetrics: false });
    m.decision(true, performance.now() - 3);
    m.decision(true, performance.now());
    m.decision(false, performance.now());
    m.logCommitted(3, 0.3);
    for (let i = 0; i < 3; i++) m.logAppended(0.002);
    m.backendReply('executeSuspension', 0.05);
    m.backendReply('executeSuspension', 0.07, 'BOSS_UNAVAILABLE');
    m.backendTimeout('executeSuspension');
    const text = await m.metrics();
    expect(value(text, 'laihua_decisions_total{outcome="ok"}')).toBe(2);
    expect(value(text, 'laihua_decisions_total{outcome="refused"}')).toBe(1);
    expect(value(text, 'laihua_decision_latency_seconds_count')).toBe(2);
    expect(value(text, 'laihua_decision_latency_seconds_sum')).toBeGreaterThanOrEqual(0.003);
    expect(value(text, 'laihua_log_batch_size_sum')).toBe(3);
    expect(value(text, 'laihua_log_batch_size_count')).toBe(1);
    expect(value(text, 'laihua_log_commit_seconds_bucket{le="0.25"}')).toBe(0);
    expect(value(text, 'laihua_log_commit_seconds_bucket{le="0.5"}')).toBe(1);
    expect(value(text, 'laihua_log_append_seconds_bucket{le="0.0025"}')).toBe(3);
    expect(value(text, 'laihua_backend_call_seconds_count{operation="executeSuspension"}')).toBe(2);
    expect(value(text, 'laihua_backend_errors_total{operation="executeSuspension",code="BOSS_UNAVAILABLE"}')).toBe(1);
    expect(value(text, 'laihua_backend_errors_total{operation="executeSuspension",code="TIMEOUT"}')).toBe(1);
  });

  it('counts ended calls opened again, by cache and outcome, every series at 0 from the start', async () => {
    const m = new PrometheusMetrics({ defaultMetrics: false });
    const series = (cache: string, outcome: string) => `laihua_ended_call_cache_total{cache="${cache}",outcome="${outcome}"}`;
    let text = await m.metrics();
    for (const cache of ['rebuild', 'replay']) for (const outcome of ['hit', 'miss']) expect(value(text, series(cache, outcome))).toBe(0);
    m.endedCallOpened('rebuild', false);
    m.endedCallOpened('rebuild', true);
    m.endedCallOpened('rebuild', true);
    m.endedCallOpened('replay', false);
    text = await m.metrics();
    expect([series('rebuild', 'miss'), series('rebuild', 'hit'), series('replay', 'miss'), series('replay', 'hit')].map((s) => value(text, s))).toEqual([
      1, 2, 1, 0,
    ]);
  });

  it('instances do not share a registry (several apps in one process)', async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics();
    a.decision(false, 0);
    expect(value(await b.metrics(), 'laihua_decisions_total{outcome="refused"}')).toBe(0);
    expect(await a.metrics()).toContain('process_cpu_user_seconds_total');
  });

  it('names every metric as Prometheus expects, default runtime metrics included: counters end in _total, nothing else does (promtool check metrics)', async () => {
    const text = await new PrometheusMetrics().metrics();
    const types = text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ').slice(2) as [string, string]);
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter(([name, type]) => (type === 'counter') !== name.endsWith('_total'))).toEqual([]);
    expect(types.map(([name]) => name)).toEqual(expect.arrayContaining(['nodejs_active_handles', 'process_cpu_seconds_total']));
  });
});

describe('PrometheusMetrics: garbage collections', () => {
  it('counts every collection, also those V8 reports together', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const m = new PrometheusMetrics();
    const majors = async () => value(await m.metrics(), 'nodejs_gc_duration_seconds_count{kind="major"}') ?? 0;
    const before = await majors();
    // Three full collections in one turn: the observer is handed them in one list.
    for (let i = 0; i < 3; i++) gc();
    // The observer hears of them a turn or two later: wait for that rather than a fixed 100 ms a
    // stalled process can outlast (then the collections were not missed, only not yet reported).
    for (let i = 0; i < 100 && (await majors()) - before < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await majors()) - before).toBeGreaterThanOrEqual(3);
  });
});

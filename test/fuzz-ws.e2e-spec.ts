/**
 * Hostile input over the WebSocket (docs/RELIABILITY.md "Hostile input"): every message type the
 * gateway handles, found from its decorators, is sent as a valid skeleton with one mutation that
 * makes it invalid; plus raw frames (not JSON, binary, invalid UTF-8, at and over the size limit).
 * Each gets one typed `call.error` (never INTERNAL) or a close with a defined code; afterwards no
 * row of any table has changed, the server logged no error, and a real call still works.
 */
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { RealtimeGateway } from '../src/realtime';
import { CallDriver, expectStep } from './support/flow';
import {
  CLIENT_ERRORS,
  DEFINED_CLOSE_CODES,
  dtoFields,
  errorLines,
  type FieldSpec,
  fingerprint,
  fuzzParams,
  FUZZ_RUNS,
  fuzzTimeout,
  mutation,
  nested,
  nextOutcome,
  type Outcome,
  toJson,
  trace,
} from './support/fuzz';
import { asView, login, startServer, WsClient, type TestServer } from './support/server';

const MAX_FRAME = 64 * 1024;

/** Every `@SubscribeMessage` of the gateway with the DTO its body is validated against. */
function gatewayMessages(): { event: string; fields: FieldSpec[] }[] {
  const proto = RealtimeGateway.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((method) => {
    const event = Reflect.getMetadata('message', proto[method] as object) as string | undefined;
    if (!event) return [];
    const types = (Reflect.getMetadata('design:paramtypes', proto, method) ?? []) as (new () => object)[];
    const dto = types.find((t) => typeof t === 'function' && getMetadataStorage().getTargetValidationMetadatas(t, '', true, false).length > 0);
    if (!dto) throw new Error(`${event}: no validated DTO among the handler's parameters`);
    return [{ event, fields: dtoFields(dto) }];
  });
}

describe('hostile input over the WebSocket', () => {
  let server: TestServer;
  let token: string;
  let fuzzer: WsClient;
  let owner: WsClient;
  let call: { callId: string; seq: number };
  const messages = gatewayMessages();
  let requestCounter = 0;

  const connect = async () => (fuzzer = await WsClient.connect(server.port, token, 'en'));

  /** Sends one frame and checks the answer: a typed client error, or a defined close. */
  async function expectRefused(send: () => void, what: string, expected?: { codes?: string[]; closes?: number[]; requestId?: unknown }): Promise<Outcome> {
    if (!fuzzer.isOpen) await connect();
    trace(what);
    send();
    const outcome = await nextOutcome(fuzzer);
    if ('closed' in outcome) {
      if (!(expected?.closes ?? DEFINED_CLOSE_CODES).includes(outcome.closed)) throw new Error(`${what}: closed with ${outcome.closed}`);
      return outcome;
    }
    const { event, data } = outcome.frame;
    if (event !== 'call.error' || !(expected?.codes ?? CLIENT_ERRORS).includes(data?.code)) {
      throw new Error(`${what}: answered ${JSON.stringify(outcome.frame).slice(0, 500)}`);
    }
    if (expected && 'requestId' in expected && data.requestId !== expected.requestId)
      throw new Error(`${what}: requestId ${JSON.stringify(data.requestId)?.slice(0, 80)}`);
    return outcome;
  }

  beforeAll(async () => {
    // Limits off here: the flood limits have their own test (ws-rate-limit.e2e-spec.ts).
    server = await startServer({ env: { WS_RATE_PER_CONNECTION: '0', WS_RATE_PER_USER: '0', LOG_LEVEL: 'warn' } });
    token = await login(server.baseUrl, 'agent1');
    owner = await WsClient.connect(server.port, token, 'en');
    const view = await new CallDriver(owner).start('13800000001');
    expectStep(view, 'check-eligibility');
    call = { callId: view.data.callId, seq: view.data.seq };
    await connect();
  });

  afterAll(async () => {
    await fuzzer?.close();
    await owner?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('finds every message type of the gateway', () => {
    expect(messages.map((m) => m.event).sort()).toEqual(
      expect.arrayContaining(['call.attach', 'call.decide', 'call.hangup', 'call.start', 'flow.search', 'floor.subscribe', 'floor.unsubscribe']),
    );
  });

  it(
    'refuses every mutated message with a typed error, changes nothing, logs nothing',
    async () => {
      const before = fingerprint(server.dataDir);
      const outputBefore = server.output().length;
      const valid: Record<string, () => unknown> = {
        requestId: () => `fz-${++requestCounter}`,
        callerNumber: () => '13800000001',
        flowId: () => 'suspend-service',
        callId: () => call.callId,
        seq: () => call.seq,
        option: () => 'continue',
        q: () => 'bill',
      };
      const skeleton = (fields: FieldSpec[]) =>
        Object.fromEntries(
          fields
            .filter((f) => !f.optional)
            .map((f) => {
              if (!valid[f.name]) throw new Error(`no valid example for field '${f.name}': add one so it is fuzzed`);
              return [f.name, valid[f.name]()];
            }),
        );
      const cases = fc.constantFrom(...messages).chain((m) => mutation(m.fields).map((mut) => ({ event: m.event, mut, fields: m.fields })));
      await fc.assert(
        fc.asyncProperty(cases, async ({ event, mut, fields }) => {
          const data = mut.apply(skeleton(fields));
          const text = toJson({ event, data });
          const requestId = typeof data.requestId === 'string' ? data.requestId : null;
          await expectRefused(
            () => fuzzer.sendRaw(text),
            `${event} / ${mut.kind}`,
            Buffer.byteLength(text) > MAX_FRAME ? { closes: [1009] } : { codes: CLIENT_ERRORS, requestId },
          );
        }),
        fuzzParams(),
      );
      expect(fingerprint(server.dataDir)).toEqual(before);
      expect(errorLines(server.output().slice(outputBefore))).toEqual([]);
    },
    fuzzTimeout(),
  );

  it(
    'refuses raw frames: not JSON, not {event, data}, unknown events, prototype keys',
    async () => {
      const before = fingerprint(server.dataDir);
      const notJson = fc
        .oneof(fc.string(), fc.constantFrom('NaN', 'Infinity', '{"event":"call.start","data":{"seq":NaN}}', '{"event":', '\u0000', '{"a":1}}', "{'event':'x'}"))
        .filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        });
      const notFrame = fc.oneof(
        fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        fc.record({ event: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object()) }, { requiredKeys: [] }),
      );
      const unknownEvent = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'call.start ', 'CALL.START'),
      );
      const badData = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.jsonValue(), { maxLength: 3 }));
      const raw = fc.oneof(
        notJson.map((s) => ({ text: s, codes: ['BAD_JSON'] })),
        notFrame.map((v) => ({ text: JSON.stringify(v), codes: ['VALIDATION_FAILED'] })),
        unknownEvent
          .filter((e) => !messages.some((m) => m.event === e))
          .map((e) => ({ text: JSON.stringify({ event: e, data: { requestId: 'u' } }), codes: ['UNKNOWN_EVENT'] })),
        fc
          .tuple(fc.constantFrom(...messages.map((m) => m.event)), badData)
          .map(([e, d]) => ({ text: JSON.stringify({ event: e, data: d }), codes: ['VALIDATION_FAILED'] })),
        fc
          .constantFrom(...messages.map((m) => m.event))
          .map((e) => ({
            text: `{"event":${JSON.stringify(e)},"data":{"requestId":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}`,
            codes: ['VALIDATION_FAILED'],
          })),
      );
      await fc.assert(
        fc.asyncProperty(raw, async ({ text, codes }) => {
          await expectRefused(() => fuzzer.sendRaw(text), `raw ${text.slice(0, 80)}`, { codes });
        }),
        fuzzParams(Math.max(50, Math.round(FUZZ_RUNS / 2))),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(fingerprint(server.dataDir)).toEqual(before);
    },
    fuzzTimeout(),
  );

  it(
    'closes on binary frames (1003), invalid UTF-8 (1007) and frames over 64 KiB (1009); answers one at the limit',
    async () => {
      const before = fingerprint(server.dataDir);
      const outputBefore = server.output().length;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (bytes) => {
          await expectRefused(() => fuzzer.ws.send(Buffer.from(bytes), { binary: true }), 'binary frame', { closes: [1003] });
        }),
        fuzzParams(10),
      );
      // Bytes that are not UTF-8 in a text frame: a lone continuation byte, an overlong form, a surrogate.
      for (const bad of [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0x7b, 0x22, 0xe2, 0x28, 0xa1, 0x22, 0x7d]]) {
        await expectRefused(() => fuzzer.ws.send(Buffer.from(bad), { binary: false }), `invalid UTF-8 ${bad}`, { closes: [1007] });
      }
      const frameOf = (size: number) => {
        const head = '{"event":"flow.search","data":{"requestId":"big","q":"';
        const tail = '"}}';
        return head + 'x'.repeat(size - head.length - tail.length) + tail;
      };
      expect(frameOf(MAX_FRAME)).toHaveLength(MAX_FRAME);
      await expectRefused(() => fuzzer.sendRaw(frameOf(MAX_FRAME)), 'a frame of exactly 64 KiB', { codes: ['VALIDATION_FAILED'], requestId: 'big' });
      expect(fuzzer.isOpen).toBe(true);
      await expectRefused(() => fuzzer.sendRaw(frameOf(MAX_FRAME + 1)), 'a frame of 64 KiB + 1', { closes: [1009] });
      await expectRefused(() => fuzzer.sendRaw(toJson({ event: 'call.start', data: { requestId: 'deep', flowId: nested(30_000, 'array') } })), 'deep nesting', {
        codes: ['VALIDATION_FAILED'],
        requestId: 'deep',
      });
      expect(fingerprint(server.dataDir)).toEqual(before);
      expect(errorLines(server.output().slice(outputBefore))).toEqual([]);
    },
    fuzzTimeout(),
  );

  it('is still up afterwards: health answers and the call goes on from the same view', async () => {
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    const reply = await owner.request('call.decide', { callId: call.callId, seq: call.seq, option: 'continue' });
    expect(asView(reply).data).toMatchObject({ seq: call.seq + 1, step: { id: 'confirm-reason' } });
    const other = await new CallDriver(fuzzer.isOpen ? fuzzer : await connect()).start('13900000001');
    expectStep(other, 'check-eligibility');
    expect(server.exited).toBe(false);
  });
});

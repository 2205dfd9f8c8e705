// Calls every operation of the REST API through the typescript-fetch client generated from the OpenAPI document, as a
// TypeScript caller would. The build type-checks it (tsc --strict, with the generated client); GeneratedClientIT runs
// the compiled program against a live node (DUPLEX_URL, DUPLEX_SESSION: a WebSocket session the IT holds open).
import {
  ChannelsApi, Configuration, HealthApi, MessagesApi, ResponseError, SessionsApi,
  type BatchResult, type HistoryPage, type Problem, type Published,
} from '../../../target/generated-test-sources/openapi/typescript/index';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error('failed: ' + what);
  }
}

async function main(): Promise<void> {
  const configuration = new Configuration({ basePath: env.DUPLEX_URL ?? 'http://127.0.0.1:8080' });
  const channels = new ChannelsApi(configuration);
  const messages = new MessagesApi(configuration);
  const sessions = new SessionsApi(configuration);
  const health = new HealthApi(configuration);
  const channel = 'ts.client.' + Date.now();

  check((await health.getHealth()).status === 'up', 'health is up');
  check((await health.getLiveness()).status === 'up', 'the node is alive');
  const readiness = await health.getReadiness();
  check(readiness.status === 'up' && readiness.checks.map((c) => c.name).join(',') === 'accepting,engine', 'ready, with its checks');

  // data is any JSON value: a number, a string, an array, an object.
  const first: Published = await channels.publishMessage({ channel, dataBody: { data: 42 } });
  check(first.offset === 1 && first.channel === channel, 'publish answers offset 1');
  await channels.publishMessage({ channel, dataBody: { data: 'text' } });
  await channels.publishMessage({ channel, dataBody: { data: [1, { a: true }] } });

  const keyed = await channels.publishMessage({ channel, dataBody: { data: { order: 17 } }, idempotencyKey: 'ts-order-17' });
  const retried = await channels.publishMessage({ channel, dataBody: { data: { order: 17 } }, idempotencyKey: 'ts-order-17' });
  check(retried.offset === keyed.offset && retried.epoch === keyed.epoch, 'a retry with the same key gets the first offset');

  const page: HistoryPage = await channels.getHistory({ channel, since: 0, limit: 10 });
  check(page.messages.length === 4 && page.offset === 4, 'history has the four messages once');
  check(page.messages[0].data === 42 && page.messages[1].data === 'text', 'data comes back as published');
  check(page.messages[0].time instanceof Date, 'time is a Date');

  const one = await channels.getMessage({ channel, offset: 2 });
  check(one.data === 'text', 'one message');
  const info = await channels.getChannel({ channel });
  check(info.offset === 4 && info.epoch === first.epoch, 'channel state');
  const listed = await channels.listChannels();
  check(listed.channels.some((c) => c.channel === channel), 'the channel is listed');
  const presence = await channels.getPresence({ channel });
  check(Array.isArray(presence.sessions), 'presence');

  const batch: BatchResult = await messages.publishBatch({
    batchRequest: { messages: [{ channel, data: 5 }, { channel: channel + '.b', data: null as unknown as object, idempotencyKey: undefined }] },
  }).catch(async (e: unknown) => {
    // data null is refused whole: nothing of the batch is published.
    const problem = await problemOf(e);
    check(problem.status === 400 && problem.code === 'bad_request', 'a batch with a null data is refused whole');
    return messages.publishBatch({ batchRequest: { messages: [{ channel, data: 5 }, { channel: channel + '.b', data: 6 }] } });
  });
  check(batch.results.length === 2 && batch.results.every((r) => r.status === 'published'), 'batch published');
  check(batch.results[0].offset === 5, 'the batch continues the channel');

  const sessionId = env.DUPLEX_SESSION;
  if (sessionId) {
    const all = await sessions.listSessions();
    check(all.sessions.some((s) => s.session === sessionId), 'the live session is listed');
    const session = await sessions.getSession({ id: sessionId });
    check(session.session === sessionId, 'one session');
    await sessions.sendToSession({ id: sessionId, dataBody: { data: { note: 'from typescript' } } });
  }

  try {
    await channels.getChannel({ channel: 'bad name' });
    check(false, 'a bad channel name is refused');
  } catch (e) {
    const problem = await problemOf(e);
    check(problem.status === 400 && problem.code === 'invalid_channel', 'the error is the contract problem: ' + JSON.stringify(problem));
  }
  try {
    await sessions.disconnectSession({ id: 'no-such-session' });
    check(false, 'an unknown session is refused');
  } catch (e) {
    check((await problemOf(e)).code === 'not_found', 'not_found');
  }
  if (sessionId) {
    await sessions.disconnectSession({ id: sessionId });
  }
  console.log('typescript-fetch client: every operation passed');
}

/** The problem document of a failed call: the generated client throws a ResponseError holding the Response. */
async function problemOf(e: unknown): Promise<Problem> {
  if (!(e instanceof ResponseError)) {
    throw e;
  }
  check((e.response.headers.get('content-type') ?? '').startsWith('application/problem+json'), 'errors are problem+json');
  return (await e.response.json()) as Problem;
}

main().catch((e: unknown) => {
  console.error(e);
  (globalThis as { process?: { exitCode?: number } }).process!.exitCode = 1;
});

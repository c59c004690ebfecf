/**
 * Fakes of the SMS gateways built from their documented shapes (docs/operations.md §8):
 * SMS.ir verify, Ghasedak SendOtpSMS and Melipayamak's console shared line, plus their free
 * credential checks. Each records accepted messages so a test reads the code a person received.
 */
import { type FakeServer, startFakeServer, withExtras } from './fake-server.js';

export interface FakeSms extends FakeServer {
  readonly messages: Array<{ mobile: string; code: string; at?: number }>;
  lastCodeFor(mobile09: string): string | undefined;
}

function withMessages(server: FakeServer, messages: FakeSms['messages']): FakeSms {
  return withExtras(server, {
    messages,
    lastCodeFor: (mobile: string) => messages.filter((m) => m.mobile === mobile).at(-1)?.code,
  });
}

const MOBILE = /^09\d{9}$/;

export async function startFakeSmsIr(options: { apiKey: string; templateId: number }): Promise<FakeSms> {
  const messages: FakeSms['messages'] = [];
  let id = 5000;
  const server = await startFakeServer((request) => {
    const reply = (status: number, code: number, data: unknown = null) => ({
      status,
      body: { status: code, message: '', data },
      service: true,
    });
    if (request.headers['x-api-key'] !== options.apiKey) return reply(401, 10);
    if (request.method === 'GET' && request.path === '/v1/credit')
      return { ...reply(200, 1, 1234.5), service: false };
    if (request.method !== 'POST' || request.path !== '/v1/send/verify') return reply(404, 0);
    const body = (request.body ?? {}) as {
      mobile?: string;
      templateId?: unknown;
      parameters?: Array<{ name?: string; value?: string }>;
    };
    if (body.templateId !== options.templateId) return reply(400, 113);
    if (!MOBILE.test(body.mobile ?? '')) return reply(400, 104);
    const code = body.parameters?.find((p) => p.name === 'Code')?.value;
    if (!code) return reply(400, 116);
    messages.push({ mobile: body.mobile ?? '', code, at: Date.now() });
    id += 1;
    return reply(200, 1, { messageId: id, cost: 1.5 });
  });
  return withMessages(server, messages);
}

export async function startFakeGhasedak(options: { apiKey: string; template: string }): Promise<FakeSms> {
  const messages: FakeSms['messages'] = [];
  let id = 9000;
  const server = await startFakeServer((request) => {
    const reply = (status: number, isSuccess: boolean, data: unknown = null) => ({
      status,
      body: { isSuccess, statusCode: status, message: isSuccess ? 'موفق' : 'خطا', data },
      service: true,
    });
    if (request.headers.apikey !== options.apiKey) return reply(401, false);
    if (request.method === 'GET' && request.path === '/rest/api/v1/WebService/GetOtpTemplateParameters') {
      const known = request.query.get('TemplateName') === options.template;
      return { ...reply(known ? 200 : 400, known, known ? [{ param: 'Code' }] : null), service: false };
    }
    if (request.method !== 'POST' || request.path !== '/rest/api/v1/WebService/SendOtpSMS')
      return reply(404, false);
    const body = (request.body ?? {}) as {
      templateName?: string;
      receptors?: Array<{ mobile?: string; clientReferenceId?: string }>;
      inputs?: Array<{ param?: string; value?: string }>;
    };
    const mobile = body.receptors?.[0]?.mobile ?? '';
    const code = body.inputs?.find((input) => input.param === 'Code')?.value;
    if (body.templateName !== options.template || !MOBILE.test(mobile) || !code) return reply(400, false);
    messages.push({ mobile, code, at: Date.now() });
    id += 1;
    return reply(200, true, {
      lineNumber: '3000',
      items: [{ receptor: mobile, cost: 120, messageId: id }],
      totalCost: 120,
    });
  });
  return withMessages(server, messages);
}

export async function startFakeMelipayamak(options: { apiKey: string; bodyId: number }): Promise<FakeSms> {
  const messages: FakeSms['messages'] = [];
  let recId = 3_741_437_414;
  const server = await startFakeServer((request) => {
    const send = /^\/api\/send\/shared\/([^/]+)$/.exec(request.path);
    const credit = /^\/api\/receive\/credit\/([^/]+)$/.exec(request.path);
    const key = decodeURIComponent((send ?? credit)?.[1] ?? '');
    if (key !== options.apiKey)
      return { status: 401, body: { recId: 0, status: 'کلید نامعتبر' }, service: true };
    if (credit) return { status: 200, body: { amount: 88, status: '' }, service: false };
    const body = (request.body ?? {}) as { bodyId?: unknown; to?: string; args?: string[] };
    if (body.bodyId !== options.bodyId)
      return { status: 200, body: { recId: 4, status: 'الگو نامعتبر' }, service: true };
    const code = body.args?.[0];
    if (!MOBILE.test(body.to ?? '') || !code)
      return { status: 200, body: { recId: 11, status: 'ارسال نشد' }, service: true };
    messages.push({ mobile: body.to ?? '', code });
    recId += 1;
    return { status: 200, body: { recId, status: '' }, service: true };
  });
  return withMessages(server, messages);
}

/**
 * A browser with JavaScript off, for journey tests: a cookie jar, redirects followed by hand (so
 * a test sees where it lands), and form submission the way a browser does it — every input of
 * the form plus the pressed button.
 */
export interface Page {
  status: number;
  url: string;
  html: string;
  headers: Headers;
}

export interface Form {
  action: string;
  method: string;
  fields: Record<string, string>;
  buttons: Array<{ name: string; value: string }>;
}

export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(
    /** Stop following redirects at URLs for which this is true (e.g. the RP's callback). */
    private readonly stopAt: (url: URL) => boolean = () => false,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async get(url: string): Promise<Page> {
    return this.follow(url, { method: 'GET' });
  }

  async post(url: string, fields: Record<string, string>): Promise<Page> {
    return this.follow(url, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  }

  /** Fills and submits the page's form that has `field` (or the first form), pressing `button`. */
  async submit(
    page: Page,
    values: Record<string, string>,
    button?: { name: string; value: string },
  ): Promise<Page> {
    const forms = parseForms(page.html);
    const wanted = Object.keys(values);
    const form =
      forms.find((candidate) =>
        wanted.every((name) => name in candidate.fields || candidate.buttons.some((b) => b.name === name)),
      ) ?? forms[0];
    if (!form) throw new Error(`no form on ${page.url}`);
    const fields = { ...form.fields, ...values };
    if (button) fields[button.name] = button.value;
    return this.post(new URL(form.action || page.url, page.url).toString(), fields);
  }

  /** Submits the page's form whose action ends with `actionSuffix` (e.g. `/resend`). */
  async submitTo(page: Page, actionSuffix: string, values: Record<string, string> = {}): Promise<Page> {
    const form = parseForms(page.html).find((candidate) => candidate.action.endsWith(actionSuffix));
    if (!form) throw new Error(`no form posting to …${actionSuffix} on ${page.url}`);
    return this.post(new URL(form.action, page.url).toString(), { ...form.fields, ...values });
  }

  cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.host) ?? new Map();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async follow(
    start: string,
    request: { method: string; body?: string; contentType?: string },
  ): Promise<Page> {
    let url = new URL(start);
    let { method, body } = request;
    for (let hop = 0; hop < 20; hop++) {
      const headers: Record<string, string> = {
        accept: 'text/html',
        'accept-language': 'fa',
        ...this.extraHeaders,
      };
      const cookie = this.cookieHeader(url);
      if (cookie) headers.cookie = cookie;
      if (body !== undefined && request.contentType) headers['content-type'] = request.contentType;
      const response = await fetch(url, { method, headers, body, redirect: 'manual' });
      this.store(url, response.headers);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, url);
        await response.arrayBuffer();
        if (this.stopAt(next))
          return { status: response.status, url: next.toString(), html: '', headers: response.headers };
        url = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return {
        status: response.status,
        url: url.toString(),
        html: await response.text(),
        headers: response.headers,
      };
    }
    throw new Error(`too many redirects from ${start}`);
  }

  private store(url: URL, headers: Headers): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const separator = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, separator).trim();
      const value = (pair ?? '').slice(separator + 1).trim();
      const expired = attributes.some((attribute) => /expires=Thu, 01 Jan 1970/i.test(attribute));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(url.host, cookies);
  }
}

const decode = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decode(match[2] ?? match[3] ?? '') : undefined;
}

/** Forms of a page (enough HTML parsing for our own templates). */
export function parseForms(html: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [_, tag = '', inner = ''] = match;
    const fields: Record<string, string> = {};
    const buttons: Form['buttons'] = [];
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name');
      const type = (attribute(input[0], 'type') ?? 'text').toLowerCase();
      if (!name) continue;
      if (type === 'submit') buttons.push({ name, value: attribute(input[0], 'value') ?? '' });
      else fields[name] = attribute(input[0], 'value') ?? '';
    }
    for (const button of inner.matchAll(/<button\b[^>]*>/gi)) {
      const name = attribute(button[0], 'name');
      if (name) buttons.push({ name, value: attribute(button[0], 'value') ?? '' });
    }
    forms.push({
      action: attribute(tag, 'action') ?? '',
      method: attribute(tag, 'method') ?? 'get',
      fields,
      buttons,
    });
  }
  return forms;
}

/** Which journey page this is, recognised by its form fields (DESIGN §2.6). */
export function pageKind(page: Page): 'mobile' | 'code' | 'identity' | 'consent' | 'other' {
  const names = new Set(
    parseForms(page.html).flatMap((form) => [
      ...Object.keys(form.fields),
      ...form.buttons.map((b) => b.name),
    ]),
  );
  if (names.has('mobile')) return 'mobile';
  if (names.has('code')) return 'code';
  if (names.has('national_code')) return 'identity';
  if (names.has('decision')) return 'consent';
  return 'other';
}

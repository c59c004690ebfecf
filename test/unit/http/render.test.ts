import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import Koa from 'koa';
import { localeMiddleware } from '../../../src/http/locale-middleware.js';
import { createRenderer } from '../../../src/http/render.js';
import type {
  CodePage,
  ConsentPage,
  ErrorPage,
  IdentityPage,
  LoggedOutPage,
  LogoutPage,
  MobilePage,
} from '../../../src/http/view-models.js';
import { type Served, serve } from './serve.js';

const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../views');
const HOSTILE = '<script>alert(1)</script>';
const ACTION = '/interaction/uid-123';

const models = {
  mobile: {
    titleKey: 'page.mobile.title',
    clientName: HOSTILE,
    csrf: 'csrf-token-1',
    action: ACTION,
    values: { mobile: '"><img src=x>' },
    captchaImageUrl: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==',
    captchaRefreshUrl: `${ACTION}/captcha`,
    cancelUrl: `${ACTION}/abort`,
    errors: { mobile: { key: 'mobile.invalid' }, form: { key: 'sms.limit', params: { minutes: 15 } } },
  } satisfies MobilePage,
  code: {
    titleKey: 'page.code.title',
    clientName: HOSTILE,
    csrf: 'csrf-token-1',
    action: ACTION,
    maskedMobile: '0912***4567',
    codeLength: 6,
    resendInSeconds: 42,
    cancelUrl: `${ACTION}/abort`,
    notice: { key: 'code.sent', params: { mobile: '0912***4567' } },
    errors: { code: { key: 'code.wrong', params: { attemptsLeft: 3 } } },
  } satisfies CodePage,
  identity: {
    titleKey: 'page.identity.title',
    clientName: HOSTILE,
    csrf: 'csrf-token-1',
    action: ACTION,
    values: { national_code: '0499370899', birth_date: '' },
    errors: { birth_date: { key: 'birth_date.required' } },
    cancelUrl: `${ACTION}/abort`,
    anotherNumber: true,
  } satisfies IdentityPage,
  consent: {
    titleKey: 'page.consent.title',
    clientName: HOSTILE,
    csrf: 'csrf-token-1',
    action: ACTION,
    policyUri: 'https://sales.example/privacy',
    tosUri: 'javascript:alert(1)',
    claimKeys: ['claim.name', 'claim.birthdate', 'claim.national_code'],
    permissionKeys: ['permission.offline_access'],
    alreadyGrantedClaimKeys: ['claim.name'],
  } satisfies ConsentPage,
  error: {
    titleKey: 'page.error.title',
    clientName: HOSTILE,
    message: { key: 'oidc.invalid_redirect_uri' },
    backUrl: 'javascript:alert(1)',
    reference: 'req-7f3a',
  } satisfies ErrorPage,
  logout: {
    titleKey: 'page.logout.title',
    clientName: HOSTILE,
    formHtml:
      '<form id="op.logoutForm" method="post" action="/session/end/confirm"><input type="hidden" name="xsrf" value="x1"/></form>',
    formId: 'op.logoutForm',
  } satisfies LogoutPage,
  'logged-out': { titleKey: 'page.loggedOut.title', clientName: HOSTILE } satisfies LoggedOutPage,
};
type View = keyof typeof models;

// Names of the submitted fields of DESIGN.md §2.6 (besides csrf), per page.
const FORM_FIELDS: Partial<Record<View, string[]>> = {
  mobile: ['mobile', 'captcha'],
  code: ['code'],
  identity: ['national_code', 'birth_date'],
};

const tags = (html: string, name: string) => html.match(new RegExp(`<${name}\\b[^>]*>`, 'g')) ?? [];
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

describe('views rendered through createRenderer', () => {
  let served: Served;

  before(async () => {
    const render = createRenderer({ viewsDir, production: false });
    const app = new Koa();
    app.use(localeMiddleware());
    app.use(async (ctx) => {
      const view = ctx.path.slice(1) as View;
      if (!(view in models)) return;
      await render(ctx, view, models[view], view === 'error' ? 400 : 200);
    });
    served = await serve(app);
  });
  after(() => served.close());

  const get = async (view: View, init: RequestInit = {}) => {
    const response = await fetch(`${served.url}/${view}`, init);
    return { response, html: await response.text() };
  };

  for (const view of Object.keys(models) as View[]) {
    describe(view, () => {
      it('is a no-store HTML page in Persian, right to left, by default', async () => {
        const { response, html } = await get(view);
        expect(response.status).to.equal(view === 'error' ? 400 : 200);
        expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
        expect(response.headers.get('cache-control')).to.equal('no-store');
        expect(html).to.match(/^<!DOCTYPE html>\s*<html lang="fa" dir="rtl">/);
        expect(html).to.contain('<meta name="viewport" content="width=device-width, initial-scale=1">');
        expect(html).to.contain('<link rel="stylesheet" href="/assets/app.css">');
        expect(html).to.contain('<main id="main"');
        expect(html).to.contain('دروازه');
        expect(html).to.contain(`href="/${view}?lang=en"`);
      });

      it('is in English, left to right, when asked', async () => {
        const { html } = await get(view, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
        expect(html).to.match(/<html lang="en" dir="ltr">/);
        expect(html).to.contain('Darvaze');
        expect(html).to.contain(`href="/${view}?lang=fa"`);
      });

      it('escapes what it is given and has no inline script', async () => {
        const { html } = await get(view);
        expect(html).not.to.contain(HOSTILE);
        expect(html).not.to.contain('<img src=x>');
        expect(html).not.to.contain('javascript:');
        for (const script of tags(html, 'script'))
          expect(attr(script, 'src'), script).to.match(/^\/assets\//);
        expect(html).not.to.match(/\son[a-z]+=/i); // no inline event handlers
        expect(html).not.to.match(/\sstyle=/i); // CSP: style-src 'self'
      });

      it('ties every visible input to a label and its described-by ids to elements', async () => {
        const { html } = await get(view);
        for (const input of tags(html, 'input')) {
          if (attr(input, 'type') === 'hidden') continue;
          const id = attr(input, 'id');
          expect(id, input).to.be.a('string');
          expect(html, `label for ${id}`).to.contain(`<label class="field__label" for="${id}">`);
          for (const ref of (attr(input, 'aria-describedby') ?? '').split(' ').filter(Boolean)) {
            expect(html, `#${ref}`).to.contain(`id="${ref}"`);
          }
        }
      });

      it('posts every form with a csrf token and buttons at least 44 px tall (CSS classes)', async () => {
        const { html } = await get(view);
        const forms = html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
        for (const form of forms) {
          expect(attr(form.slice(0, form.indexOf('>') + 1), 'method'), form).to.equal('post');
          if (view !== 'logout')
            expect(form).to.contain('<input type="hidden" name="csrf" value="csrf-token-1">');
        }
        for (const button of tags(html, 'button')) expect(attr(button, 'class')).to.match(/\bbtn\b/);
      });

      const fields = FORM_FIELDS[view];
      if (fields) {
        it(`has the form fields of DESIGN §2.6: ${fields.join(', ')}`, async () => {
          const { html } = await get(view);
          const action = `${ACTION}/${view}`;
          const main = html.match(
            new RegExp(`<form class="form" method="post" action="${action}" novalidate>[\\s\\S]*?</form>`),
          );
          expect(main, 'main form').to.not.equal(null);
          const names = tags(main![0], 'input').map((input) => attr(input, 'name'));
          expect(names).to.deep.equal(['csrf', ...fields]);
        });
      }
    });
  }

  it('mobile: tel/numeric inputs, the captcha image and the own-name notice; errors marked', async () => {
    const { html } = await get('mobile');
    const [mobile] = tags(html, 'input').filter((input) => attr(input, 'name') === 'mobile');
    expect(attr(mobile!, 'inputmode')).to.equal('tel');
    // `webauthn`: the browser may list the person's passkeys in the field's autofill.
    expect(attr(mobile!, 'autocomplete')).to.equal('tel webauthn');
    expect(attr(mobile!, 'aria-invalid')).to.equal('true');
    expect(attr(mobile!, 'aria-describedby')).to.contain('mobile-error');
    expect(attr(mobile!, 'value')).to.equal('&#34;&gt;&lt;img src=x&gt;');
    const [captcha] = tags(html, 'input').filter((input) => attr(input, 'name') === 'captcha');
    expect(attr(captcha!, 'inputmode')).to.equal('numeric');
    expect(attr(captcha!, 'autocomplete')).to.equal('off');
    expect(attr(captcha!, 'aria-invalid')).to.equal(undefined);
    const [image] = tags(html, 'img').filter((img) => attr(img, 'class') === 'captcha__image');
    expect(attr(image!, 'src')).to.equal(models.mobile.captchaImageUrl);
    // The alternative text says what to type: the image alone does not tell a screen reader.
    expect(attr(image!, 'alt')).to.equal(
      'تصویر کد امنیتی: پنج رقمی را که در آن می‌بینید در کادر زیر وارد کنید',
    );
    expect(html).to.contain(`href="${ACTION}/captcha"`);
    expect(html).to.contain('به نام خود شما ثبت شده و فعال باشد');
    expect(html).to.contain(`href="${ACTION}/abort"`);
    expect(html).to.match(/<div class="error-summary" role="alert"/);
    expect(html).to.contain('<a href="#mobile">');
    expect(html).to.contain('۱۵ دقیقه');
  });

  it('code: one-time-code input, masked mobile, resend and change-mobile forms, countdown script', async () => {
    const { html } = await get('code');
    const [code] = tags(html, 'input').filter((input) => attr(input, 'name') === 'code');
    expect(attr(code!, 'inputmode')).to.equal('numeric');
    expect(attr(code!, 'autocomplete')).to.equal('one-time-code');
    expect(attr(code!, 'maxlength')).to.equal('6');
    expect(html).to.contain('<bdi dir="ltr">۰۹۱۲***۴۵۶۷</bdi>');
    expect(html).to.contain(`action="${ACTION}/resend"`);
    expect(html).to.contain(`action="${ACTION}/change-mobile"`);
    expect(html).to.contain('تا ۴۲ ثانیه دیگر');
    expect(html).to.contain('<script src="/assets/countdown.js" defer></script>');
    expect(html).to.contain('role="status"');
  });

  it('code: no countdown once resending is allowed', async () => {
    const render = createRenderer({ viewsDir, production: true });
    const ctx = fakeContext('en');
    await render(ctx, 'code', { ...models.code, resendInSeconds: 0, notice: undefined, errors: undefined });
    expect(ctx.body).not.to.contain('countdown');
    expect(ctx.body).not.to.contain('is-waiting');
    expect(ctx.body).to.contain('Send a new code');
  });

  it('identity: national code and birth date with the Jalali hint and placeholder', async () => {
    const { html } = await get('identity');
    const [nationalCode] = tags(html, 'input').filter((input) => attr(input, 'name') === 'national_code');
    expect(attr(nationalCode!, 'inputmode')).to.equal('numeric');
    expect(attr(nationalCode!, 'maxlength')).to.equal('10');
    expect(attr(nationalCode!, 'value')).to.equal('0499370899');
    const [birthDate] = tags(html, 'input').filter((input) => attr(input, 'name') === 'birth_date');
    expect(attr(birthDate!, 'placeholder')).to.equal('۱۳۷۰/۰۵/۱۴');
    expect(attr(birthDate!, 'aria-invalid')).to.equal('true');
    expect(attr(birthDate!, 'autofocus')).to.equal(undefined);
    expect(birthDate).to.contain(' autofocus');
    expect(html).to.contain('سال/ماه/روز');
  });

  it('consent: one form, grant and deny buttons, the data in plain words, earlier grants marked', async () => {
    const { html } = await get('consent');
    const forms = html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
    expect(forms).to.have.length(1);
    expect(forms[0]).to.contain(`action="${ACTION}/consent"`);
    expect(forms[0]).to.contain('name="decision" value="grant">اعطای مجوز ورود یکپارچه</button>');
    expect(forms[0]).to.contain('name="decision" value="deny"');
    for (const text of ['نام و نام خانوادگی', 'تاریخ تولد', 'کد ملی', 'ماندن در حساب'])
      expect(html).to.contain(text);
    expect(html.match(/class="badge"/g)).to.have.length(1);
    expect(html).to.contain('href="https://sales.example/privacy"');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('error: the message, no unsafe back link, the reference', async () => {
    const { html } = await get('error');
    expect(html).to.contain('نشانی بازگشت این سایت معتبر نیست');
    expect(html).to.contain('<code>req-7f3a</code>');
    expect(html).not.to.contain('>بازگشت<');
  });

  it('logout: embeds the provider form and submits it with and without logout=yes', async () => {
    const { html } = await get('logout');
    expect(html).to.contain(models.logout.formHtml);
    expect(html).to.contain('form="op.logoutForm" type="submit" name="logout" value="yes">');
    expect(html).to.match(/form="op\.logoutForm" type="submit">[^<]+<\/button>/);
    expect(html).not.to.contain('site-header__client');
  });

  it('logged-out: says which site was signed out of', async () => {
    const { html } = await get('logged-out');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).to.contain('role="status"');
  });

  it('follows ?lang= and remembers it in a cookie', async () => {
    const first = await fetch(`${served.url}/identity?lang=en`);
    expect(await first.text()).to.match(/<html lang="en" dir="ltr">/);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).to.match(/^lang=en;/);
    const second = await fetch(`${served.url}/identity`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await second.text()).to.contain('Verify your identity');
  });

  it('refuses view names that are not plain names', async () => {
    const render = createRenderer({ viewsDir, production: false });
    let error: unknown;
    try {
      await render(fakeContext('fa'), '../package', {});
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
  });

  it('points the language switch of a form shown again after a POST at the interaction page', async () => {
    const render = createRenderer({ viewsDir, production: false });
    const ctx = fakeContext('fa', 'POST', `${ACTION}/login`);
    await render(ctx, 'identity', models.identity, 400);
    expect(ctx.status).to.equal(400);
    expect(ctx.body).to.contain(`href="${ACTION}?lang=en"`);
    const get = fakeContext('en', 'GET', '/.//evil.example/x?lang=en&state=1');
    await render(get, 'error', models.error);
    expect(get.body).to.contain('href="/evil.example/x?state=1&amp;lang=fa"');
  });

  it('never carries a hint, token or unknown parameter of the address into the language switch', async () => {
    const render = createRenderer({ viewsDir, production: false });
    const url =
      '/session/end?id_token_hint=eyJhbGc.eyJzdWIi.c2lnbmF0&login_hint=09121234567&logout_hint=x1&request=eyJh.eyJi.c2ln&claims=%7B%7D&client_id=sales&lang=en';
    const ctx = fakeContext('en', 'GET', url);
    await render(ctx, 'error', models.error);
    expect(ctx.body).to.contain('href="/session/end?client_id=sales&amp;lang=fa"');
    for (const secret of ['eyJ', '09121234567', 'hint', 'request=', 'claims=']) {
      expect(String(ctx.body), secret).not.to.contain(secret);
    }
  });
});

// Enough of a Koa context for render().
function fakeContext(locale: string, method = 'GET', url = '/page') {
  const headers: Record<string, string> = {};
  const ctx = {
    state: { locale },
    method,
    url,
    path: url.split('?')[0],
    status: 404,
    type: '',
    body: '' as unknown,
    set(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    headers,
  };
  return ctx as unknown as Koa.Context & { body: string; headers: Record<string, string> };
}

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LoginForm } from '@/components/auth/LoginForm';

/** The server-rendered sign-in form (components/auth/LoginForm) for each sign-in setup. */
function render(props: Parameters<typeof LoginForm>[0]): string {
  return renderToStaticMarkup(createElement(LoginForm, props));
}
const token = 'a'.repeat(64);

describe('the sign-in form', () => {
  it('is the password form alone without single sign-on', () => {
    const html = render({ target: '/customers', csrfToken: token });
    expect(html).toContain('action="/api/auth/login"');
    expect(html).toContain('type="password"');
    expect(html).not.toContain('/api/auth/sso');
  });

  it('offers "Continue with <provider>" beside the password form, with the same token and target', () => {
    const html = render({ target: '/customers?q=a', csrfToken: token, ssoName: 'Acme ID' });
    expect(html).toContain('type="password"');
    const sso = html.slice(html.indexOf('action="/api/auth/sso"'));
    expect(sso).toContain(`name="csrfToken" value="${token}"`);
    expect(sso).toContain('name="callbackUrl" value="/customers?q=a"');
    expect(sso).toContain('>Continue with Acme ID</button>');
  });

  it('without a target sends single sign-on to `/` (the role start page)', () => {
    const html = render({ target: '', csrfToken: token, ssoName: 'Acme ID' });
    const sso = html.slice(html.indexOf('action="/api/auth/sso"'));
    expect(sso).toContain('name="callbackUrl" value="/"');
  });

  it('has no password part when password sign-in is off, and still shows why it came back', () => {
    const html = render({
      target: '/journeys',
      csrfToken: token,
      ssoName: 'Acme ID',
      passwordLogin: false,
      error: 'sso-domain',
    });
    expect(html).not.toContain('/api/auth/login');
    expect(html).not.toContain('type="password"');
    expect(html).not.toContain('type="email"');
    expect(html).toContain('action="/api/auth/sso"');
    expect(html).toContain('id="login-error"');
    expect(html).toContain('may not use Tarmo');
  });
});

import { requireStaff } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';
import { readDeliverySettings } from '@/lib/delivery/settings';
import { deliverabilitySecret } from '@/lib/delivery/deliverability';
import { appEnv } from '@/lib/config/env';
import { DeliveryPolicyForm } from '@/components/settings/DeliveryPolicyForm';
import { saveDeliveryPolicyAction } from './actions';

export const metadata = { title: 'Delivery policy' };
export const dynamic = 'force-dynamic';

export default async function DeliveryPolicyPage() {
  const staff = await requireStaff();
  const settings = await readDeliverySettings();
  const editable = can(staff.role, 'settings:manage');
  return (
    <>
      <h1>Delivery policy</h1>
      <p className="muted">
        Rules for every journey together, checked when each mail is sent: how many marketing mails a customer
        gets, when none are sent, and how fast Tarmo hands mail to the provider. A send step can add quiet
        hours and chooses whether a mail over the limit waits or is skipped; the reason shows on the
        customer&rsquo;s path.
        {!editable && ' Only administrators change it.'}
      </p>
      <DeliveryPolicyForm
        settings={{ ...settings, updatedAt: settings.updatedAt?.toISOString() ?? null }}
        editable={editable}
        action={editable ? saveDeliveryPolicyAction : undefined}
      />
      <section className="card" style={{ marginTop: '1.5rem' }} aria-labelledby="bounces-heading">
        <h2 id="bounces-heading" style={{ marginTop: 0 }}>
          Bounces and complaints
        </h2>
        <p>
          Providers report bounces and complaints to{' '}
          <code>{appEnv().appUrl}/api/v1/deliverability/&#123;provider&#125;</code> with provider{' '}
          <code>generic</code>, <code>ses</code> (Amazon SES through an SNS HTTPS subscription) or{' '}
          <code>postmark</code>; see the <a href="/settings/api">API documentation</a>. A relaying mail server
          can send bounce reports to the worker&rsquo;s SMTP listener (<code>TARMO_BOUNCE_SMTP_PORT</code>).
        </p>
        {editable && (
          <details>
            <summary>Show the shared secret</summary>
            <p className="muted">
              Send it as <code>Authorization: Bearer …</code>, as the password of the URL&rsquo;s basic
              authentication (SNS, Postmark) or in <code>X-Tarmo-Secret</code>. Set{' '}
              <code>TARMO_DELIVERABILITY_SECRET</code> to choose it.
            </p>
            <code data-testid="deliverability-secret">{deliverabilitySecret()}</code>
          </details>
        )}
      </section>
    </>
  );
}

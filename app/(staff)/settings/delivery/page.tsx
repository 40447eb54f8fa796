import { requireStaff } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';
import { readDeliverySettings } from '@/lib/delivery/settings';
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
    </>
  );
}

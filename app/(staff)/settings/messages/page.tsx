import { requirePermission } from '@/app/_lib/session';
import { savedTestAddresses, workspaceLayout } from '@/lib/messages/workspace-settings';
import { LayoutForm, TestAddressesForm } from './MessageSettingsForms';

export const metadata = { title: 'Message layout' };
export const dynamic = 'force-dynamic';

export default async function MessageSettingsPage() {
  await requirePermission('messages:design');
  const [layout, addresses] = await Promise.all([workspaceLayout(), savedTestAddresses()]);
  return (
    <>
      <h1>Message layout and test addresses</h1>
      <div className="grid">
        <LayoutForm layout={layout} readOnly={false} />
        <TestAddressesForm addresses={addresses} />
      </div>
    </>
  );
}

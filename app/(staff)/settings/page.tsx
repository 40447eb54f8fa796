import Link from 'next/link';
import { requireStaff } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const staff = await requireStaff();
  const isAdmin = can(staff.role, 'settings:manage');
  return (
    <>
      <h1>Settings</h1>
      <div className="grid">
        {isAdmin && (
          <>
            <SettingsCard href="/settings/users" title="Users" text="Staff accounts and their roles." />
            <SettingsCard
              href="/settings/api-keys"
              title="API keys"
              text="Keys for the shop, CRM and sign-up forms."
            />
            <SettingsCard
              href="/settings/purposes"
              title="Purposes & notices"
              text="Purposes, legal bases, themes and versioned notices."
            />
            <SettingsCard
              href="/settings/webhooks"
              title="Webhooks"
              text="Tell connected systems about consent changes and erasures."
            />
            <SettingsCard href="/settings/outbox" title="Outbox" text="Mail Tarmo has sent or queued." />
            <SettingsCard
              href="/settings/data-lifecycle"
              title="Data lifecycle"
              text="What each table and file keeps, for how long, and the prune jobs."
            />
          </>
        )}
        {can(staff.role, 'messages:design') && (
          <>
            <SettingsCard
              href="/settings/templates"
              title="Message templates"
              text="Reusable messages for send steps, in every language."
            />
            <SettingsCard
              href="/settings/messages"
              title="Message layout"
              text="Header, brand colour, logo and footer of every mail; saved test addresses."
            />
          </>
        )}
        <SettingsCard
          href="/settings/delivery"
          title="Delivery policy"
          text="Frequency cap, quiet hours and send-rate limits for all journeys together."
        />
        <SettingsCard
          href="/settings/api"
          title="API documentation"
          text="Endpoints, schemas and webhook signatures."
        />
        {!isAdmin && can(staff.role, 'purposes:view') && (
          <SettingsCard
            href="/settings/purposes"
            title="Purposes & notices"
            text="Purposes, legal bases, themes and notice history."
          />
        )}
        {can(staff.role, 'mission-control:view') && (
          <SettingsCard
            href="/mission-control/records"
            title="Record of processing"
            text="Purposes, legal bases, recipients and retention (Art. 30)."
          />
        )}
      </div>
    </>
  );
}

function SettingsCard({ href, title, text }: { href: string; title: string; text: string }) {
  return (
    <Link href={href} className="card" style={{ textDecoration: 'none', color: 'inherit' }}>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <p className="muted">{text}</p>
    </Link>
  );
}

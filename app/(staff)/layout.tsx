import Link from 'next/link';
import { headers } from 'next/headers';
import { requireStaff } from '@/app/_lib/session';
import { can, ROLE_LABELS } from '@/lib/auth/roles';
import { NavLinks, type NavItem } from '@/components/shell/NavLinks';
import { Providers } from '@/components/shell/Providers';
import { SignOutButton } from '@/components/shell/SignOutButton';
import { DateLocaleProvider } from '@/components/LocalTime';
import { localeFromAcceptLanguage } from '@/lib/dates/format';

export const dynamic = 'force-dynamic';

export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  const staff = await requireStaff();
  const dateLocale = localeFromAcceptLanguage((await headers()).get('accept-language'));
  const items: NavItem[] = [
    { href: '/journeys', label: 'Journeys' },
    ...(can(staff.role, 'mission-control:view')
      ? [{ href: '/mission-control', label: 'Mission Control' }]
      : []),
    { href: '/customers', label: 'Customers' },
    ...(can(staff.role, 'privacy:manage') ? [{ href: '/privacy-requests', label: 'Privacy requests' }] : []),
    ...(can(staff.role, 'audit:view') ? [{ href: '/audit', label: 'Audit log' }] : []),
    { href: '/settings', label: 'Settings' },
  ];
  return (
    <Providers>
      <DateLocaleProvider locale={dateLocale}>
        <div className="shell">
          <nav className="shell-nav" aria-label="Main">
            <Link href="/journeys" className="brand">
              Tarmo
            </Link>
            <NavLinks items={items} />
            <div className="who">
              <div>{staff.email}</div>
              <div>{ROLE_LABELS[staff.role]}</div>
              <SignOutButton />
            </div>
          </nav>
          <main className="shell-main" id="main">
            {children}
          </main>
        </div>
      </DateLocaleProvider>
    </Providers>
  );
}

import { redirect } from 'next/navigation';
import { currentStaff, toSignIn } from '@/app/_lib/session';
import { startPageFor } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

/** Each role starts where its work is: compliance officers on Mission Control, others on journeys. */
export default async function Home() {
  const staff = (await currentStaff()) ?? (await toSignIn());
  redirect(startPageFor(staff.role));
}

import { requirePermission } from '@/app/_lib/session';
import { listUsers } from '@/lib/auth/staff-users';
import { ROLE_LABELS, type Role } from '@/lib/auth/roles';
import { changeUserAction } from './actions';
import { UserForm } from './UserForm';
import { LocalTime } from '@/components/LocalTime';

export const metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const me = await requirePermission('users:manage');
  const users = await listUsers();
  return (
    <>
      <h1>Users</h1>
      <div className="table-wrap" style={{ marginBottom: '1.5rem' }}>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last login</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name}</td>
                <td>
                  {user.id === me.id ? (
                    ROLE_LABELS[user.role]
                  ) : (
                    <form action={changeUserAction} className="row">
                      <input type="hidden" name="userId" value={user.id} />
                      <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                        Role of {user.email}
                      </label>
                      <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                        {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                      <button type="submit">Change</button>
                    </form>
                  )}
                </td>
                <td>
                  <LocalTime iso={user.lastLoginAt} />
                </td>
                <td>
                  {user.id !== me.id && (
                    <form action={changeUserAction}>
                      <input type="hidden" name="userId" value={user.id} />
                      <input type="hidden" name="disabled" value={user.disabled ? 'false' : 'true'} />
                      <button type="submit">{user.disabled ? 'Enable' : 'Disable'}</button>
                    </form>
                  )}
                  {user.disabled && <span className="badge archived">disabled</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <UserForm />
    </>
  );
}

'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';

const ADMIN_PAGES = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/connections', label: 'Connections' },
  { href: '/admin/storage', label: 'Storage' },
  { href: '/admin/audit', label: 'Audit log' },
] as const;

/**
 * The admin pages in one menu of the top bar: four links beside the others would push the status
 * strip and the account off a laptop's screen. It closes when a page is chosen.
 */
export function AdminMenu() {
  const menu = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  // A new page was opened from the menu (or elsewhere): fold it away.
  useEffect(() => {
    if (menu.current && pathname) menu.current.open = false;
  }, [pathname]);
  return (
    <details className="admin-menu" ref={menu}>
      <summary aria-current={pathname.startsWith('/admin') ? 'page' : undefined}>Admin</summary>
      <ul>
        {ADMIN_PAGES.map((page) => (
          <li key={page.href}>
            <Link href={page.href}>{page.label}</Link>
          </li>
        ))}
      </ul>
    </details>
  );
}

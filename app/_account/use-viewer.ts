'use client';

import { useQuery } from '@tanstack/react-query';
import { type Permission, permissionActions, permissionNeeds, roleMay } from '../../access/roles';
import { useTRPC } from '../_trpc/client';

/** The signed-in user, and what the UI lets them do (the server checks the same table again). */
export function useViewer() {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions(undefined, { staleTime: 60_000 }));
  const may = (permission: Permission) => me.data !== undefined && roleMay(me.data.role, permission);
  /** The tooltip on a control this user may not use; undefined when they may. */
  const whyNot = (permission: Permission) =>
    may(permission) || me.data === undefined
      ? undefined
      : `As ${me.data.role === 'admin' || me.data.role === 'operator' ? 'an' : 'a'} ${me.data.role} you may not ${permissionActions[permission]}: that needs ${permissionNeeds[permission]}.`;
  return { me: me.data, may, whyNot };
}

// Who is calling, as Magento's UserContextInterface reports it. user_type values are Magento's:
// 1 integration, 2 admin, 3 customer, 4 guest.

export type CallerKind = 'integration' | 'admin' | 'customer' | 'guest';

export interface Caller {
  kind: CallerKind;
  userType: 1 | 2 | 3 | 4;
  userId: number | null;
}

export const GUEST: Caller = { kind: 'guest', userType: 4, userId: null };

export function adminCaller(userId: number): Caller {
  return { kind: 'admin', userType: 2, userId };
}

export function customerCaller(customerId: number): Caller {
  return { kind: 'customer', userType: 3, userId: customerId };
}

export function integrationCaller(integrationId: number): Caller {
  return { kind: 'integration', userType: 1, userId: integrationId };
}

/**
 * ACL check (Authorization::isAllowed with the Guest/Customer plugins): `anonymous` admits
 * everyone, `self` admits customers, any other resource admits admins and integrations (the
 * sandbox's admin role and integration have "all resources").
 */
export function isAllowed(caller: Caller, resources: readonly string[]): boolean {
  for (const resource of resources) {
    if (resource === 'anonymous') return true;
    if (resource === 'self') {
      if (caller.kind === 'customer') return true;
      continue;
    }
    if (caller.kind === 'admin' || caller.kind === 'integration') return true;
  }
  return false;
}

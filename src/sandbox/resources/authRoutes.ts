// Token routes (Integration + TwoFactorAuth webapi.xml).
import type { SandboxApp } from '../app';
import { WebapiError, MESSAGES } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam } from '../routing/types';

export function authRoutes(app: SandboxApp): SyncRoute[] {
  return [
    {
      method: 'POST',
      path: '/V1/integration/admin/token',
      service: { className: 'Magento\\Integration\\Api\\AdminTokenServiceInterface', name: 'integrationAdminTokenServiceV1', method: 'createAdminAccessToken' },
      acl: ['anonymous'],
      params: [bodyParam('username', T.string), bodyParam('password', T.string)],
      response: T.string,
      summary: 'Create access token for admin given the admin credentials.',
      throws: [400, 401],
      synchronousOnly: true,
      handler: ({ params }) => app.auth.createAdminToken(params.username, params.password),
    },
    {
      method: 'POST',
      path: '/V1/tfa/provider/google/authenticate',
      service: { className: 'Magento\\TwoFactorAuth\\Api\\GoogleAuthenticateInterface', name: 'twoFactorAuthGoogleAuthenticateV1', method: 'createAdminAccessToken' },
      acl: ['anonymous'],
      params: [bodyParam('username', T.string), bodyParam('password', T.string), bodyParam('otp', T.string)],
      response: T.string,
      summary: 'Get an admin token using authentication via Google Authenticator.',
      throws: [400, 401],
      synchronousOnly: true,
      handler: ({ params }) => {
        // The TwoFactorAuth module is what declares this route; without it the route does not exist.
        if (!app.settings.twoFactor) throw new WebapiError(404, MESSAGES.noRoute);
        return app.auth.createAdminTokenWithOtp(params.username, params.password, params.otp);
      },
    },
    {
      method: 'POST',
      path: '/V1/integration/customer/token',
      service: { className: 'Magento\\Integration\\Api\\CustomerTokenServiceInterface', name: 'integrationCustomerTokenServiceV1', method: 'createCustomerAccessToken' },
      acl: ['anonymous'],
      params: [bodyParam('username', T.string), bodyParam('password', T.string)],
      response: T.string,
      summary: 'Create access token for a customer given the customer credentials.',
      throws: [400, 401],
      synchronousOnly: true,
      handler: ({ params }) => app.auth.createCustomerToken(params.username, params.password),
    },
    {
      method: 'POST',
      path: '/V1/integration/customer/revoke-customer-token',
      service: { className: 'Magento\\Integration\\Api\\CustomerTokenServiceInterface', name: 'integrationCustomerTokenServiceV1', method: 'revokeCustomerAccessToken' },
      acl: ['self'],
      params: [{ name: 'customerId', in: 'path', type: T.int, required: true }],
      forced: { customerId: 'customer_id' },
      response: T.bool,
      summary: 'Revoke token by customer id.',
      synchronousOnly: true,
      handler: ({ params }) => {
        app.auth.revokeCustomerTokens(params.customerId as number);
        return true;
      },
    },
  ];
}

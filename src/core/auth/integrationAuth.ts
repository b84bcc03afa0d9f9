// Integration credentials: the access token as a standalone Bearer token (refused by 2.4.4+
// stores unless `oauth/consumer/enable_integration_as_bearer` is on), or OAuth 1.0a signing of
// every request. Integration tokens never expire; the secrets are read once per client (in VS
// Code each read is a round trip to the OS keychain, once per request of a 50-batch submit
// otherwise), and a 401 is retried only when the stored token changed since it was read.
import { type Clock, type SecretStore } from '../ports';
import { secretKey, type Profile, type SecretName } from '../profiles/profile';
import { MissingSecretError, type AuthProvider, type AuthRequest, type ForgetResult } from './authProvider';
import { generateNonce, signOAuth1, type OAuth1Credentials, type OAuth1Signature, type OAuthSignatureMethod } from './oauth1Signer';

async function requireSecret(secrets: SecretStore, profile: Profile, name: SecretName): Promise<string> {
  const value = await secrets.get(secretKey(profile.id, name));
  if (!value) throw new MissingSecretError(name, profile.id);
  return value;
}

const NOTHING_TO_FORGET: ForgetResult = {
  revokedOnStore: false,
  message: 'Integration tokens are not cached and do not expire; to revoke one, reset or delete the integration in the Admin (System > Extensions > Integrations).',
};

export class IntegrationBearerAuthProvider implements AuthProvider {
  readonly kind = 'integration-bearer' as const;
  private accessToken?: Promise<string>;

  constructor(private readonly profile: Profile, private readonly secrets: SecretStore) {}

  async authorize(_request: AuthRequest): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.loadToken()}` };
  }

  /** A 401 after the user replaced the token (e.g. in another window): retry once with the new one. */
  async handleUnauthorized(headers: Record<string, string>): Promise<boolean> {
    this.accessToken = undefined;
    const current = await this.loadToken().catch(() => undefined);
    return current !== undefined && headers.authorization !== `Bearer ${current}`;
  }

  forget(): Promise<ForgetResult> {
    this.accessToken = undefined;
    return Promise.resolve(NOTHING_TO_FORGET);
  }

  private loadToken(): Promise<string> {
    const accessToken = (this.accessToken ??= requireSecret(this.secrets, this.profile, 'accessToken'));
    // A missing secret should be re-read next time (the user may add it meanwhile).
    accessToken.catch(() => {
      if (this.accessToken === accessToken) this.accessToken = undefined;
    });
    return accessToken;
  }
}

export interface OAuth1AuthOptions {
  clock: Clock;
  /** Only for tests and diagnosis: Magento 2.4.4+ refuses anything but HMAC-SHA256. */
  signatureMethod?: OAuthSignatureMethod;
  /** Receives every signature (e.g. to show its base string when the store says it is invalid). */
  onSigned?: (signature: OAuth1Signature) => void;
}

export class OAuth1AuthProvider implements AuthProvider {
  readonly kind = 'oauth1' as const;
  private credentials?: Promise<OAuth1Credentials>;
  /** The last base string, kept for "The signature is invalid" diagnosis. */
  lastBaseString?: string;

  constructor(private readonly profile: Profile, private readonly secrets: SecretStore, private readonly options: OAuth1AuthOptions) {}

  async authorize(request: AuthRequest): Promise<Record<string, string>> {
    const credentials = await this.loadCredentials();
    const input: AuthRequest = { method: request.method, url: request.url };
    if (request.contentType) input.contentType = request.contentType;
    if (request.body !== undefined) input.body = request.body;
    const signature = signOAuth1(credentials, input, {
      nonce: generateNonce(),
      timestamp: Math.floor(this.options.clock.now() / 1000),
      signatureMethod: this.options.signatureMethod ?? 'HMAC-SHA256',
    });
    this.lastBaseString = signature.baseString;
    this.options.onSigned?.(signature);
    return { authorization: signature.authorization };
  }

  handleUnauthorized(): Promise<boolean> {
    return Promise.resolve(false);
  }

  forget(): Promise<ForgetResult> {
    return Promise.resolve(NOTHING_TO_FORGET);
  }

  private loadCredentials(): Promise<OAuth1Credentials> {
    this.credentials ??= (async () => ({
      consumerKey: await requireSecret(this.secrets, this.profile, 'consumerKey'),
      consumerSecret: await requireSecret(this.secrets, this.profile, 'consumerSecret'),
      accessToken: await requireSecret(this.secrets, this.profile, 'accessToken'),
      accessTokenSecret: await requireSecret(this.secrets, this.profile, 'accessTokenSecret'),
    }))();
    // A missing secret should be re-read next time (the user may add it meanwhile).
    this.credentials.catch(() => {
      this.credentials = undefined;
    });
    return this.credentials;
  }
}

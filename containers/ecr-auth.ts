import type { ECRClientConfig } from '@aws-sdk/client-ecr';
import { err, ok, type Result } from '../kernel/result.js';
import type { RegistryAuth } from '../contracts/container-runtime.js';

/** Sign-in for the registry of an image reference: undefined when the registry needs none (Docker Hub, others). */
export type RegistryAuthProvider = (ref: string, signal?: AbortSignal) => Promise<Result<RegistryAuth | undefined, string>>;

export interface EcrRegistry {
  account: string;
  region: string;
  /** `<account>.dkr.ecr[-fips].<region>.<domain>` */
  host: string;
  /** `amazonaws.com`, `amazonaws.com.cn`, or an isolated partition's domain. */
  domain: string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$/;

/** The ECR registry an image reference names (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`), if it names one. */
export function parseEcrImage(ref: string): EcrRegistry | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const host = ref.slice(0, slash);
  const m = ECR_HOST.exec(host);
  if (!m) return undefined;
  return { account: m[1]!, region: m[2]!, host, domain: m[3]! };
}

/** How long one GetAuthorizationToken call may take before the pull is reported as failed. */
const ECR_AUTH_TIMEOUT_MS = 10_000;
/** A cached token is used until this long before it expires (ECR tokens last 12 hours). */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export interface EcrAuthOptions {
  /** Where AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra client settings (tests pass fixed credentials); credentials otherwise come from the standard chain. */
  clientConfig?: Partial<ECRClientConfig>;
  timeoutMs?: number;
}

/**
 * Signs in to ECR registries with `GetAuthorizationToken` (region from the image's host, credentials from the
 * standard AWS chain, endpoint overridable by AWS_ENDPOINT_URL_ECR or AWS_ENDPOINT_URL); other registries get no
 * credentials (Docker Hub pulls anonymously). Tokens are kept per registry host until shortly before they expire.
 * Failure messages name the registry and the cause, never the token.
 */
export function ecrAuthProvider(opts: EcrAuthOptions = {}): RegistryAuthProvider {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? ECR_AUTH_TIMEOUT_MS;
  const cache = new Map<string, { auth: RegistryAuth; until: number }>();
  return async (ref, signal) => {
    const registry = parseEcrImage(ref);
    if (registry === undefined) return ok(undefined);
    const cached = cache.get(registry.host);
    if (cached !== undefined && cached.until > Date.now()) return ok(cached.auth);
    const endpoint = env.AWS_ENDPOINT_URL_ECR ?? env.AWS_ENDPOINT_URL;
    // The SDK would warn on every CLI run under Node 20 that its future releases need Node 22; cairn's own
    // package.json states what Node it needs, and the warning is noise in `cairn plan` output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // Loaded here, on the first ECR sign-in: the AWS SDK is a large share of start-up for every command otherwise.
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = new ECRClient({
      region: registry.region,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
      ...(endpoint !== undefined && endpoint !== '' ? { endpoint } : {}),
      ...opts.clientConfig,
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const out = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal });
      const data = out.authorizationData?.[0];
      const token = data?.authorizationToken;
      if (token === undefined) return err(`ECR returned no authorization token for ${registry.host}`);
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return err(`ECR returned a malformed authorization token for ${registry.host}`);
      // The token signs in to every registry of the region; the pull addresses the image's own registry.
      const auth: RegistryAuth = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: `https://${registry.host}` };
      const expires = data?.expiresAt?.getTime() ?? Date.now() + 60 * 60_000;
      cache.set(registry.host, { auth, until: expires - EXPIRY_MARGIN_MS });
      return ok(auth);
    } catch (e) {
      if (signal?.aborted) return err('the pull was cancelled');
      const why = timeout.aborted ? `no answer within ${timeoutMs / 1000} seconds` : errorText(e);
      return err(`signing in to ECR registry ${registry.host} (GetAuthorizationToken in ${registry.region}) failed: ${why}`);
    } finally {
      client.destroy();
    }
  };
}

function errorText(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return name && name !== 'Error' && !message.includes(name) ? `${name}: ${message}` : message;
}

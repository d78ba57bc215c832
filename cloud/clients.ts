import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { err, ok, type Result } from '../kernel/result.js';

/**
 * AWS clients for the cloud commands. Credentials come from the standard chain (environment, shared config and
 * credentials files, SSO, web identity, container and instance metadata); they are never logged or stored by cairn.
 * Endpoints follow the standard variables: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SAGEMAKER, else AWS_ENDPOINT_URL.
 * (Recent v3 SDKs read these themselves from process.env; they are passed explicitly so that an `env` given here
 * wins and so that S3 can switch to path-style addressing, which local S3 servers need.)
 */
export interface CloudClientOptions {
  /** `--region`; otherwise AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** Where the endpoint and region variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Fixed credentials (tests); otherwise the standard chain. */
  credentials?: S3ClientConfig['credentials'];
}

export interface CloudClients {
  region: string;
  s3: S3Client;
  sagemaker: SageMakerClient;
  /** The endpoints in use when overridden (for messages; never credentials). */
  endpoints: { s3?: string; sagemaker?: string };
  destroy(): void;
}

/** The region to use: the option, then AWS_REGION, then AWS_DEFAULT_REGION; none is a failure the user can fix. */
export function resolveRegion(opts: CloudClientOptions = {}): Result<string, string> {
  const env = opts.env ?? process.env;
  const region = nonEmpty(opts.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region === undefined) return err('No AWS region is set. Pass --region or set AWS_REGION.');
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return err(`"${region}" is not an AWS region name (for example eu-west-1).`);
  return ok(region);
}

/** The endpoint override for a service (`S3`, `SAGEMAKER`), if any. */
export function endpointFor(service: 'S3' | 'SAGEMAKER', env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL);
}

/** Builds the S3 and SageMaker clients; fails only when no region can be determined. */
export function cloudClients(opts: CloudClientOptions = {}): Result<CloudClients, string> {
  const env = opts.env ?? process.env;
  const region = resolveRegion(opts);
  if (!region.ok) return region;
  // The SDK warns on every run under Node 20 that its future releases need Node 22; cairn states what Node it needs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const credentials = opts.credentials ?? fromNodeProviderChain();
  const s3Endpoint = endpointFor('S3', env);
  const smEndpoint = endpointFor('SAGEMAKER', env);
  const s3 = new S3Client({
    region: region.value,
    credentials,
    ...(s3Endpoint !== undefined ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
  });
  const sagemaker = new SageMakerClient({
    region: region.value,
    credentials,
    ...(smEndpoint !== undefined ? { endpoint: smEndpoint } : {}),
  });
  const endpoints: CloudClients['endpoints'] = {};
  if (s3Endpoint !== undefined) endpoints.s3 = s3Endpoint;
  if (smEndpoint !== undefined) endpoints.sagemaker = smEndpoint;
  return ok({
    region: region.value,
    s3,
    sagemaker,
    endpoints,
    destroy: () => { s3.destroy(); sagemaker.destroy(); },
  });
}

/** A one-line description of an AWS SDK error (name and message; no request ids or credentials). */
export function awsErrorText(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (message === '' || message === 'UnknownError') return name || 'unknown error';
  return name && name !== 'Error' && !message.includes(name) ? `${name}: ${message}` : message;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}

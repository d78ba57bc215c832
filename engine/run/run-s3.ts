import type { Logger } from 'pino';
import { networkLabels, runNetworkName } from '../../containers/labels.js';
import type { ContainerRuntime, CreatedNetwork } from '../../contracts/container-runtime.js';
import type { Home } from '../../contracts/home.js';
import type { RunS3Services, StepS3 } from '../../contracts/run-s3.js';
import type { JobS3Access, S3Endpoint, S3Principal, SideEffects } from '../../contracts/s3-endpoint.js';

/**
 * The S3 endpoint of one run and the Docker network its containers join (issue 11): opened when a run or resume
 * starts executing, closed when it ends however it ends (success, failure, Ctrl-C). The network is `cairn-<runId>`,
 * labelled with the home, run and owner pid, so `reconcile` removes it after a crash; the endpoint listens on loopback
 * and on the network's gateway, nowhere else.
 */
export interface RunS3 {
  readonly network: string;
  /** The endpoint as a container on the run network reaches it. */
  readonly containerUrl: string;
  /** Grants one attempt its access; `end` revokes it and returns what the attempt did through the endpoint. */
  forAttempt(principal: S3Principal): AttemptS3;
  close(): Promise<void>;
}

export interface AttemptS3 {
  step: StepS3;
  /** Revokes the attempt's grant, if it was ever taken; undefined when it was not. */
  end(): SideEffects | undefined;
}

/** Why a run goes on without an endpoint (logged, and told to the user once). */
export type RunS3Problem = { during: 'network' | 'endpoint'; text: string };

export async function openRunS3(
  services: { runtime: ContainerRuntime; home: Home; s3?: RunS3Services }, runId: string, log: Logger,
): Promise<{ ok: true; value: RunS3 | undefined } | { ok: false; error: RunS3Problem }> {
  const s3 = services.s3;
  if (s3 === undefined) return { ok: true, value: undefined };
  const { runtime } = services;
  const net = await runtime.createNetwork({ name: runNetworkName(runId), labels: networkLabels({ home: services.home.root, runId }) })
    .catch((e: unknown) => ({ ok: false as const, error: e instanceof Error ? e.message : String(e) }));
  if (!net.ok) return { ok: false, error: { during: 'network', text: net.error } };
  let endpoint: S3Endpoint | undefined;
  try {
    endpoint = await s3.start(runId, (line) => log.info({ s3: line }, 'S3 endpoint'));
    const containerUrl = await endpoint.listenOn(net.value.gateway);
    log.info({ network: net.value.name, gateway: net.value.gateway, loopback: endpoint.loopbackUrl, containerUrl }, 'S3 endpoint started');
    return { ok: true, value: runS3(services.runtime, net.value, endpoint, containerUrl, s3.region, log) };
  } catch (e) {
    await endpoint?.close().catch(() => undefined);
    await runtime.removeNetwork(net.value.id).catch(() => undefined);
    return { ok: false, error: { during: 'endpoint', text: e instanceof Error ? e.message : String(e) } };
  }
}

function runS3(
  runtime: ContainerRuntime, network: CreatedNetwork, endpoint: S3Endpoint, containerUrl: string, region: string, log: Logger,
): RunS3 {
  return {
    network: network.name,
    containerUrl,
    forAttempt(principal) {
      let granted: { container: JobS3Access; loopback: JobS3Access } | undefined;
      return {
        step: {
          network: network.name,
          access() {
            if (granted === undefined) {
              const credentials = endpoint.grant(principal);
              granted = {
                container: { endpointUrl: containerUrl, region, credentials },
                loopback: { endpointUrl: endpoint.loopbackUrl, region, credentials },
              };
            }
            return granted;
          },
        },
        end: () => (granted === undefined ? undefined : endpoint.revoke(granted.container.credentials.accessKeyId)),
      };
    },
    async close() {
      await endpoint.close().catch((e: unknown) => log.warn({ err: e }, 'S3 endpoint did not close cleanly'));
      // Every container of the run is removed by now (runtime.run removes its container); a leftover is swept later.
      await runtime.removeNetwork(network.id).catch((e: unknown) => log.warn({ err: e, network: network.name }, 'run network not removed'));
      log.info({ network: network.name }, 'S3 endpoint stopped, run network removed');
    },
  };
}

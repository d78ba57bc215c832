import type Docker from 'dockerode';
import { err, ok, type Result } from '../kernel/result.js';
import type { CreatedNetwork, NetworkSpec } from '../contracts/container-runtime.js';

/**
 * Bridge networks for one run's containers (dockerode). `createDockerNetwork` asks Docker for the gateway and subnet
 * it picked, which is where a server on the host is reachable from the network's containers.
 */
export async function createDockerNetwork(docker: Docker, spec: NetworkSpec): Promise<Result<CreatedNetwork, string>> {
  const created = await docker.createNetwork({ Name: spec.name, Driver: 'bridge', CheckDuplicate: true, Labels: spec.labels, Attachable: false, Internal: spec.internal === true });
  const info = (await created.inspect()) as { Id: string; Name: string; IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] } };
  const config = (info.IPAM?.Config ?? []).find((c) => c.Gateway !== undefined && c.Subnet !== undefined && !c.Subnet.includes(':'));
  if (config?.Gateway === undefined || config.Subnet === undefined) {
    await created.remove().catch(() => undefined);
    return err(`Docker created network ${spec.name} without an IPv4 gateway`);
  }
  return ok({ id: info.Id, name: info.Name, gateway: config.Gateway, subnet: config.Subnet });
}

export async function listDockerNetworks(docker: Docker, labels: Record<string, string>): Promise<{ id: string; name: string; labels: Record<string, string> }[]> {
  const filter = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const list = await docker.listNetworks({ filters: { label: filter } });
  return list.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
}

export async function removeDockerNetwork(docker: Docker, id: string, statusOf: (e: unknown) => number | undefined): Promise<void> {
  try {
    await docker.getNetwork(id).remove();
  } catch (e) {
    if (statusOf(e) === 404) return;
    throw e;
  }
}

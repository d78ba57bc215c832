import type { RuntimeFailure } from '../contracts/container-runtime.js';
import type { ImageProblem } from '../contracts/image-resolver.js';
import type { RunRefusal } from '../engine/run/run-pipeline.js';
import type { ReconcileProblem } from '../engine/run/reconcile.js';
import { unreachable } from '../kernel/unreachable.js';

/** The script that builds every cairn-local/* test image. */
const BUILD_SCRIPT = 'containers/images/build-test-images.sh';

/** The command that builds one stand-in image. */
export const standInBuildCommand = (name: string): string => `cairn images build --only ${name}`;

/** The Docker engine did not answer a ping: said once, with the fix. `engineText`: what the connection attempt said. */
export function dockerDownText(engineText: string): string {
  return `cannot reach the Docker engine (${engineText}); start it (e.g. \`dockerd &\`) or set DOCKER_HOST`;
}

/** Why an image cannot be had, and the fix: the build command of its stand-in, or the image map entry. */
export function imageProblemText(p: ImageProblem): string {
  const mappedMissing = (file: string, fix: string): string =>
    `image "${p.uri}" is mapped to "${p.local}" in ${file}, but the mapped image "${p.local}" is not present locally; ${fix}`;
  switch (p.kind) {
    case 'local-absent': {
      const how = p.standIn !== undefined ? `build it with \`${standInBuildCommand(p.standIn)}\`` : `build it with ${BUILD_SCRIPT}`;
      return p.mappedIn !== undefined ? mappedMissing(p.mappedIn, how) : `image "${p.uri}" is not present locally; ${how}`;
    }
    case 'unpullable': {
      const what = p.pull ? 'could not be pulled' : 'cannot be pulled';
      if (p.mappedIn !== undefined) return mappedMissing(p.mappedIn, `it ${what} (${p.cause}); pull or build "${p.local}", or change the mapping`);
      const missing = `image "${p.uri}" is not present locally and ${what} (${p.cause})`;
      const stand = p.standIn;
      if (stand === undefined) return `${missing}; map it to a local image in ${p.imageMapFile}: {"images": {${JSON.stringify(p.uri)}: "<local image>"}}`;
      const entry = `${p.imageMapFile}: {"images": {${JSON.stringify(stand.mapKey)}: ${JSON.stringify(stand.image)}}}`;
      const note = stand.note !== undefined ? ` (${stand.note})` : '';
      if (stand.present) return `${missing}; the local stand-in "${stand.image}" is present${note}: map it in ${entry}`;
      return `${missing}; build a local stand-in with \`${standInBuildCommand(stand.name)}\`${note} and map it in ${entry}`;
    }
    case 'invalid-reference': {
      const what = p.reference === p.uri ? `image "${shorten(p.uri)}"` : `image "${shorten(p.uri)}" is mapped to "${shorten(p.reference)}" in ${p.mappedIn ?? 'cairn.json'}, and that`;
      return `${what} is not a valid Docker image reference: ${p.grammar}`;
    }
    default:
      return unreachable(p);
  }
}

/** A hostile reference may be megabytes long. */
function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** What the container runtime reports when a container did not run to its exit. */
export function runtimeFailureText(f: RuntimeFailure): string {
  switch (f.reason) {
    case 'stopped':
      return f.before === 'finished' ? 'The container was stopped before it finished.' : 'The container was stopped before it was ready.';
    case 'image-missing':
      return `Image "${f.image}" is not present in the local Docker engine; pull or build it first.`;
    case 'docker-error':
      return dockerErrorText(f);
    default:
      return unreachable(f);
  }
}

/** Docker's refusal while it made, ran or started a container (a RuntimeFailure, and a step's `docker-error`). */
export function dockerErrorText(f: { during: 'create' | 'run' | 'start'; engineText: string; containerId?: string }): string {
  switch (f.during) {
    case 'create':
      return `Docker could not create the container: ${f.engineText}.`;
    case 'run':
      return `Docker failed while running container ${(f.containerId ?? '').slice(0, 12)}: ${f.engineText}.`;
    case 'start':
      return `Docker failed while starting container ${(f.containerId ?? '').slice(0, 12)}: ${f.engineText}.`;
    default:
      return unreachable(f.during);
  }
}

/** Why `run` or `resume` did not start. */
export function runRefusalText(r: RunRefusal): string {
  switch (r.reason) {
    case 'locked': {
      const h = r.held;
      return `run ${r.runId} is being executed by another cairn process (pid ${h.owner.pid} on ${h.owner.host}, since ${new Date(h.acquiredAt).toISOString()}); wait for it to finish or stop it with Ctrl-C`;
    }
    case 'unknown-run':
      return `no run "${r.runId}" in ${r.home} (see \`cairn runs\`)`;
    case 'invalid-definition':
      return r.problem;
    default:
      return unreachable(r);
  }
}

/** The warning when the Docker engine failed while leftover containers were swept before a run. */
export function reconcileWarningText(p: ReconcileProblem): string {
  return `warning: leftover containers of dead runs were not removed: the Docker engine failed (${p.engineText}); the next run tries again`;
}

import type { DiskFullDuring, HandlerProblem, ServingStart, StepFailure, StopPoint } from '../contracts/step-failure.js';
import { byteSize } from '../kernel/byte-size.js';
import { unreachable } from '../kernel/unreachable.js';
import { describeBlobState } from '../cache/blob-check.js';
import { dockerErrorText, imageProblemText } from './render-refusal.js';

/** The step a failure belongs to, as the words name it: `Training step "Train"`; `runId` for hints that name the run. */
export interface StepRef {
  name: string;
  type: string;
  runId?: string;
}

const subject = (s: StepRef): string => `${s.type} step "${s.name}"`;

/**
 * The words shown to a user for a step that did not succeed: the one place they are made, from the typed failure.
 * The first line says what happened; a job's failure file, its last log lines and the log file follow.
 */
export function renderFailure(step: StepRef, f: StepFailure, logFile?: string): string[] {
  const lines: string[] = [];
  switch (f.reason) {
    case 'exit-nonzero':
    case 'oom-killed':
      lines.push(`step "${step.name}" failed: ${failureSentence(step, f)}`);
      if (f.reason === 'exit-nonzero' && f.failureFile) lines.push(`  /opt/ml/output/failure: ${f.failureFile}`);
      if (f.logTail.length > 0) {
        lines.push(`  last ${f.logTail.length} log line(s):`);
        for (const l of f.logTail) lines.push(`  | ${l}`);
      }
      if (logFile !== undefined) lines.push(`  full log: ${logFile}`);
      break;
    case 'fail-step':
      lines.push(failureSentence(step, f));
      break;
    case 'stopped':
      lines.push(`step "${step.name}" stopped: ${failureSentence(step, f)}`);
      break;
    default:
      lines.push(`step "${step.name}" failed: ${failureSentence(step, f)}`);
  }
  return lines;
}

/** One complete sentence (or two) a user can act on: what `message` was before failures became data. */
export function failureSentence(step: StepRef, f: StepFailure): string {
  const s = f.instance === undefined ? subject(step) : `${subject(step)} on instance ${f.instance.host} (of ${f.instance.count})`;
  switch (f.reason) {
    case 'exit-nonzero':
      if (f.serving !== undefined) return servingText(s, f.serving, f.exitCode);
      if (f.invocation !== undefined) {
        const { first, count, file, error } = f.invocation;
        const records = count === 1 ? `record ${first + 1}` : `records ${first + 1}-${first + count}`;
        return `${s} failed: POST /invocations with ${records} of ${file} ${error}; fix the model's inference code or the input (the last log lines of the model container may say more).`;
      }
      return `${s} failed: its container exited with code ${f.exitCode}` +
        (f.failureSummary === undefined ? '; the last log lines show why' : ` and wrote to /opt/ml/output/failure: ${f.failureSummary}`) +
        '. Fix the cause in the job code or its inputs and run again.';
    case 'oom-killed':
      if (f.serving !== undefined) return servingText(s, f.serving, f.exitCode);
      return `${s} ran out of memory: the kernel killed its container (exit code ${f.exitCode}); free memory on this machine or make the job use less.`;
    case 'image-missing':
      if (f.problem !== undefined) return `${s} (Arguments.${f.field ?? ''}): ${imageProblemText(f.problem)}.`;
      return `${s}: image "${f.image}" (${f.local ?? f.image}) disappeared from the local Docker engine before the step ran; run again to resolve it anew.`;
    case 'invalid-arguments':
      if ('message' in f) return f.message;
      return `${s}: ${f.field === '' ? 'Arguments' : `Arguments.${f.field}`} ${f.problem}; ${f.fix}.`;
    case 'input-lost': {
      const input = `input "${f.input}"${f.field === undefined ? '' : ` (Arguments.${f.field})`}`;
      return `${s}, ${input}: ${f.uri} is served from output "${f.output}" recorded at ${f.outputUri}, but its file ${f.file} (sha256 ${f.hash}) ` +
        `is lost from the content store: ${describeBlobState(f.blob)}. The step was not run on it; run the step that produced that output again ` +
        '(`cairn run <pipeline> --rerun <that step>`) to re-create it.';
    }
    case 'input-missing':
    case 'expression':
    case 'output-commit':
      return f.message;
    case 'output-link':
      return outputLinkText(s, f);
    case 'disk-full':
      return diskFullText(s, f);
    case 'docker-error':
      if (f.gpu !== undefined) {
        const g = f.gpu;
        const gpus = g.gpus === undefined ? 'GPUs' : `${g.gpus} GPU${g.gpus === 1 ? '' : 's'}`;
        return `${s}: instance type ${g.instanceType} (${g.field}) asks for ${gpus}, but the Docker engine has no GPU runtime (${f.engineText.replace(/\.$/, '')}). ` +
          `Use a CPU instance type such as ${g.cpuAlternative} (through the pipeline parameter that sets it, if there is one), or run on a machine whose Docker engine has the NVIDIA container runtime.`;
      }
      return `${s}: ${dockerErrorText(f)}`;
    case 'stopped':
      return stopText(s, f, step.runId);
    case 'upstream-failed':
      return f.upstream === undefined ? 'an upstream step failed' : `upstream step "${f.upstream}" failed`;
    case 'handler-error':
      return handlerText(s, f);
    case 'callback-failure':
      return `${s} failed: the callback for token ${f.token} reported failure: ${f.failureReason === '' ? '(no reason given)' : f.failureReason}`;
    case 'fail-step':
      return f.errorMessage === '' ? `${s} ended the run (it has no ErrorMessage).` : `${s} ended the run: ${f.errorMessage}`;
    case 'legacy':
      return f.was === 'unreadable' ? `(${f.message})` : f.message;
    default:
      return unreachable(f);
  }
}

function outputLinkText(s: string, f: Extract<StepFailure, { reason: 'output-link' }>): string {
  const how = f.why === 'absolute' ? 'an absolute path' : f.why === 'escapes' ? 'a path above the output directory' : 'a loop of links';
  return `${s}: output "${f.output}" holds the symbolic link ${f.link} -> ${f.target}, which leads to ${how}, outside the output; ` +
    'nothing it points to was read. Copy the file into the output directory instead, or make the link relative to a file inside it.';
}

/** What cairn was doing, and the word before the path it wrote. */
const DISK_FULL_DOING: Record<DiskFullDuring, [string, string]> = {
  'output-commit': ['committing output', 'to'], 'output-archive': ['packing output', 'into'], staging: ['staging input', 'in'],
  log: ['writing its log', 'to'], step: ['writing', 'in'],
};

function diskFullText(s: string, f: Extract<StepFailure, { reason: 'disk-full' }>): string {
  const what = f.output !== undefined ? ` "${f.output}"` : f.input !== undefined && f.input !== '' ? ` "${f.input}"` : '';
  const uri = f.uri === undefined ? '' : ` (${f.uri})`;
  const [doing, to] = DISK_FULL_DOING[f.during];
  const full = f.code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
  const free = f.freeBytes === undefined ? '' : `; ${byteSize(f.freeBytes)} free there`;
  return `${s}: ${full} (${f.code}) while ${doing}${what}${uri} ${to} ${f.path}${free}. ` +
    'Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run.';
}

function servingText(s: string, v: ServingStart, exitCode: number): string {
  const image = `its model container (image "${v.image}", ${v.field})`;
  switch (v.ready) {
    case 'exited':
      return `${s} failed: ${image} exited with code ${exitCode} before it answered GET /ping; the image must start an HTTP server on port ${v.port} when run as \`${v.command}\` (the last log lines show why it did not).`;
    case 'timeout':
      return `${s} failed: ${image} did not answer GET /ping with 200 within ${v.timeoutS} seconds (${v.lastAnswer}), so cairn stopped it; the model server must be ready on port ${v.port} by then (the last log lines show what it did).`;
    case 'oom':
      return `${s} ran out of memory: the kernel killed ${image} while it started; free memory on this machine or make the model use less.`;
    default:
      return unreachable(v);
  }
}

function stopText(s: string, p: StopPoint, runId: string | undefined): string {
  switch (p.when) {
    case 'before-start':
      return 'stopped before it started';
    case 'container':
      return `${s} was stopped before its container finished.`;
    case 'model-ready':
      return `${s} was stopped before its model container was ready.`;
    case 'transforming':
      return `${s} was stopped while its model container was transforming ${p.file}.`;
    case 'handler':
      return `${s} was stopped while its handler ran.`;
    case 'callback':
      return `${s} was stopped while waiting for its callback; \`cairn resume ${p.runId ?? runId ?? '<run>'}\` waits on the same token ${p.token}.`;
    case 'retry-wait':
      return `stopped while waiting to retry after attempt ${p.attempt} failed (${p.exceptionType})`;
    case 'interrupted':
      return 'interrupted: the cairn process running it ended unexpectedly';
    default:
      return unreachable(p);
  }
}

function handlerText(s: string, h: HandlerProblem): string {
  switch (h.kind) {
    case 'worker-missing':
      return `${s}: cairn's Lambda worker (${h.workerFile}) is missing; run \`npm run build\`.`;
    case 'threw':
      return `${s}: ${h.text}`;
    case 'worker-error':
      return `${s}: the handler for ${h.where} failed: ${h.text}`;
    case 'exited':
      return `${s}: the handler for ${h.where} ended (exit code ${h.exitCode}) without returning a result; return the outputs instead of exiting.`;
    case 'timeout':
      return `${s}: the ${h.runner} for ${h.where} did not finish within its timeout of ${h.timeoutS} s; make it faster or raise "timeout" (seconds) in its cairn.json entry.`;
    case 'no-result':
      return `${s}: the command for ${h.where} gave no result; write the outputs as a JSON object to $CAIRN_LAMBDA_RESULT (${h.resultFile}) or print it as the last line of stdout.`;
    case 'not-json':
      return `${s}: the command for ${h.where} gave a result that is not JSON in ${h.from} (${h.error}): ${h.text.slice(0, 200)}`;
    case 'checked':
      return h.callback === true ? `${h.message} Resume the run to wait on a new token.` : h.message;
    default:
      return unreachable(h);
  }
}

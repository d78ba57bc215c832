import { describe, expect, it } from 'vitest';
import { failureSentence, renderFailure, type StepRef } from '../../cli/render-failure.js';
import { dockerDownText, imageProblemText, reconcileWarningText, runRefusalText, runtimeFailureText } from '../../cli/render-refusal.js';
import { dockerFailure, exitFailure, stepFailure, type StepFailure } from '../../contracts/step-failure.js';

const train: StepRef = { name: 'Train', type: 'Training', runId: 'run-1' };
const say = (f: StepFailure, step: StepRef = train): string => failureSentence(step, f);
const tail = ['epoch 1', 'Traceback (most recent call last):', 'ValueError: bad'];

describe('the words of every failure reason (cli/render-failure.ts)', () => {
  it('exit-nonzero: a job container, with and without a failure file, and a model server', () => {
    expect(say(exitFailure({ exitCode: 2, logTail: tail }))).toMatchInlineSnapshot(`"Training step "Train" failed: its container exited with code 2; the last log lines show why. Fix the cause in the job code or its inputs and run again."`);
    expect(say(exitFailure({ exitCode: 1, logTail: [], failureFile: 'x\nValueError: bad', failureSummary: 'ValueError: bad' }))).toMatchInlineSnapshot(`"Training step "Train" failed: its container exited with code 1 and wrote to /opt/ml/output/failure: ValueError: bad. Fix the cause in the job code or its inputs and run again."`);
    const serving = { image: 'cairn-local/serve:1', field: 'PrimaryContainer', port: 8080 };
    const T = { name: 'T', type: 'Transform' };
    expect(say(exitFailure({ exitCode: 3, logTail: [], serving: { ...serving, command: 'serve', ready: 'exited' } }), T)).toMatchInlineSnapshot(`"Transform step "T" failed: its model container (image "cairn-local/serve:1", PrimaryContainer) exited with code 3 before it answered GET /ping; the image must start an HTTP server on port 8080 when run as \`serve\` (the last log lines show why it did not)."`);
    expect(say(exitFailure({ exitCode: 137, logTail: [], serving: { ...serving, ready: 'timeout', timeoutS: 2, lastAnswer: 'GET /ping answered 503' } }), T)).toMatchInlineSnapshot(`"Transform step "T" failed: its model container (image "cairn-local/serve:1", PrimaryContainer) did not answer GET /ping with 200 within 2 seconds (GET /ping answered 503), so cairn stopped it; the model server must be ready on port 8080 by then (the last log lines show what it did)."`);
    expect(say(exitFailure({ exitCode: 137, logTail: [], invocation: { first: 0, count: 2, file: 'in.csv', error: 'answered 500: boom' } }), T)).toMatchInlineSnapshot(`"Transform step "T" failed: POST /invocations with records 1-2 of in.csv answered 500: boom; fix the model's inference code or the input (the last log lines of the model container may say more)."`);
    expect(say(exitFailure({ exitCode: 137, logTail: [], invocation: { first: 4, count: 1, file: 'in.csv', error: 'timed out' } }), T)).toMatchInlineSnapshot(`"Transform step "T" failed: POST /invocations with record 5 of in.csv timed out; fix the model's inference code or the input (the last log lines of the model container may say more)."`);
  });

  it('oom-killed, of a job and of a model server', () => {
    expect(say(stepFailure('oom-killed', { exitCode: 137, logTail: [] }))).toMatchInlineSnapshot(`"Training step "Train" ran out of memory: the kernel killed its container (exit code 137); free memory on this machine or make the job use less."`);
    expect(say(stepFailure('oom-killed', { exitCode: 137, logTail: [], serving: { image: 'm:1', field: 'PrimaryContainer', ready: 'oom' } }), { name: 'T', type: 'Transform' })).toMatchInlineSnapshot(`"Transform step "T" ran out of memory: the kernel killed its model container (image "m:1", PrimaryContainer) while it started; free memory on this machine or make the model use less."`);
  });

  it('image-missing: gone before the step ran, or a resolver problem naming the field', () => {
    expect(say(stepFailure('image-missing', { image: 'py:3', local: 'sha256:abc' }))).toMatchInlineSnapshot(`"Training step "Train": image "py:3" (sha256:abc) disappeared from the local Docker engine before the step ran; run again to resolve it anew."`);
    const problem = { uri: 'x/y:1', local: 'x/y:1', kind: 'unpullable' as const, pull: false, cause: 'no such host', imageMapFile: 'cairn.json' };
    expect(say(stepFailure('image-missing', { image: 'x/y:1', field: 'AlgorithmSpecification.TrainingImage', problem }))).toMatchInlineSnapshot(`"Training step "Train" (Arguments.AlgorithmSpecification.TrainingImage): image "x/y:1" is not present locally and cannot be pulled (no such host); map it to a local image in cairn.json: {"images": {"x/y:1": "<local image>"}}."`);
  });

  it('invalid-arguments (field, problem, fix), and the reasons that still carry their words', () => {
    expect(say(stepFailure('invalid-arguments', { field: 'RoleArn', problem: 'is missing', fix: 'set it' }))).toMatchInlineSnapshot(`"Training step "Train": Arguments.RoleArn is missing; set it."`);
    expect(say(stepFailure('invalid-arguments', { field: '', problem: 'must be an object, not a list', fix: 'write the request body' }))).toMatchInlineSnapshot(`"Training step "Train": Arguments must be an object, not a list; write the request body."`);
    expect(say(stepFailure('invalid-arguments', { field: 'FunctionArn', message: 'Lambda step "L" has no FunctionArn.' }))).toBe('Lambda step "L" has no FunctionArn.');
    expect(say(stepFailure('input-missing', { input: 'raw', uri: 's3://b/raw', message: 'Input s3://b/raw is missing.' }))).toBe('Input s3://b/raw is missing.');
    expect(say(stepFailure('expression', { message: 'Steps.A.Properties.X: no such property' }))).toBe('Steps.A.Properties.X: no such property');
    expect(say(stepFailure('output-commit', { output: 'model', message: 'Could not commit output "model".' }))).toBe('Could not commit output "model".');
  });

  it('input-lost: a blob missing, of another size or other bytes, with and without the field', () => {
    const P = { name: 'Fit', type: 'Processing' };
    const base = { input: 'train', field: 'ProcessingInputs[0].S3Input.S3Uri', uri: 's3://b/prep/train', output: 'clean', outputUri: 's3://b/prep', file: 'train.csv', hash: 'ab'.repeat(32) };
    const blob = '/h/cas/sha256/ab/abab';
    expect(say(stepFailure('input-lost', { ...base, blob: { state: 'missing', path: blob } }), P)).toMatchInlineSnapshot(`"Processing step "Fit", input "train" (Arguments.ProcessingInputs[0].S3Input.S3Uri): s3://b/prep/train is served from output "clean" recorded at s3://b/prep, but its file train.csv (sha256 abababababababababababababababababababababababababababababababab) is lost from the content store: /h/cas/sha256/ab/abab is missing. The step was not run on it; run the step that produced that output again (\`cairn run <pipeline> --rerun <that step>\`) to re-create it."`);
    expect(say(stepFailure('input-lost', { ...base, blob: { state: 'damaged', path: blob, detail: { kind: 'size', expected: 8, actual: 3 } } }), P)).toMatchInlineSnapshot(`"Processing step "Fit", input "train" (Arguments.ProcessingInputs[0].S3Input.S3Uri): s3://b/prep/train is served from output "clean" recorded at s3://b/prep, but its file train.csv (sha256 abababababababababababababababababababababababababababababababab) is lost from the content store: /h/cas/sha256/ab/abab holds 3 bytes, 8 recorded. The step was not run on it; run the step that produced that output again (\`cairn run <pipeline> --rerun <that step>\`) to re-create it."`);
    const { field: _f, ...noField } = base;
    expect(say(stepFailure('input-lost', { ...noField, input: 'model', blob: { state: 'damaged', path: blob, detail: { kind: 'content', actualHash: 'cd'.repeat(32) } } }), P)).toMatchInlineSnapshot(`"Processing step "Fit", input "model": s3://b/prep/train is served from output "clean" recorded at s3://b/prep, but its file train.csv (sha256 abababababababababababababababababababababababababababababababab) is lost from the content store: /h/cas/sha256/ab/abab hashes to cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd. The step was not run on it; run the step that produced that output again (\`cairn run <pipeline> --rerun <that step>\`) to re-create it."`);
  });

  it('disk-full: at an output commit, an archive, a staging, the log; a quota; free space unknown', () => {
    const P = { name: 'Prep', type: 'Processing' };
    expect(say(stepFailure('disk-full', { during: 'output-commit', code: 'ENOSPC', path: '/h/s3/b/out', freeBytes: 0, output: 'out', uri: 's3://b/out' }), P)).toMatchInlineSnapshot(`"Processing step "Prep": the disk is full (ENOSPC) while committing output "out" (s3://b/out) to /h/s3/b/out; 0 bytes free there. Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run."`);
    expect(say(stepFailure('disk-full', { during: 'output-archive', code: 'ENOSPC', path: '/h/runs/r/model.tar.gz', freeBytes: 3584, output: 'model' }))).toMatchInlineSnapshot(`"Training step "Train": the disk is full (ENOSPC) while packing output "model" into /h/runs/r/model.tar.gz; 3.5 KiB free there. Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run."`);
    expect(say(stepFailure('disk-full', { during: 'staging', code: 'EDQUOT', path: '/h/runs/r/inputs/train', freeBytes: 5 * 1024 * 1024, input: 'train', uri: 's3://b/train' }))).toMatchInlineSnapshot(`"Training step "Train": the disk quota is used up (EDQUOT) while staging input "train" (s3://b/train) in /h/runs/r/inputs/train; 5.0 MiB free there. Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run."`);
    expect(say(stepFailure('disk-full', { during: 'log', code: 'ENOSPC', path: '/h/runs/r/container.log' }), P)).toMatchInlineSnapshot(`"Processing step "Prep": the disk is full (ENOSPC) while writing its log to /h/runs/r/container.log. Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run."`);
    expect(say(stepFailure('disk-full', { during: 'step', code: 'ENOSPC', path: '/h/runs/r/attempt-1', freeBytes: 1 }), P)).toMatchInlineSnapshot(`"Processing step "Prep": the disk is full (ENOSPC) while writing in /h/runs/r/attempt-1; 1 byte free there. Free space on that disk (or set CAIRN_HOME to a larger one) and resume the run."`);
  });

  it('docker-error, while creating, running or starting, and a GPU request without a GPU runtime', () => {
    expect(say(dockerFailure({ during: 'create', engineText: 'connect ECONNREFUSED /var/run/docker.sock' }))).toMatchInlineSnapshot(`"Training step "Train": Docker could not create the container: connect ECONNREFUSED /var/run/docker.sock."`);
    expect(say(dockerFailure({ during: 'run', engineText: 'HTTP code 500', containerId: '0123456789abcdef' }))).toMatchInlineSnapshot(`"Training step "Train": Docker failed while running container 0123456789ab: HTTP code 500."`);
    expect(say(dockerFailure({ during: 'start', engineText: 'port is taken', containerId: 'fedcba9876543210' }))).toMatchInlineSnapshot(`"Training step "Train": Docker failed while starting container fedcba987654: port is taken."`);
    const gpu = { instanceType: 'ml.p3.8xlarge', field: 'ResourceConfig.InstanceType', gpus: 4, cpuAlternative: 'ml.m5.4xlarge' };
    expect(say(dockerFailure({ during: 'create', engineText: 'could not select device driver "" with capabilities: [[gpu]].', gpu }))).toMatchInlineSnapshot(`"Training step "Train": instance type ml.p3.8xlarge (ResourceConfig.InstanceType) asks for 4 GPUs, but the Docker engine has no GPU runtime (could not select device driver "" with capabilities: [[gpu]]). Use a CPU instance type such as ml.m5.4xlarge (through the pipeline parameter that sets it, if there is one), or run on a machine whose Docker engine has the NVIDIA container runtime."`);
    expect(say(dockerFailure({ during: 'create', engineText: 'nvidia', gpu: { ...gpu, gpus: 1 } }))).toMatchInlineSnapshot(`"Training step "Train": instance type ml.p3.8xlarge (ResourceConfig.InstanceType) asks for 1 GPU, but the Docker engine has no GPU runtime (nvidia). Use a CPU instance type such as ml.m5.4xlarge (through the pipeline parameter that sets it, if there is one), or run on a machine whose Docker engine has the NVIDIA container runtime."`);
  });

  it('stopped, at every point a step can be stopped', () => {
    const L = { name: 'L', type: 'Lambda' };
    const C = { name: 'Wait', type: 'Callback', runId: 'run-1' };
    expect(say(stepFailure('stopped', { when: 'before-start' }))).toMatchInlineSnapshot(`"stopped before it started"`);
    expect(say(stepFailure('stopped', { when: 'container' }))).toMatchInlineSnapshot(`"Training step "Train" was stopped before its container finished."`);
    expect(say(stepFailure('stopped', { when: 'model-ready' }))).toMatchInlineSnapshot(`"Training step "Train" was stopped before its model container was ready."`);
    expect(say(stepFailure('stopped', { when: 'transforming', file: 'part-1.csv' }))).toMatchInlineSnapshot(`"Training step "Train" was stopped while its model container was transforming part-1.csv."`);
    expect(say(stepFailure('stopped', { when: 'handler' }), L)).toMatchInlineSnapshot(`"Lambda step "L" was stopped while its handler ran."`);
    expect(say(stepFailure('stopped', { when: 'callback', token: 'tok-1', runId: 'run-1' }), C)).toMatchInlineSnapshot(`"Callback step "Wait" was stopped while waiting for its callback; \`cairn resume run-1\` waits on the same token tok-1."`);
    expect(say(stepFailure('stopped', { when: 'retry-wait', attempt: 2, exceptionType: 'Step.SERVICE_FAULT' }))).toMatchInlineSnapshot(`"stopped while waiting to retry after attempt 2 failed (Step.SERVICE_FAULT)"`);
    expect(say(stepFailure('stopped', { when: 'interrupted' }))).toMatchInlineSnapshot(`"interrupted: the cairn process running it ended unexpectedly"`);
  });

  it('handler-error, of every kind', () => {
    const L = { name: 'L', type: 'Lambda' };
    const where = 'cairn.json lambdas["arn:*"]';
    expect(say(stepFailure('handler-error', { kind: 'worker-missing', workerFile: '/cairn/dist/steps/lambda-worker.js' }), L)).toMatchInlineSnapshot(`"Lambda step "L": cairn's Lambda worker (/cairn/dist/steps/lambda-worker.js) is missing; run \`npm run build\`."`);
    expect(say(stepFailure('handler-error', { kind: 'threw', text: 'Error: nope (handler.ts:3:9)', stack: ['at f'] }), L)).toMatchInlineSnapshot(`"Lambda step "L": Error: nope (handler.ts:3:9)"`);
    expect(say(stepFailure('handler-error', { kind: 'worker-error', where, text: 'out of memory' }), L)).toMatchInlineSnapshot(`"Lambda step "L": the handler for cairn.json lambdas["arn:*"] failed: out of memory"`);
    expect(say(stepFailure('handler-error', { kind: 'exited', where, exitCode: 3 }), L)).toMatchInlineSnapshot(`"Lambda step "L": the handler for cairn.json lambdas["arn:*"] ended (exit code 3) without returning a result; return the outputs instead of exiting."`);
    expect(say(stepFailure('handler-error', { kind: 'timeout', runner: 'handler', where, timeoutS: 3 }), L)).toMatchInlineSnapshot(`"Lambda step "L": the handler for cairn.json lambdas["arn:*"] did not finish within its timeout of 3 s; make it faster or raise "timeout" (seconds) in its cairn.json entry."`);
    expect(say(stepFailure('handler-error', { kind: 'timeout', runner: 'command', where, timeoutS: 3 }), L)).toMatchInlineSnapshot(`"Lambda step "L": the command for cairn.json lambdas["arn:*"] did not finish within its timeout of 3 s; make it faster or raise "timeout" (seconds) in its cairn.json entry."`);
    expect(say(stepFailure('handler-error', { kind: 'no-result', where, resultFile: '/tmp/result.json' }), L)).toMatchInlineSnapshot(`"Lambda step "L": the command for cairn.json lambdas["arn:*"] gave no result; write the outputs as a JSON object to $CAIRN_LAMBDA_RESULT (/tmp/result.json) or print it as the last line of stdout."`);
    expect(say(stepFailure('handler-error', { kind: 'not-json', where, from: 'stdout', error: 'Unexpected token', text: 'hello' }), L)).toMatchInlineSnapshot(`"Lambda step "L": the command for cairn.json lambdas["arn:*"] gave a result that is not JSON in stdout (Unexpected token): hello"`);
    expect(say(stepFailure('handler-error', { kind: 'checked', message: 'the result lacks "ok".' }), L)).toBe('the result lacks "ok".');
    expect(say(stepFailure('handler-error', { kind: 'checked', message: 'the callback lacks "ok".', callback: true }), L)).toMatchInlineSnapshot(`"the callback lacks "ok". Resume the run to wait on a new token."`);
  });

  it('upstream-failed, callback-failure, fail-step and legacy records', () => {
    const C = { name: 'Wait', type: 'Callback' };
    const F = { name: 'Reject', type: 'Fail' };
    expect(say(stepFailure('upstream-failed', { upstream: 'Prep' }))).toMatchInlineSnapshot(`"upstream step "Prep" failed"`);
    expect(say(stepFailure('upstream-failed', {}))).toMatchInlineSnapshot(`"an upstream step failed"`);
    expect(say(stepFailure('callback-failure', { token: 'tok-1', failureReason: 'rejected by QA' }), C)).toMatchInlineSnapshot(`"Callback step "Wait" failed: the callback for token tok-1 reported failure: rejected by QA"`);
    expect(say(stepFailure('callback-failure', { token: 'tok-1', failureReason: '' }), C)).toMatchInlineSnapshot(`"Callback step "Wait" failed: the callback for token tok-1 reported failure: (no reason given)"`);
    expect(say(stepFailure('fail-step', { errorMessage: 'accuracy 0.5 is below 0.8' }), F)).toMatchInlineSnapshot(`"Fail step "Reject" ended the run: accuracy 0.5 is below 0.8"`);
    expect(say(stepFailure('fail-step', { errorMessage: '' }), F)).toMatchInlineSnapshot(`"Fail step "Reject" ended the run (it has no ErrorMessage)."`);
    expect(say(stepFailure('legacy', { was: 'exit-nonzero', message: 'Training step "Train" failed: its container exited with code 1.' }))).toBe('Training step "Train" failed: its container exited with code 1.');
    expect(say(stepFailure('legacy', { was: 'unreadable', message: 'the stored failure record is not JSON' }))).toMatchInlineSnapshot(`"(the stored failure record is not JSON)"`);
  });

  it('renders a failed job as a block: the sentence, the failure file, the log tail and the log file', () => {
    const f = exitFailure({ exitCode: 1, logTail: tail, failureFile: 'ValueError: bad', failureSummary: 'ValueError: bad' });
    expect(renderFailure(train, f, '/home/runs/run-1/Train/1/log.txt')).toMatchInlineSnapshot(`
      [
        "step "Train" failed: Training step "Train" failed: its container exited with code 1 and wrote to /opt/ml/output/failure: ValueError: bad. Fix the cause in the job code or its inputs and run again.",
        "  /opt/ml/output/failure: ValueError: bad",
        "  last 3 log line(s):",
        "  | epoch 1",
        "  | Traceback (most recent call last):",
        "  | ValueError: bad",
        "  full log: /home/runs/run-1/Train/1/log.txt",
      ]
    `);
    expect(renderFailure(train, stepFailure('stopped', { when: 'container' }))).toMatchInlineSnapshot(`
      [
        "step "Train" stopped: Training step "Train" was stopped before its container finished.",
      ]
    `);
    expect(renderFailure({ name: 'Reject', type: 'Fail' }, stepFailure('fail-step', { errorMessage: 'too low' }))).toMatchInlineSnapshot(`
      [
        "Fail step "Reject" ended the run: too low",
      ]
    `);
    expect(renderFailure(train, stepFailure('invalid-arguments', { field: 'RoleArn', problem: 'is missing', fix: 'set it' }))).toMatchInlineSnapshot(`
      [
        "step "Train" failed: Training step "Train": Arguments.RoleArn is missing; set it.",
      ]
    `);
  });
});

describe('the words of refusals (cli/render-refusal.ts)', () => {
  it('image problems: a local stand-in to build, a mapped image, an unpullable image with or without a stand-in', () => {
    expect(imageProblemText({ uri: 'cairn-local/sklearn:1.2', local: 'cairn-local/sklearn:1.2', kind: 'local-absent', standIn: 'sklearn' })).toMatchInlineSnapshot(`"image "cairn-local/sklearn:1.2" is not present locally; build it with \`cairn images build --only sklearn\`"`);
    expect(imageProblemText({ uri: 'my/x:1', local: 'cairn-local/other:1', mappedIn: '/p/cairn.json', kind: 'local-absent' })).toMatchInlineSnapshot(`"image "my/x:1" is mapped to "cairn-local/other:1" in /p/cairn.json, but the mapped image "cairn-local/other:1" is not present locally; build it with containers/images/build-test-images.sh"`);
    const base = { uri: 'acct.dkr.ecr/tf:2', local: 'acct.dkr.ecr/tf:2', kind: 'unpullable' as const, cause: 'no such host', imageMapFile: 'cairn.json' };
    expect(imageProblemText({ ...base, pull: true, mappedIn: '/p/cairn.json' })).toMatchInlineSnapshot(`"image "acct.dkr.ecr/tf:2" is mapped to "acct.dkr.ecr/tf:2" in /p/cairn.json, but the mapped image "acct.dkr.ecr/tf:2" is not present locally; it could not be pulled (no such host); pull or build "acct.dkr.ecr/tf:2", or change the mapping"`);
    const standIn = { name: 'tensorflow', image: 'cairn-local/tensorflow:2', mapKey: 'acct.dkr.ecr/tf:*', note: 'CPU only' };
    expect(imageProblemText({ ...base, pull: false, standIn: { ...standIn, present: false } })).toMatchInlineSnapshot(`"image "acct.dkr.ecr/tf:2" is not present locally and cannot be pulled (no such host); build a local stand-in with \`cairn images build --only tensorflow\` (CPU only) and map it in cairn.json: {"images": {"acct.dkr.ecr/tf:*": "cairn-local/tensorflow:2"}}"`);
    expect(imageProblemText({ ...base, pull: false, standIn: { ...standIn, present: true } })).toMatchInlineSnapshot(`"image "acct.dkr.ecr/tf:2" is not present locally and cannot be pulled (no such host); the local stand-in "cairn-local/tensorflow:2" is present (CPU only): map it in cairn.json: {"images": {"acct.dkr.ecr/tf:*": "cairn-local/tensorflow:2"}}"`);
  });

  it('runtime failures, run refusals, Docker down and the reconcile warning', () => {
    expect(runtimeFailureText({ reason: 'stopped', before: 'finished' })).toMatchInlineSnapshot(`"The container was stopped before it finished."`);
    expect(runtimeFailureText({ reason: 'stopped', before: 'ready' })).toMatchInlineSnapshot(`"The container was stopped before it was ready."`);
    expect(runtimeFailureText({ reason: 'image-missing', image: 'py:3' })).toMatchInlineSnapshot(`"Image "py:3" is not present in the local Docker engine; pull or build it first."`);
    expect(runtimeFailureText({ reason: 'docker-error', during: 'create', engineText: 'no space left on device' })).toMatchInlineSnapshot(`"Docker could not create the container: no space left on device."`);
    const held = { runId: 'run-1', owner: { pid: 42, host: 'box', procStart: 'x' }, acquiredAt: Date.UTC(2026, 0, 2, 3, 4, 5) };
    expect(runRefusalText({ reason: 'locked', runId: 'run-1', held })).toMatchInlineSnapshot(`"run run-1 is being executed by another cairn process (pid 42 on box, since 2026-01-02T03:04:05.000Z); wait for it to finish or stop it with Ctrl-C"`);
    expect(runRefusalText({ reason: 'unknown-run', runId: 'run-9', home: '/h/.cairn' })).toMatchInlineSnapshot(`"no run "run-9" in /h/.cairn (see \`cairn runs\`)"`);
    expect(runRefusalText({ reason: 'invalid-definition', problem: 'p.json: Steps[0].Name is missing' })).toBe('p.json: Steps[0].Name is missing');
    expect(dockerDownText('connect ENOENT /var/run/docker.sock')).toMatchInlineSnapshot(`"cannot reach the Docker engine (connect ENOENT /var/run/docker.sock); start it (e.g. \`dockerd &\`) or set DOCKER_HOST"`);
    expect(reconcileWarningText({ during: 'list', engineText: 'socket hang up' })).toMatchInlineSnapshot(`"warning: leftover containers of dead runs were not removed: the Docker engine failed (socket hang up); the next run tries again"`);
  });
});

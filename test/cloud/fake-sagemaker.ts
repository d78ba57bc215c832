import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the SageMaker pipeline-execution APIs moto lacks, speaking SageMaker's wire protocol (AWS JSON
 * 1.1, `X-Amz-Target: SageMaker.<Op>`) on 127.0.0.1 only. Every DescribePipelineExecution call advances the execution
 * one tick through a scripted, realistic sequence: each step goes Starting → Executing → Succeeded (or Failed on a
 * scripted attempt, which fails the execution); RetryPipelineExecution runs the failed step again with the next
 * attempt; StopPipelineExecution goes through Stopping to Stopped. Throttling (400 ThrottlingException), server
 * errors (500) and dropped connections can be injected for the next N calls. A test double: lives under test/, never shipped.
 */
export interface FakeStep {
  name: string;
  /** Step type as in the definition (Processing, Training, …). */
  type: string;
  /** Attempts that fail (1 = the first). */
  failOnAttempts?: number[];
  /** Reported as a cache hit of this execution ARN instead of running. */
  cacheHitOf?: string;
  failureReason?: string;
  /** Polls the step stays Executing (default 1): nothing changes meanwhile, so a watcher backs off. */
  executingTicks?: number;
}

type StepState = { def: FakeStep; status: 'Starting' | 'Executing' | 'Succeeded' | 'Failed' | 'Stopped'; attempts: number; start: number; end?: number; ticks: number };

interface Execution {
  arn: string;
  pipeline: string;
  status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
  steps: FakeStep[];
  states: StepState[];
  current: number;
  failureReason?: string;
  parameters: { Name: string; Value: string }[];
  created: number;
  modified: number;
}

export type Fault = 'throttle' | 'server-error' | 'drop';

const DEFAULT_STEPS: FakeStep[] = [
  { name: 'Preprocess', type: 'Processing' },
  { name: 'Train', type: 'Training', failOnAttempts: [1], failureReason: 'AlgorithmError: ExecuteUserScriptError: exit code 1 (spot instance reclaimed)' },
  { name: 'Evaluate', type: 'Processing' },
];

const JOB: Record<string, string> = { Processing: 'ProcessingJob', Training: 'TrainingJob', Transform: 'TransformJob' };

class ApiError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) { super(message); }
}

export class FakeSageMaker {
  /** Every call received, with the time it arrived (epoch ms). */
  readonly calls: { op: string; body: Record<string, unknown>; at: number }[] = [];
  /** How many injected faults were served. */
  faultsServed = 0;
  private readonly executions = new Map<string, Execution>();
  private faults: { kind: Fault; op?: string; left: number }[] = [];
  private clock = Date.UTC(2026, 0, 1) / 1000;
  private nextId = 1;

  private constructor(private readonly server: Server, readonly endpoint: string, readonly region: string, private readonly pageSize: number) {}

  /** Starts listening on 127.0.0.1 (a free port unless given). `pageSize` bounds ListPipelineExecutionSteps pages. */
  static async start(opts: { port?: number; region?: string; pageSize?: number } = {}): Promise<FakeSageMaker> {
    const ref: { fake?: FakeSageMaker } = {};
    const server = createServer((req, res) => { void ref.fake?.handle(req, res); });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    ref.fake = new FakeSageMaker(server, `http://127.0.0.1:${port}`, opts.region ?? 'us-east-1', opts.pageSize ?? 2);
    return ref.fake;
  }

  /** Adds an execution directly (as StartPipelineExecution does), with its scripted steps. */
  addExecution(pipeline: string, steps: FakeStep[] = DEFAULT_STEPS): string {
    const id = `exec${String(this.nextId++).padStart(8, '0')}`;
    const arn = `arn:aws:sagemaker:${this.region}:123456789012:pipeline/${pipeline.toLowerCase()}/execution/${id}`;
    const now = this.tick();
    this.executions.set(arn, { arn, pipeline, status: 'Executing', steps, states: [], current: 0, parameters: [], created: now, modified: now });
    return arn;
  }

  /** The next `times` calls (of `op`, or any) fail with `kind`. */
  inject(kind: Fault, times: number, op?: string): void {
    this.faults.push({ kind, left: times, ...(op === undefined ? {} : { op }) });
  }

  /** Forgets the faults not yet served. */
  clearFaults(): void {
    this.faults = [];
  }

  status(arn: string): string | undefined {
    return this.executions.get(arn)?.status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private tick(): number {
    this.clock += 7;
    return this.clock;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
    let body: Record<string, unknown>;
    try {
      body = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(res, 400, { __type: 'SerializationException', message: 'The request body is not JSON.' });
    }
    this.calls.push({ op, body, at: Date.now() });
    const fault = this.faults.find((f) => f.left > 0 && (f.op === undefined || f.op === op));
    if (fault !== undefined) {
      fault.left--;
      this.faultsServed++;
      this.faults = this.faults.filter((f) => f.left > 0);
      if (fault.kind === 'drop') { req.socket.destroy(); return; }
      if (fault.kind === 'throttle') return send(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      return send(res, 500, { __type: 'InternalFailure', message: 'We encountered an internal error. Please try again.' });
    }
    try {
      send(res, 200, this.dispatch(op, body));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      send(res, e.status, { __type: e.type, message: e.message });
    }
  }

  private dispatch(op: string, b: Record<string, unknown>): Record<string, unknown> {
    switch (op) {
      case 'StartPipelineExecution': {
        const arn = this.addExecution(String(b.PipelineName ?? ''));
        const params = b.PipelineParameters;
        if (Array.isArray(params)) this.exec(arn).parameters = params as Execution['parameters'];
        return { PipelineExecutionArn: arn };
      }
      case 'DescribePipelineExecution': {
        const e = this.exec(b.PipelineExecutionArn);
        this.advance(e);
        return {
          PipelineArn: e.arn.replace(/\/execution\/.*$/, ''), PipelineExecutionArn: e.arn, PipelineExecutionDisplayName: e.arn.split('/').at(-1),
          PipelineExecutionStatus: e.status, CreationTime: e.created, LastModifiedTime: e.modified,
          ...(e.failureReason === undefined ? {} : { FailureReason: e.failureReason }),
        };
      }
      case 'DescribePipelineDefinitionForExecution': {
        const e = this.exec(b.PipelineExecutionArn);
        const def = { Version: '2020-12-01', Parameters: [], Steps: e.steps.map((s) => ({ Name: s.name, Type: s.type, Arguments: {} })) };
        return { PipelineDefinition: JSON.stringify(def), CreationTime: e.created };
      }
      case 'ListPipelineExecutionSteps': return this.listSteps(b);
      case 'RetryPipelineExecution': {
        const e = this.exec(b.PipelineExecutionArn);
        if (e.status !== 'Failed') throw new ApiError(400, 'ValidationException', `Pipeline execution ${e.arn} is ${e.status}; only a Failed execution can be retried.`);
        e.status = 'Executing';
        delete e.failureReason;
        e.modified = this.tick();
        return { PipelineExecutionArn: e.arn };
      }
      case 'StopPipelineExecution': {
        const e = this.exec(b.PipelineExecutionArn);
        if (e.status !== 'Executing') throw new ApiError(400, 'ValidationException', `Pipeline execution ${e.arn} is ${e.status}; only an Executing execution can be stopped.`);
        e.status = 'Stopping';
        e.modified = this.tick();
        return { PipelineExecutionArn: e.arn };
      }
      case 'ListPipelineExecutions': {
        const mine = [...this.executions.values()].filter((e) => e.pipeline === b.PipelineName).reverse();
        return {
          PipelineExecutionSummaries: mine.map((e) => ({ PipelineExecutionArn: e.arn, StartTime: e.created, PipelineExecutionStatus: e.status, PipelineExecutionDisplayName: e.arn.split('/').at(-1) })),
        };
      }
      default:
        throw new ApiError(400, 'UnknownOperationException', `The fake SageMaker server does not implement "${op}".`);
    }
  }

  private exec(arn: unknown): Execution {
    const e = typeof arn === 'string' ? this.executions.get(arn) : undefined;
    if (e === undefined) throw new ApiError(400, 'ResourceNotFound', `Pipeline execution ${String(arn)} does not exist.`);
    return e;
  }

  /** One tick of the script. */
  private advance(e: Execution): void {
    if (e.status === 'Stopping') {
      const now = this.tick();
      for (const s of e.states) if (s.status === 'Starting' || s.status === 'Executing') { s.status = 'Stopped'; s.end = now; }
      e.status = 'Stopped';
      e.modified = now;
      return;
    }
    if (e.status !== 'Executing') return;
    const now = this.tick();
    e.modified = now;
    const def = e.steps[e.current];
    if (def === undefined) { e.status = 'Succeeded'; return; }
    let s = e.states[e.current];
    if (s === undefined) {
      s = { def, status: 'Starting', attempts: 1, start: now, ticks: 0 };
      e.states.push(s);
      if (def.cacheHitOf !== undefined) { s.status = 'Succeeded'; s.end = now; this.next(e); }
      return;
    }
    if (s.status === 'Failed') { s.status = 'Starting'; s.attempts++; s.ticks = 0; delete s.end; return; }
    if (s.status === 'Starting') { s.status = 'Executing'; return; }
    if (s.status === 'Executing') {
      if (++s.ticks < (def.executingTicks ?? 1)) return;
      s.end = now;
      if (def.failOnAttempts?.includes(s.attempts) === true) {
        s.status = 'Failed';
        e.status = 'Failed';
        e.failureReason = `Step failure: One or multiple steps failed.`;
        return;
      }
      s.status = 'Succeeded';
      this.next(e);
    }
  }

  private next(e: Execution): void {
    e.current++;
    if (e.current >= e.steps.length) e.status = 'Succeeded';
  }

  private listSteps(b: Record<string, unknown>): Record<string, unknown> {
    const e = this.exec(b.PipelineExecutionArn);
    const all = [...e.states].sort((x, y) => (b.SortOrder === 'Ascending' ? x.start - y.start : y.start - x.start));
    const from = typeof b.NextToken === 'string' ? Number(b.NextToken) : 0;
    const size = typeof b.MaxResults === 'number' ? Math.min(b.MaxResults, this.pageSize) : this.pageSize;
    const page = all.slice(from, from + size);
    return {
      PipelineExecutionSteps: page.map((s) => {
        const job = JOB[s.def.type];
        return {
          StepName: s.def.name, StepDisplayName: s.def.name, StepStatus: s.status, StartTime: s.start, AttemptCount: s.attempts,
          ...(s.end === undefined ? {} : { EndTime: s.end }),
          ...(s.status === 'Failed' ? { FailureReason: s.def.failureReason ?? 'ClientError: the step failed.' } : {}),
          ...(s.def.cacheHitOf === undefined ? {} : { CacheHitResult: { SourcePipelineExecutionArn: s.def.cacheHitOf } }),
          Metadata: job === undefined ? {} : { [job]: { Arn: `arn:aws:sagemaker:${this.region}:123456789012:${job.replace('Job', '-job').toLowerCase()}/pipelines-${s.def.name.toLowerCase()}-${s.attempts}` } },
        };
      }),
      ...(from + size < all.length ? { NextToken: String(from + size) } : {}),
    };
  }
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': `fake-${Date.now()}` };
  if (status >= 400 && typeof body.__type === 'string') headers['x-amzn-ErrorType'] = body.__type;
  res.writeHead(status, headers);
  res.end(text);
}

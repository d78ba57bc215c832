import { existsSync } from 'node:fs';
import { runIsLive } from '../../cache/run-lock.js';
import { resolveHome } from '../../contracts/home.js';
import { isJsonObject, type JsonObject } from '../../kernel/json.js';
import { err, ok, type Result } from '../../kernel/result.js';
import { answerCallback } from '../callback-answer.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { openStore } from '../open-store.js';

const usage = `usage: cairn callback <token> (--success '{"name": value, …}' | --failure "reason") [--json]

Completes a waiting Callback step, as SendPipelineExecutionStepSuccess / SendPipelineExecutionStepFailure do in
SageMaker. The token is the one the step printed ("Callback step "X" waits: cairn callback <token> …"); the run may
be waiting right now, or stopped (\`cairn resume <run-id>\` then picks the result up). --success takes a JSON object
of the step's OutputParameters (values typed or as strings: {"n": 3} or {"n": "3"}; SageMaker's
[{"Name": "n", "Value": "3"}] works too), checked against their declared OutputType before it is recorded;
--failure fails the step with the reason. A token can be completed once.
--json prints {"token","runId","step","status","outputs"?,"reason"?,"runWaiting"} (or {"token","error"}).
Exit: 0 recorded, 2 invalid input, unknown token or token already completed.`;

export const callbackCommand: Command = {
  name: 'callback',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { success: { type: 'string' }, failure: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const token = a.positionals[0]!;
    const json = a.values.json === true;
    const { success, failure } = a.values;
    if ((success === undefined) === (failure === undefined)) throw new UsageError(`give exactly one of --success or --failure\n\n${usage}`);
    const refuse = (message: string): number => {
      if (json) console.log(JSON.stringify({ token, error: message }));
      console.error(message);
      return EXIT.invalid;
    };
    const home = resolveHome();
    if (!existsSync(home.db)) return refuse(`no callback token "${token}": there is no cairn home at ${home.root} (set CAIRN_HOME or run from the pipeline's directory).`);
    const store = openStore(home);
    try {
      let answer: { success: JsonObject } | { failure: string };
      if (success !== undefined) {
        const values = parseSuccess(success);
        if (!values.ok) return refuse(values.error);
        answer = { success: values.value };
      } else {
        answer = { failure: failure ?? '' };
      }
      const done = answerCallback(store.db, token, answer, home.root);
      if (!done.ok) return refuse(done.error);
      const rec = done.value;
      const waiting = runIsLive(store, rec.runId);
      if (json) {
        const out: Record<string, unknown> = { token, runId: rec.runId, step: rec.step, status: rec.status, runWaiting: waiting };
        if (rec.output !== undefined) out.outputs = rec.output;
        if (rec.failureReason !== undefined) out.reason = rec.failureReason;
        console.log(JSON.stringify(out));
      } else {
        console.log(`Callback step "${rec.step}" of run ${rec.runId}: ${rec.status === 'succeeded' ? 'success' : 'failure'} recorded.`);
        if (!waiting) console.log(`No cairn process is running run ${rec.runId}; \`cairn resume ${rec.runId}\` picks it up.`);
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};

/** `{"name": value}` or SageMaker's `[{"Name": "n", "Value": "v"}]`. */
function parseSuccess(text: string): Result<JsonObject, string> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return err(`--success must be JSON, e.g. '{"approved": "yes"}' (${(e as Error).message}).`);
  }
  if (Array.isArray(v)) {
    const out: JsonObject = {};
    for (const p of v) {
      if (!isJsonObject(p) || typeof p.Name !== 'string' || p.Value === undefined) {
        return err(`--success as a list must hold {"Name": "…", "Value": "…"} objects, as SendPipelineExecutionStepSuccess does.`);
      }
      out[p.Name] = p.Value;
    }
    return ok(out);
  }
  if (!isJsonObject(v)) return err(`--success must be a JSON object of output values, e.g. '{"approved": "yes"}'.`);
  return ok(v);
}

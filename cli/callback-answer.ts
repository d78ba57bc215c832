import type Database from 'better-sqlite3';
import { completeCallback, getCallback, type CallbackRecord } from '../cache/callback-store.js';
import type { JsonObject } from '../kernel/json.js';
import { err, ok, type Result } from '../kernel/result.js';
import { checkOutputValues } from '../steps/output-parameters.js';

/**
 * Completes a waiting Callback token with a success (its OutputParameters, checked against their declared types) or
 * a failure reason: what `cairn callback` and `cairn ui`'s callback form both do. The error is the sentence to show.
 */
export function answerCallback(db: Database.Database, token: string, answer: { success: JsonObject } | { failure: string }, where: string): Result<CallbackRecord, string> {
  const found = getCallback(db, token);
  if (found === undefined) return err(`no callback token "${token}" in ${where}; copy the token from the "Callback step … waits" line of the run.`);
  if (found.status !== 'waiting') return err(finishedMessage(found));
  let outcome: { status: 'succeeded'; output: JsonObject } | { status: 'failed'; reason: string };
  if ('success' in answer) {
    const checked = checkOutputValues(found.declared, answer.success, `--success for Callback step "${found.step}"`);
    if (!checked.ok) return err(`${checked.error} The token is still waiting; send it again with the right values.`);
    outcome = { status: 'succeeded', output: answer.success };
  } else {
    outcome = { status: 'failed', reason: answer.failure };
  }
  const done = completeCallback(db, token, outcome);
  if (!done.ok) return err(done.error.reason === 'unknown' ? `no callback token "${token}"` : finishedMessage(done.error.record));
  return ok(done.value);
}

function finishedMessage(rec: CallbackRecord): string {
  const when = rec.completedAt === undefined ? '' : ` at ${new Date(rec.completedAt).toISOString()}`;
  return `callback token "${rec.token}" (Callback step "${rec.step}" of run ${rec.runId}) was already completed${when} (${rec.status}); a token can be completed once.`;
}

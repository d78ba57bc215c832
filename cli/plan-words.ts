import type { PlanBlocker, PlannedStep } from '../engine/run/planned-step.js';
import type { Oversubscription } from '../engine/run/plan-capacity.js';
import { unreachable } from '../kernel/unreachable.js';
import { decisionWords, ruleWords } from './decision-words.js';
import { failureSentence } from './render-failure.js';
import { imageProblemText } from './render-refusal.js';

/** A planned step as `plan --json` writes it: `why` in words, a missing image's problem as its `message`. */
export type WordedStep = Omit<PlannedStep, 'image'> & {
  why: string;
  /** Warnings that do not stop the step (N containers oversubscribe this machine). */
  warnings?: string[];
  /** The caching rule that applies, in words (cli/decision-words.ts `ruleWords`); the typed rule is `decision.rule`. */
  rule?: string;
  image?: Omit<NonNullable<PlannedStep['image']>, 'problem'> & { message?: string };
};

/** Why a plan row runs, is reused, or cannot run, in words, after any branch guard ("(if Condition "C" is true) …"). */
export function plannedWhy(p: PlannedStep): string {
  const guard = p.when === undefined ? '' : `(if Condition "${p.when.condition}" is ${String(p.when.outcome)}) `;
  if (p.action !== 'blocked') return guard + decisionWords(p.decision);
  return guard + (p.problems ?? [p.blocker]).map((b) => blockerWords(p, b)).join('; ');
}

function blockerWords(p: PlannedStep, b: PlanBlocker): string {
  switch (b.kind) {
    case 'image': return b.problem === undefined ? `image ${b.uri} is missing` : imageProblemText(b.problem);
    case 'waits-on': return `waits on ${b.steps.map((d) => `"${d}"`).join(', ')}, which cannot run`;
    case 'unsupported-type': return `step type "${b.stepType}" cannot run locally yet (leave it out of --steps)`;
    case 'failure': return failureSentence({ name: p.name, type: p.type }, b.failure);
    default: return unreachable(b);
  }
}

/** The warning for a multi-instance job that asks for more than this machine has. */
export function oversubscribedWords(o: Oversubscription): string {
  const gib = (b: number): string => String(Math.round((b / 2 ** 30) * 10) / 10);
  return `${o.field}: ${o.instanceCount} × ${o.instanceType} containers of ${o.cpus} CPUs and ${gib(o.memoryBytes)} GiB each ask for ` +
    `${o.cpus * o.instanceCount} CPUs and ${gib(o.memoryBytes * o.instanceCount)} GiB together, more than this machine's ${o.machineCpus} CPUs and ` +
    `${gib(o.machineMemoryBytes)} GiB: they run at once and share it, so the job runs slower than on ${o.instanceCount} instances; lower InstanceCount or use a smaller instance type to avoid it.`;
}

/** The row with its words: what `plan --json` prints. */
export function wordPlannedStep(s: PlannedStep): WordedStep {
  const { image, ...rest } = s;
  const rule = s.decision?.rule;
  const out: WordedStep = {
    ...rest, why: plannedWhy(s), ...(rule !== undefined ? { rule: ruleWords(rule) } : {}),
    ...(s.oversubscribed !== undefined ? { warnings: [oversubscribedWords(s.oversubscribed)] } : {}),
  };
  if (image !== undefined) {
    const { problem, ...img } = image;
    out.image = problem === undefined ? img : { ...img, message: imageProblemText(problem) };
  }
  return out;
}

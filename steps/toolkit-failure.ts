/**
 * The sagemaker-training toolkit (and cairn's launcher standing in for it) writes a failed process as
 * `<ErrorClass>:\nExitCode N\nErrorMessage "…"\n[ExtraInfo "…"\n]Command "…"` to /opt/ml/output/failure. Its last line
 * is the command, which says little; this turns it into one line naming the error class, the exit code and the
 * exception the program raised (from ErrorMessage, or else the last exception line in the log).
 */
const TOOLKIT_FAILURE = /^(\w+):\nExitCode (-?\d+)\nErrorMessage "([\s\S]*)"\n(?:ExtraInfo "([\s\S]*)"\n)?Command "([\s\S]*)"$/;
const EXCEPTION_LINE = /^(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Interrupt|Exit|Failure)(?::.*)?$/;

export function toolkitFailureSummary(failureFile: string, logTail: readonly string[]): string | undefined {
  const m = TOOLKIT_FAILURE.exec(failureFile.trim());
  if (m === null) return undefined;
  const [, errorClass = '', exitCode = '', errorMessage = '', extraInfo, cmd = ''] = m;
  const fromMessage = errorMessage.split('\n').map((l) => l.trim()).filter((l) => EXCEPTION_LINE.test(l)).pop();
  const fromLog = [...logTail]
    .reverse()
    .map((l) => l.trim())
    .find((l) => EXCEPTION_LINE.test(l) && !l.startsWith(`${errorClass}:`) && !l.startsWith('ERROR:'));
  const cause = fromMessage ?? fromLog;
  return `${errorClass} (exit code ${exitCode}${extraInfo !== undefined ? `, ${extraInfo}` : ''})${cause !== undefined ? `: ${cause}` : ''} [command: ${cmd}]`;
}

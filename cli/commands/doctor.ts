import { DockerRuntime } from '../../containers/docker-runtime.js';
import { resolveHome } from '../../contracts/home.js';
import { EXIT, parse, type Command } from '../command.js';
import { doctorText } from '../doctor-words.js';
import { doctor } from './doctor-scan.js';

const usage = `usage: cairn doctor [--repair] [--json] [--home DIR]

Checks a cairn home ($CAIRN_HOME, default ./.cairn; --home overrides): SQLite's integrity check of cairn.db, every
blob of the content store against its hash, every recorded output's files against the content store and the s3/
view, temporary leftovers (.cairn-tmp-* files, <home>/tmp/), containers of this home whose run has no live owner,
run directories without a record, and runs marked running whose process is gone. It changes nothing unless --repair.

--repair fixes what can be derived: removes leftovers and orphaned containers, re-links s3/ view files from the
content store, moves damaged blobs (and unrecorded run directories) into <home>/quarantine/ (the next run that
needs such a blob re-runs the step that produced it), and marks dead running runs stopped; then checks again.
--json prints the report: {"version":1,"home","state":"checked"|"missing","findings":[…],"repairs":[…],
"remaining":[…],"skipped":[…],"clean"} (contracts/doctor-report.ts).

Exit codes: 0 clean (nothing remains), 1 problems remain, 2 invalid input or no cairn home there.`;

export const doctorCommand: Command = {
  name: 'doctor',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { repair: { type: 'boolean' }, json: { type: 'boolean' }, home: { type: 'string' } }, { min: 0, max: 0 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const env = a.values.home === undefined ? process.env : { ...process.env, CAIRN_HOME: a.values.home };
    const home = resolveHome(env);
    const repair = a.values.repair === true;
    const report = await doctor(home, new DockerRuntime(), repair);
    if (a.values.json === true) console.log(JSON.stringify(report));
    else for (const line of doctorText(report, repair)) console.log(line);
    if (report.state === 'missing') return EXIT.invalid;
    return report.clean ? EXIT.ok : EXIT.failed;
  },
};

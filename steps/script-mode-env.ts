import { CURRENT_HOST } from '../containers/contract/shared.js';
import { MODEL_DIR, TRAINING_CONFIG_DIR, TRAINING_DATA_DIR, TRAINING_OUTPUT_DIR } from '../containers/contract/training.js';
import {
  compareCodePoints,
  decodeHyperparameter,
  fromJson,
  pyBool,
  pyDict,
  pyInt,
  pyJsonDumps,
  pyList,
  PY_NONE,
  pyStr,
  pyToStr,
  type PyValue,
} from '../kernel/python-json.js';

/**
 * The environment the sagemaker-training toolkit (5.x, `environment.Environment.to_env_vars` plus what `trainer.train`
 * puts in os.environ) gives a script-mode program, computed from the same inputs: hyperparameters.json as the container
 * sees it, resourceconfig.json, inputdataconfig.json and the container's environment.
 */

/** The toolkit's code directory: where the submit directory is extracted and the program runs. */
export const CODE_DIR = '/opt/ml/code';
const INPUT_DIR = '/opt/ml/input';
const LOG_LEVEL_INFO = 20;

/** params.SAGEMAKER_HYPERPARAMETERS: `sagemaker_` hyperparameters that are not framework parameters. */
const SAGEMAKER_HYPERPARAMETERS = new Set([
  'sagemaker_program',
  'sagemaker_submit_directory',
  'sagemaker_enable_cloudwatch_metrics',
  'sagemaker_region',
  'sagemaker_container_log_level',
  'sagemaker_job_name',
  'default_user_module_name',
  '_tuning_objective_metric',
  'sagemaker_s3_output',
]);
const DISTRIBUTION_FLAGS = [
  'sagemaker_mpi_enabled',
  'sagemaker_parameter_server_enabled',
  'sagemaker_distributed_dataparallel_enabled',
  'sagemaker_pytorch_ddp_enabled',
  'sagemaker_pytorch_xla_multi_worker_enabled',
  'sagemaker_multi_worker_mirrored_strategy_enabled',
];

export interface ScriptModeEnvInput {
  /** hyperparameters.json exactly as the container reads it (string → string). */
  hyperParameters: Record<string, string>;
  resourceConfig: unknown;
  inputDataConfig: unknown;
  /** The container's environment before the toolkit starts (image Env, then the job's). */
  containerEnv: Record<string, string>;
  numCpus: number;
  numGpus: number;
}

/** Everything the toolkit exports to the user program: `SM_*`, plus CURRENT_HOST, SAGEMAKER_JOB_NAME, SAGEMAKER_REGION. */
export function scriptModeEnvironment(input: ScriptModeEnvInput): Record<string, string> {
  const env = input.containerEnv;
  const all = new Map<string, PyValue>(Object.entries(input.hyperParameters).map(([k, v]) => [k, decodeHyperparameter(v)]));
  const sm = new Map<string, PyValue>();
  const user = new Map<string, PyValue>();
  for (const [k, v] of all) (SAGEMAKER_HYPERPARAMETERS.has(k) || k.startsWith('sagemaker_') ? sm : user).set(k, v);
  const framework = new Map([...sm].filter(([k]) => !SAGEMAKER_HYPERPARAMETERS.has(k)));

  const rc = asDict(fromJson(input.resourceConfig));
  const idc = asDict(fromJson(input.inputDataConfig));
  const get = (d: Map<string, PyValue>, k: string, dflt: PyValue): PyValue => d.get(k) ?? dflt;
  const hosts = get(rc, 'hosts', pyList([]));
  const currentHost = get(rc, 'current_host', pyStr(CURRENT_HOST));
  const instanceType = get(rc, 'current_instance_type', pyStr('local'));
  const instanceGroup = get(rc, 'current_group_name', pyStr('homogeneousCluster'));
  const groups = get(rc, 'instance_groups', pyList([]));
  const groupList = groups.t === 'list' ? groups.v.map(asDict) : [];
  const groupName = (g: Map<string, PyValue>): string => pyToStr(g.get('instance_group_name') ?? PY_NONE);
  const currentGroupHosts = groupList.find((g) => groupName(g) === pyToStr(instanceGroup))?.get('hosts') ?? pyList([]);

  const distGroups =
    framework.get('sagemaker_distribution_instance_groups') ??
    pyList(DISTRIBUTION_FLAGS.some((f) => truthy(framework.get(f))) ? [instanceGroup] : []);
  const distNames = distGroups.t === 'list' ? distGroups.v.map(pyToStr) : [];
  const distHosts: PyValue[] = [];
  if (groupList.length > 0) {
    for (const g of groupList) {
      const gh = g.get('hosts');
      if (distNames.includes(groupName(g)) && gh?.t === 'list') distHosts.push(...gh.v);
    }
  } else if (hosts.t === 'list') distHosts.push(...hosts.v);
  const hostList = hosts.t === 'list' ? hosts.v : [];
  const master = distHosts[0] ?? hostList[0] ?? PY_NONE;

  const programEnv = env.SAGEMAKER_PROGRAM;
  const program = sm.get('sagemaker_program');
  const moduleName = programEnv ?? pyToStr(program ?? PY_NONE);
  const userEntryPoint = programEnv !== undefined && programEnv !== '' ? pyStr(programEnv) : (program ?? PY_NONE);
  const mp = env.SM_HP_MP_PARAMETERS;
  const channels = [...idc.keys()];
  const channelDirs = pyDict(channels.map((c) => [c, pyStr(`${TRAINING_DATA_DIR}/${c}`)]));
  const userArgs = toCmdArgs(user);
  const topology = get(rc, 'topology', pyList([]));
  const numNeurons = pyToStr(instanceType).includes('trn2.48xlarge') ? 64 : 0;

  const props: [string, PyValue][] = [
    ['additional_framework_parameters', pyDict(framework)],
    ['channel_input_dirs', channelDirs],
    ['current_host', currentHost],
    ['current_instance_group', instanceGroup],
    ['current_instance_group_hosts', currentGroupHosts],
    ['current_instance_type', instanceType],
    ['distribution_hosts', pyList(distHosts)],
    ['distribution_instance_groups', distGroups],
    ['framework_module', env.SAGEMAKER_TRAINING_MODULE !== undefined ? pyStr(env.SAGEMAKER_TRAINING_MODULE) : PY_NONE],
    ['hosts', hosts],
    ['hyperparameters', pyDict(user)],
    ['input_config_dir', pyStr(TRAINING_CONFIG_DIR)],
    ['input_data_config', pyDict(idc)],
    ['input_dir', pyStr(INPUT_DIR)],
    ['instance_groups', pyList(groupList.map((g) => pyStr(groupName(g))))],
    ['instance_groups_dict', pyDict(groupList.map((g) => [groupName(g), pyDict(g)]))],
    ['is_hetero', pyBool(groupList.length > 1)],
    ['is_master', pyBool(pyToStr(currentHost) === pyToStr(master))],
    // `mp_parameters and mp_parameters != "{}"`: None when unset, the empty string when empty.
    ['is_modelparallel_enabled', mp === undefined ? PY_NONE : mp === '' ? pyStr('') : pyBool(mp !== '{}')],
    ['is_smddpmprun_installed', pyBool(false)],
    ['is_smddprun_installed', pyBool(false)],
    ['job_name', env.TRAINING_JOB_NAME !== undefined ? pyStr(env.TRAINING_JOB_NAME) : PY_NONE],
    ['log_level', sm.get('sagemaker_container_log_level') ?? pyInt(LOG_LEVEL_INFO)],
    ['master_hostname', master],
    ['model_dir', pyStr(MODEL_DIR)],
    ['module_dir', pyStr(pyToStr(sm.get('sagemaker_submit_directory') ?? pyStr(CODE_DIR)))],
    ['module_name', pyStr(moduleName.endsWith('.py') ? moduleName.slice(0, -3) : moduleName)],
    ['network_interface_name', get(rc, 'network_interface_name', pyStr('eth0'))],
    ['num_cpus', pyInt(input.numCpus)],
    ['num_gpus', pyInt(input.numGpus)],
    ['num_neurons', pyInt(numNeurons)],
    ['output_data_dir', pyStr(`${TRAINING_OUTPUT_DIR}/data`)],
    ['output_dir', pyStr(TRAINING_OUTPUT_DIR)],
    ['output_intermediate_dir', pyStr(`${TRAINING_OUTPUT_DIR}/intermediate`)],
    ['resource_config', pyDict(rc)],
    ['topology', topology],
    ['user_entry_point', userEntryPoint],
  ];
  const p = new Map(props);
  const prop = (k: string): PyValue => p.get(k) ?? PY_NONE;

  const vars: [string, PyValue][] = [
    ['hosts', prop('hosts')],
    ['network_interface_name', prop('network_interface_name')],
    ['hps', prop('hyperparameters')],
    ['user_entry_point', prop('user_entry_point')],
    ['framework_params', prop('additional_framework_parameters')],
    ['resource_config', prop('resource_config')],
    ['input_data_config', prop('input_data_config')],
    ['output_data_dir', prop('output_data_dir')],
    ['channels', pyList([...channels].sort(compareCodePoints).map(pyStr))],
    ['current_host', prop('current_host')],
    ['current_instance_type', prop('current_instance_type')],
    ['current_instance_group', prop('current_instance_group')],
    ['current_instance_group_hosts', prop('current_instance_group_hosts')],
    ['instance_groups', prop('instance_groups')],
    ['instance_groups_dict', prop('instance_groups_dict')],
    ['distribution_instance_groups', prop('distribution_instance_groups')],
    ['is_hetero', prop('is_hetero')],
    ['module_name', prop('module_name')],
    ['log_level', prop('log_level')],
    ['framework_module', prop('framework_module')],
    ['input_dir', prop('input_dir')],
    ['input_config_dir', prop('input_config_dir')],
    ['output_dir', prop('output_dir')],
    ['num_cpus', prop('num_cpus')],
    ['num_gpus', prop('num_gpus')],
    ['num_neurons', prop('num_neurons')],
    ['model_dir', prop('model_dir')],
    ['module_dir', prop('module_dir')],
    ['training_env', pyDict(props)],
    ['user_args', pyList(userArgs.map(pyStr))],
    ['output_intermediate_dir', prop('output_intermediate_dir')],
  ];
  if (truthy(topology)) vars.push(['topology', topology]);
  for (const c of channels) vars.push([`channel_${c}`, pyStr(`${TRAINING_DATA_DIR}/${c}`)]);
  for (const [k, v] of user) vars.push([`hp_${k}`, v]);

  const out: Record<string, string> = {};
  for (const [k, v] of vars) out[k === '' ? '' : `SM_${k.toUpperCase()}`] = envValue(v);
  // trainer.train / Environment.__init__ also set these before the program starts.
  out.SAGEMAKER_JOB_NAME = pyToStr(sm.get('sagemaker_job_name') ?? pyStr(''));
  out.CURRENT_HOST = pyToStr(currentHost);
  const region = sm.get('sagemaker_region');
  // `hp or boto3's region or ""` (boto3 reads AWS_DEFAULT_REGION; cairn gives the container no AWS config).
  out.SAGEMAKER_REGION = region !== undefined ? (truthy(region) ? pyToStr(region) : '') : (env.AWS_DEFAULT_REGION ?? '');
  return out;
}

/** `mapping.to_cmd_args`: keys sorted, `--key` (`-k` for one character), values as Python's `str()`; dicts as `k=v,…`. */
export function toCmdArgs(hps: Map<string, PyValue>): string[] {
  const out: string[] = [];
  for (const k of [...hps.keys()].sort(compareCodePoints)) {
    const v = hps.get(k) ?? PY_NONE;
    out.push(k === '' ? '' : [...k].length > 1 ? `--${k}` : `-${k}`);
    if (v.t === 'dict') {
      out.push([...v.v.keys()].sort(compareCodePoints).map((x) => `${x}=${pyToStr(v.v.get(x) ?? PY_NONE)}`).join(','));
    } else out.push(v.t === 'none' ? '' : pyToStr(v));
  }
  return out;
}

/** `mapping.to_env_vars` value formatting: None → "", strings as they are, the rest compact sorted ASCII JSON. */
function envValue(v: PyValue): string {
  if (v.t === 'none') return '';
  if (v.t === 'str') return v.v;
  return pyJsonDumps(v, { sortKeys: true, compact: true });
}

function asDict(v: PyValue): Map<string, PyValue> {
  return v.t === 'dict' ? v.v : new Map();
}

/** Python truthiness. */
function truthy(v: PyValue | undefined): boolean {
  if (v === undefined) return false;
  switch (v.t) {
    case 'none':
      return false;
    case 'bool':
      return v.v;
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'str':
      return v.v !== '';
    case 'list':
      return v.v.length > 0;
    case 'dict':
      return v.v.size > 0;
  }
}

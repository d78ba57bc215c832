# Fixture for TrainHermesProModel (script mode): the hyperparameters arrive JSON-decoded as --KEY value arguments.
import argparse, json, os
p = argparse.ArgumentParser()
for a in ('--DATA_PATH', '--EVAL_PATH', '--HF_MODEL_NAME', '--OUTPUT_DIR'):
    p.add_argument(a, required=True)
args = p.parse_args()
n = sum(1 for _ in open(args.DATA_PATH))
os.makedirs(args.OUTPUT_DIR, exist_ok=True)
json.dump({'base': args.HF_MODEL_NAME, 'rows': n}, open(os.path.join(args.OUTPUT_DIR, 'adapter.json'), 'w'))
print('trained on', n, 'rows')

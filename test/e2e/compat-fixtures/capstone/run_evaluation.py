# Fixture for EvaluateHopJetAirModel: reads the model archive and the prompts, writes evaluation.json.
import argparse, json, os
p = argparse.ArgumentParser()
for a in ('--model_dir', '--test_input', '--output_file'):
    p.add_argument(a, required=True)
args = p.parse_args()
prompts = [l for l in open(args.test_input) if l.strip()]
os.makedirs(os.path.dirname(args.output_file), exist_ok=True)
json.dump({'metrics': {'prompts': len(prompts), 'model_files': sorted(os.listdir(args.model_dir))}}, open(args.output_file, 'w'))

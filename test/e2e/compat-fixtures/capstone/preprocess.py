# Fixture for CapstoneCohort4Group9's PreprocessData: reads the JSONL inputs named by its arguments, writes them back
# with a "text" field, at the output paths the definition names.
import argparse, json, os
p = argparse.ArgumentParser()
for a in ('--train_input', '--test_input', '--train_output', '--test_output'):
    p.add_argument(a, required=True)
args = p.parse_args()
for src, dst in ((args.train_input, args.train_output), (args.test_input, args.test_output)):
    rows = [json.loads(line) for line in open(src) if line.strip()]
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'w') as f:
        for r in rows:
            f.write(json.dumps({'text': f"{r['prompt']} => {r['completion']}"}) + '\n')
    print(f'preprocess: {len(rows)} rows {src} -> {dst}')

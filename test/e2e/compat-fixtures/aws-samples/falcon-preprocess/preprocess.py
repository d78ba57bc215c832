# Fixture for falcon-text-summarization-preprocess (FrameworkProcessor: runproc.sh untars this from sourcedir.tar.gz).
import os
for name, rows in (('training', 4), ('testing', 2)):
    d = f'/opt/ml/processing/output/{name}'
    os.makedirs(d, exist_ok=True)
    with open(f'{d}/{name}.jsonl', 'w') as f:
        for i in range(rows):
            f.write('{"dialogue": "turn %d", "summary": "s%d"}\n' % (i, i))
print('falcon preprocess done')

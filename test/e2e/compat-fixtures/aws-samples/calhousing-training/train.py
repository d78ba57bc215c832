# Fixture for calhousing-Training (script mode, sagemaker_program "train.py"): least squares on the train split.
import json, os
import numpy as np
d = os.environ['SM_CHANNEL_CALHOUSING-PREPROCESSING-TRAIN'] if 'SM_CHANNEL_CALHOUSING-PREPROCESSING-TRAIN' in os.environ else '/opt/ml/input/data/calhousing-Preprocessing-train'
x = np.loadtxt(f'{d}/train/x_train.csv', delimiter=',', ndmin=2)
y = np.loadtxt(f'{d}/train/y_train.csv', delimiter=',')
coef, *_ = np.linalg.lstsq(np.c_[x, np.ones(len(x))], y, rcond=None)
json.dump({'coef': coef.tolist()}, open(os.path.join(os.environ['SM_MODEL_DIR'], 'model.json'), 'w'))
print('calhousing trained', len(y))

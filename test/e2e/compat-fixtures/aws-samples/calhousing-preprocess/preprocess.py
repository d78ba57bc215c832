# Fixture for calhousing-Preprocessing: splits the raw CSV with scikit-learn into train/ and test/ (x_test.csv is what
# the definition's Transform step reads).
import os
import numpy as np
from sklearn.model_selection import train_test_split
raw = np.loadtxt('/opt/ml/processing/input/raw_data/california.csv', delimiter=',', skiprows=1)
x, y = raw[:, :-1], raw[:, -1]
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)
out = '/opt/ml/processing/output/train'
for sub, arrays in (('train', (('x_train', x_train), ('y_train', y_train))), ('test', (('x_test', x_test), ('y_test', y_test)))):
    os.makedirs(f'{out}/{sub}', exist_ok=True)
    for name, a in arrays:
        np.savetxt(f'{out}/{sub}/{name}.csv', a, delimiter=',')
print('calhousing split', len(x_train), len(x_test))

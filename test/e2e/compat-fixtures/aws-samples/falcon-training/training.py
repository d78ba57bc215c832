# Fixture for falcon-text-summarization-tuning (script mode, sagemaker_program "training.py").
import os
print('channels', os.environ.get('SM_CHANNELS'))
open(os.path.join(os.environ['SM_MODEL_DIR'], 'model.txt'), 'w').write('falcon')

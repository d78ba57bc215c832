# Fixture for AbaloneProcess; never runs: the definition's relative LocalPaths are refused, as SageMaker refuses them.
print('unreachable')

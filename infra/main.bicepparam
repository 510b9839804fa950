// Parameters for main.bicep. azd exports the environment's values (.azure/<env>/.env) before it compiles this
// file; change one with `azd env set NAME value`. For `az deployment sub create`, export the same names.
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')

// any(): the compiler cannot prove an environment value is 2048 or 4096; Resource Manager still enforces @allowed.
param instanceMemoryMB = any(int(readEnvironmentVariable('CCS_INSTANCE_MEMORY_MB', '2048')))
param maximumInstanceCount = int(readEnvironmentVariable('CCS_MAXIMUM_INSTANCE_COUNT', '40'))
param inferenceIntraOpThreads = int(readEnvironmentVariable('CCS_INFERENCE_INTRA_OP_THREADS', '1'))
param modelsContainer = readEnvironmentVariable('CCS_MODELS_CONTAINER', '')

// azd sets AZURE_PRINCIPAL_ID to the signed-in user (or service principal), who then may upload and read results.
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

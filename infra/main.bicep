// Entry point for `azd up` and `az deployment sub create`. Subscription scope, so a single
// deployment creates the resource group as well (the azd convention: rg-<environmentName>).
//
// What this does not create: the Event Grid subscription that feeds the CaseUploaded blob
// trigger. Its webhook URL carries the blobs_extension system key, which only exists once the
// function code is deployed and the host has started. The post-deploy hook
// (infra/hooks/postdeploy.sh) deploys infra/eventgrid-subscription.bicep for that; this template
// creates the system topic it attaches to and outputs everything the hook needs.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource suffix.')
param environmentName string

@minLength(1)
@description('Region for every resource. Must be a region that offers Flex Consumption.')
param location string

// Flex Consumption sizes CPU with memory: a 2048 MB instance gets one vCPU, a 4096 MB instance two.
// The full-size ONNX models need up to about 1 GB of working set; with the Functions host and the .NET worker on top,
// 2048 MB leaves headroom for one case at a time. Choose 4096 when instances should run several cases at once, or
// with Inference__IntraOpThreads = 2 to use the second vCPU. 512 MB exists but is left out: a full-size session
// would not fit.
@allowed([2048, 4096])
@description('Memory per Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Upper bound on scale-out, and so on what a burst of uploads can cost.')
param maximumInstanceCount int = 40

@minValue(1)
@description('ONNX Runtime intra-op threads per inference session (Inference__IntraOpThreads).')
param inferenceIntraOpThreads int = 1

@description('Object id of whoever uploads cases and reads results (azd passes the signed-in principal); empty: none.')
param operatorPrincipalId string = ''

@allowed(['', 'models'])
@description('Models source: empty for the models deployed with the app, "models" for that blob container.')
param modelsContainer string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-${resourceToken}'
  storage: 'st${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  systemTopic: 'evgt-${resourceToken}'
}

// Flex Consumption reads its code package from this container; the name follows the azd convention.
var deploymentContainer = 'app-package-${names.functionApp}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainer: deploymentContainer
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

// The modules below look up resources made above by name. The names come from `names`, not from module
// outputs, so that what-if (azd provision --preview) can predict them; dependsOn keeps the order.
module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    operatorPrincipalId: operatorPrincipalId
  }
  dependsOn: [identity, storage, monitoring]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainer: storage.outputs.deploymentContainer
    casesContainer: storage.outputs.casesContainer
    resultsContainer: storage.outputs.resultsContainer
    resultsTable: storage.outputs.resultsTable
    modelsContainer: modelsContainer
    appInsightsName: names.appInsights
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    inferenceIntraOpThreads: inferenceIntraOpThreads
  }
  // The app fetches its package from the deployment container as the identity as soon as it exists,
  // so the role assignments go first.
  dependsOn: [rbac]
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = {
  name: 'eventgrid-topic'
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: names.storage
  }
  dependsOn: [storage]
}

// azd stores outputs in the environment (.azure/<env>/.env); the post-deploy hook reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGridTopic.outputs.name
output CASES_CONTAINER string = storage.outputs.casesContainer
output RESULTS_CONTAINER string = storage.outputs.resultsContainer
output RESULTS_TABLE string = storage.outputs.resultsTable

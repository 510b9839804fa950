// One account for the Functions host (AzureWebJobsStorage: Durable Functions queues and tables, keys, leases),
// the cases and their results (CaseStorage), the models and the deployment package.
// Identity only: shared keys are disabled, so no connection string for this account exists anywhere.
//
// Known shortcoming: the account is reachable from public networks (with Entra ID auth only). A virtual network
// with private endpoints and Flex Consumption VNet integration would close that; Event Grid delivery is unaffected.
param name string
param location string
param tags { *: string }
param deploymentContainer string

@minValue(1)
@maxValue(365)
@description('Days a deleted blob or container can be restored.')
param softDeleteRetentionDays int = 7

var casesContainer = 'cases'
var resultsContainer = 'results'
var modelsContainer = 'models'
var resultsTable = 'CcsResults'

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // The portal and Storage Explorer then use the signed-in user's Entra ID, the only option without keys.
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    // A mistyped delete of a case archive or a model should be recoverable.
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in [casesContainer, resultsContainer, modelsContainer, deploymentContainer]: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = {
  parent: tableService
  name: resultsTable
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output casesContainer string = casesContainer
output resultsContainer string = resultsContainer
output modelsContainer string = modelsContainer
output deploymentContainer string = deploymentContainer
output resultsTable string = table.name

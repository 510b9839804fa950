// Flex Consumption plan and the function app (.NET 10 isolated worker). Every connection is identity-based
// through the one user-assigned identity; the app settings below are the complete list the code reads.
//
// Runtime name and version live in functionAppConfig.runtime: Flex Consumption rejects the
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION app settings, so they are deliberately absent.
param name string
param planName string
param location string
param tags { *: string }
param identityName string
param storageAccountName string
param deploymentContainer string
param casesContainer string
param resultsContainer string
param resultsTable string
param modelsContainer string
param appInsightsName string
param instanceMemoryMB int
param maximumInstanceCount int
param inferenceIntraOpThreads int

@description('azd finds the function app to deploy service "api" by this tag.')
param serviceName string = 'api'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Functions host: keys and leases, Durable Functions (Azure Storage backend), blob trigger bookkeeping.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId

    // Named connection for the case archives, the results and the results table; the blob trigger uses it too.
    // The same account as the host today, kept separate so cases can move to their own account by changing it.
    CaseStorage__accountName: storage.name
    CaseStorage__credential: 'managedidentity'
    CaseStorage__clientId: identity.properties.clientId

    CasesContainer: casesContainer
    ResultsContainer: resultsContainer
    ResultsTable: resultsTable
    ModelsContainer: modelsContainer
    Inference__IntraOpThreads: string(inferenceIntraOpThreads)

    // Flex Consumption only supports the Event Grid source for blob triggers; the polling twin exists for Azurite.
    'AzureWebJobs.CaseUploadedPolling.Disabled': 'true'
    'AzureWebJobs.CaseUploaded.Disabled': 'false'

    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // Local auth is off on the component, so telemetry is sent with an Entra ID token for this identity.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
}

// Deployments go through Entra ID (azd, az functionapp deployment); no username/password path should exist.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName

// Every role the function app's identity holds, and nothing broader: data-plane roles on the one storage
// account and the publisher role on the one Application Insights component. Names are guid() of scope,
// principal and role, so re-running the deployment finds the same assignments instead of failing on duplicates.
//
// Shared keys are off, so nobody, not even a subscription owner, can touch blobs or tables without a data role.
// The operator (the principal running azd) gets just enough to upload cases and read results.
param identityName string
param storageAccountName string
param appInsightsName string

@description('Object id of the user or pipeline that uploads cases and reads results; empty grants nobody.')
param operatorPrincipalId string = ''

// Built-in role definition ids, the same in every tenant.
var roles = {
  // Host storage (keys, leases), the deployment package, case/result/model blobs, blob trigger reads.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Durable Functions control and work-item queues; blob trigger poison queue.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Durable Functions history and instance tables; the CcsResults table.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Entra ID authenticated telemetry ingestion into Application Insights.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var operatorRoles = [
  // Upload case archives; read result images and reports.
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  // Query the results table.
  '76199698-9eea-4c19-bc75-cec21354c6b6' // Storage Table Data Reader
]

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: identity.properties.principalId
      // Skips the directory lookup that fails while a new identity is still replicating.
      principalType: 'ServicePrincipal'
    }
  }
]

resource monitoringAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in operatorRoles: if (!empty(operatorPrincipalId)) {
    name: guid(storage.id, operatorPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: operatorPrincipalId
      // No principalType: azd may be signed in as a user or as a service principal.
    }
  }
]

// The storage account's Event Grid system topic. It carries BlobCreated events for the CaseUploaded blob
// trigger (Event Grid source), which reacts in seconds where the polling source would scan the container.
// The subscription that points it at the function app is created after code deployment, by
// infra/eventgrid-subscription.bicep, because its URL needs a key the running host generates.
param name string
param location string
param tags { *: string }
param storageAccountName string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name

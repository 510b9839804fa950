// Post-deploy step: subscribes the CaseUploaded blob trigger (Event Grid source) to BlobCreated events from
// the cases container. Separate from main.bicep because the webhook URL carries the blobs_extension system key,
// which the Functions host creates the first time it starts with that trigger, i.e. only after code deployment.
// infra/hooks/postdeploy.sh waits for the key and then deploys this file into the app's resource group.
targetScope = 'resourceGroup'

param functionAppName string
param systemTopicName string
param casesContainer string = 'cases'

@description('Function name as registered by the Functions host; the webhook routes events to it.')
param functionName string = 'CaseUploaded'

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

// Read at deployment time by Resource Manager, so the key never passes through a shell or a parameter file.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension
var webhookQuery = 'functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'case-uploaded'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?${webhookQuery}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${casesContainer}/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output name string = subscription.name

# azd postdeploy hook (Windows): the same steps as postdeploy.sh. Subscribes the CaseUploaded blob trigger to
# BlobCreated events from the cases container by deploying infra/eventgrid-subscription.bicep, once the Functions
# host has created the blobs_extension key the webhook needs.
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_HOSTNAME',
    'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        throw "$name is not set; run through azd or set the outputs of main.bicep"
    }
}
$resourceGroup = $env:AZURE_RESOURCE_GROUP
$appName = $env:AZURE_FUNCTION_APP_NAME
$appUrl = "https://$($env:AZURE_FUNCTION_APP_HOSTNAME)/"
$casesContainer = if ($env:CASES_CONTAINER) { $env:CASES_CONTAINER } else { 'cases' }
$template = Join-Path $PSScriptRoot '..' 'eventgrid-subscription.bicep'

function Start-FunctionHost {
    # A freshly deployed Flex Consumption app may still be scaled to zero; a request to it starts the host.
    try { Invoke-WebRequest -Uri $appUrl -TimeoutSec 30 -UseBasicParsing | Out-Null } catch { }
}

Write-Host "Waiting for the blobs_extension key of $appName..."
for ($attempt = 1; ; $attempt++) {
    $key = az functionapp keys list -g $resourceGroup -n $appName --query systemKeys.blobs_extension -o tsv 2>$null
    if ($key) { break }
    if ($attempt -ge 20) {
        throw "No blobs_extension key after $attempt tries: is CaseUploaded deployed with the Event Grid source?"
    }
    Start-FunctionHost
    Start-Sleep -Seconds 15
}
Remove-Variable key

# Event Grid validates the webhook while it creates the subscription; a cold instance can miss that window.
for ($attempt = 1; ; $attempt++) {
    az deployment group create -g $resourceGroup -n eventgrid-subscription -f $template `
        -p functionAppName=$appName systemTopicName=$($env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME) `
        casesContainer=$casesContainer --only-show-errors -o none
    if ($LASTEXITCODE -eq 0) { break }
    if ($attempt -ge 3) {
        throw 'Could not create the Event Grid subscription; rerun infra/hooks/postdeploy.ps1 once the app responds.'
    }
    Start-FunctionHost
    Start-Sleep -Seconds 20
}

Write-Host "Event Grid now delivers BlobCreated events from '$casesContainer' to $appName (CaseUploaded)."

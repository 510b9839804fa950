#!/bin/sh
# azd postdeploy hook: subscribes the CaseUploaded blob trigger to BlobCreated events from the cases container by
# deploying infra/eventgrid-subscription.bicep. Runs after code deployment because the webhook needs the
# blobs_extension system key, which the Functions host creates when it first starts with that trigger.
#
# azd exports the outputs of main.bicep into the environment. To run it by hand, export AZURE_RESOURCE_GROUP,
# AZURE_FUNCTION_APP_NAME, AZURE_FUNCTION_APP_HOSTNAME and AZURE_EVENTGRID_SYSTEM_TOPIC_NAME (see infra/README.md),
# sign in with `az login`, and run it from anywhere.
set -eu

: "${AZURE_RESOURCE_GROUP:?is not set; run through azd or export the outputs of main.bicep}"
: "${AZURE_FUNCTION_APP_NAME:?is not set; run through azd or export the outputs of main.bicep}"
: "${AZURE_FUNCTION_APP_HOSTNAME:?is not set; run through azd or export the outputs of main.bicep}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?is not set; run through azd or export the outputs of main.bicep}"
cases_container="${CASES_CONTAINER:-cases}"
template="$(dirname "$0")/../eventgrid-subscription.bicep"

# A freshly deployed Flex Consumption app may still be scaled to zero; a request to it starts the host.
echo "Waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME..."
attempt=1
until [ -n "$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
  --query systemKeys.blobs_extension -o tsv 2>/dev/null)" ]; do
  if [ "$attempt" -ge 20 ]; then
    echo "No blobs_extension key after $attempt tries: is CaseUploaded deployed with the Event Grid source?" >&2
    exit 1
  fi
  curl -s -o /dev/null --max-time 30 "https://$AZURE_FUNCTION_APP_HOSTNAME/" || true
  sleep 15
  attempt=$((attempt + 1))
done

# Event Grid validates the webhook while it creates the subscription; a cold instance can miss that window.
attempt=1
until az deployment group create -g "$AZURE_RESOURCE_GROUP" -n eventgrid-subscription -f "$template" \
  -p functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
  casesContainer="$cases_container" --only-show-errors -o none; do
  if [ "$attempt" -ge 3 ]; then
    echo "Could not create the Event Grid subscription; rerun infra/hooks/postdeploy.sh once the app responds." >&2
    exit 1
  fi
  curl -s -o /dev/null --max-time 30 "https://$AZURE_FUNCTION_APP_HOSTNAME/" || true
  sleep 20
  attempt=$((attempt + 1))
done

echo "Event Grid now delivers BlobCreated events from '$cases_container' to $AZURE_FUNCTION_APP_NAME (CaseUploaded)."

namespace Ccs.Infra.Tests;

/// <summary>
/// The app settings src/Ccs.Functions reads, as agreed with its authors: the one list the infra tests check the
/// function app against. FunctionsContractTests also derives the list from the built app itself.
/// </summary>
internal static class RequiredAppSettings
{
    public static readonly IReadOnlyList<string> Names =
    [
        // Functions host, Durable Functions (Azure Storage backend), blob trigger bookkeeping.
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",

        // Named connection for case blobs, results and the results table.
        "CaseStorage__accountName",
        "CaseStorage__credential",
        "CaseStorage__clientId",

        "CasesContainer",
        "ResultsContainer",
        "ResultsTable",
        "ModelsContainer",
        "Inference__IntraOpThreads",
        "AzureWebJobs.CaseUploadedPolling.Disabled",
        "AzureWebJobs.CaseUploaded.Disabled",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>Rejected by Flex Consumption (runtime is set in functionAppConfig) or a shared-key back door.</summary>
    public static readonly IReadOnlyList<string> Forbidden =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "AzureWebJobsStorage",
        "APPINSIGHTS_INSTRUMENTATIONKEY",
    ];
}

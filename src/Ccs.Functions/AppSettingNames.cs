namespace Ccs.Functions;

/// <summary>
/// Every app setting this app or its host reads, by the exact name the Bicep templates and local.settings.json use.
/// Names with <c>__</c> are configuration sections (<c>CaseStorage__accountName</c> is <c>CaseStorage:accountName</c>).
/// </summary>
public static class AppSettingNames
{
    /// <summary>The Functions runtime's own storage: host keys, leases and the Durable Task hub.</summary>
    public const string AzureWebJobsStorage = "AzureWebJobsStorage";

    /// <summary>
    /// The case archives, results container and results table: a connection string locally, or
    /// <c>CaseStorage__accountName</c>, <c>CaseStorage__credential</c> and <c>CaseStorage__clientId</c> in Azure.
    /// </summary>
    public const string CaseStorage = "CaseStorage";

    public const string CaseStorageAccountName = "CaseStorage__accountName";

    public const string CaseStorageCredential = "CaseStorage__credential";

    public const string CaseStorageClientId = "CaseStorage__clientId";

    /// <summary>Where case archives are uploaded; the blob trigger watches it. Default <c>cases</c>.</summary>
    public const string CasesContainer = "CasesContainer";

    /// <summary>
    /// Each case's images and reports, under <c>&lt;caseId&gt;/&lt;archiveId&gt;/</c>. Default <c>results</c>.
    /// </summary>
    public const string ResultsContainer = "ResultsContainer";

    /// <summary>One row per case per upload, and one per upload. Default <c>CcsResults</c>.</summary>
    public const string ResultsTable = "ResultsTable";

    /// <summary>Empty: load the model set deployed in <c>models/</c>; otherwise download this container's.</summary>
    public const string ModelsContainer = "ModelsContainer";

    /// <summary>ONNX Runtime threads per session run. Default 1.</summary>
    public const string InferenceIntraOpThreads = "Inference__IntraOpThreads";

    /// <summary>Switches off the Event Grid blob trigger (set to true on Azurite, which has no Event Grid).</summary>
    public const string CaseUploadedDisabled = "AzureWebJobs.CaseUploaded.Disabled";

    /// <summary>Switches off the polling blob trigger (set to true on Flex Consumption, which cannot poll).</summary>
    public const string CaseUploadedPollingDisabled = "AzureWebJobs.CaseUploadedPolling.Disabled";

    /// <summary>Read by the Functions host, which forwards the worker's logs to Application Insights.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IReadOnlyList<string> All { get; } =
    [
        AzureWebJobsStorage,
        CaseStorage,
        CaseStorageAccountName,
        CaseStorageCredential,
        CaseStorageClientId,
        CasesContainer,
        ResultsContainer,
        ResultsTable,
        ModelsContainer,
        InferenceIntraOpThreads,
        CaseUploadedDisabled,
        CaseUploadedPollingDisabled,
        ApplicationInsightsConnectionString,
    ];
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ccs.Functions.Intake;
using Ccs.Functions.Models;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>
/// The app's services (registered by <see cref="ServiceRegistration.AddCcsFunctions"/>, as in the Functions worker)
/// on a real Azurite, with the orchestrator and activities on the real Durable Task engine in memory. Upload events
/// are delivered by calling the trigger's <see cref="CaseIntake"/>, which is what the blob trigger function does.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);

    private readonly ConcurrentDictionary<string, int> _preprocessRuns = new();

    private PipelineHost(AzuriteServer azurite, ServiceProvider services)
    {
        Azurite = azurite;
        Services = services;
        Storage = services.GetRequiredService<CaseStorageAccount>();
        Names = services.GetRequiredService<StorageNames>();
        Activities = services.GetRequiredService<CaseActivities>();
        Intake = services.GetRequiredService<CaseIntake>();
    }

    public AzuriteServer Azurite { get; }

    public ServiceProvider Services { get; }

    public CaseStorageAccount Storage { get; }

    public StorageNames Names { get; }

    public CaseActivities Activities { get; }

    public CaseIntake Intake { get; }

    public DurableTaskTestHost Durable { get; private set; } = null!;

    public DurableTaskClient Client => Durable.Client;

    public BlobContainerClient Cases => Storage.Blobs.GetBlobContainerClient(Names.Cases);

    public BlobContainerClient Results => Storage.Blobs.GetBlobContainerClient(Names.Results);

    public TableClient Table => Storage.Tables.GetTableClient(Names.ResultsTable);

    /// <summary>Runs before each RunBackbone activity, so a test can act in the middle of a run.</summary>
    public Func<BackboneJob, Task>? BeforeBackbone { get; set; }

    /// <param name="services">Registrations that replace the app's own (they are added first, and the app's are
    /// TryAdd).</param>
    public static async Task<PipelineHost> StartAsync(AzuriteServer azurite, string modelsFolder,
        Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AppSettingNames.CaseStorage] = azurite.ConnectionString,
                [AppSettingNames.InferenceIntraOpThreads.Replace("__", ":")] = "1",
            })
            .Build();
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var provider = collection
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(new ModelSource(modelsFolder, null, Path.Combine(Path.GetTempPath(), "ccs-test-models")))
            .AddCcsFunctions(configuration)
            .BuildServiceProvider();
        var host = new PipelineHost(azurite, provider);
        host.Durable = await DurableTaskTestHost.StartAsync(host.Register,
            new DurableTaskTestHostOptions { Port = FreePort() });
        await host.Cases.CreateIfNotExistsAsync();
        return host;
    }

    private int _backboneAttempts;

    /// <summary>How many times RunBackbone was started, retries included.</summary>
    public int BackboneAttempts => Volatile.Read(ref _backboneAttempts);

    /// <summary>How many times PreprocessArchive ran for an orchestration instance.</summary>
    public int PreprocessRuns(string instanceId) => _preprocessRuns.GetValueOrDefault(instanceId);

    public async Task<BlobClient> UploadAsync(string blobName, byte[] content)
    {
        var blob = Cases.GetBlobClient(blobName);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return blob;
    }

    /// <summary>Delivers the upload event for a blob, as the blob trigger does.</summary>
    public Task<IntakeResult> DeliverAsync(BlobClient blob) => Intake.AcceptAsync(blob, Client);

    public async Task<string> InstanceIdOf(BlobClient blob)
    {
        BlobProperties properties = await blob.GetPropertiesAsync();
        return ArchiveNames.InstanceId(blob.BlobContainerName, blob.Name, properties.ETag.ToString());
    }

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        var done = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"orchestration {instanceId} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        return done;
    }

    /// <summary>Uploads an archive, delivers its event and waits for its run to finish.</summary>
    public async Task<(BlobClient Blob, OrchestrationMetadata Run)> RunAsync(string blobName, byte[] zip)
    {
        var blob = await UploadAsync(blobName, zip);
        Assert.Equal(IntakeResult.Scheduled, await DeliverAsync(blob));
        return (blob, await WaitAsync(await InstanceIdOf(blob)));
    }

    /// <summary>The case's row from one upload.</summary>
    public async Task<TableEntity?> RowAsync(string caseId, string archiveId)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(caseId, archiveId);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>An upload's own row: its claim, the cases it held, or why it was refused.</summary>
    public Task<TableEntity?> ArchiveRowAsync(string archiveId) => RowAsync(ResultColumns.ArchivePartition, archiveId);

    /// <summary>Every row of a case, one per upload that carried it.</summary>
    public async Task<List<TableEntity>> CaseRowsAsync(string caseId)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId}");
        return await Table.QueryAsync<TableEntity>(filter).ToListAsync();
    }

    /// <summary>The files of one upload's case, relative to its folder.</summary>
    public Task<List<string>> ResultFilesAsync(string caseId, string archiveId) =>
        ResultNamesAsync(ResultBlobs.FolderOf(caseId, archiveId) + "/");

    /// <summary>Every result file of a case, relative to the case's folder (so led by the archive id).</summary>
    public Task<List<string>> CaseFilesAsync(string caseId) => ResultNamesAsync(caseId + "/");

    public async Task<byte[]> ResultAsync(string caseId, string archiveId, string file) =>
        (await Results.GetBlobClient(ResultBlobs.PathOf(caseId, archiveId, file)).DownloadContentAsync()).Value
        .Content.ToArray();

    private async Task<List<string>> ResultNamesAsync(string prefix)
    {
        var files = new List<string>();
        if (!await Results.ExistsAsync())
        {
            return files;
        }

        await foreach (var item in Results.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, default))
        {
            files.Add(item.Name[prefix.Length..]);
        }

        return files;
    }

    public async ValueTask DisposeAsync()
    {
        await Durable.DisposeAsync();
        await Services.DisposeAsync();
    }

    /// <summary>The same orchestrator body and activity methods the [Function] attributes expose.</summary>
    private void Register(DurableTaskRegistry tasks)
    {
        tasks.AddOrchestratorFunc<ArchiveJob, ArchiveOutcome>(ActivityNames.Orchestrator, CaseOrchestrator.RunAsync);
        tasks.AddActivityFunc<ArchiveJob, PreparedArchive>(ActivityNames.PreprocessArchive, (_, job) =>
        {
            _preprocessRuns.AddOrUpdate(job.InstanceId, 1, (_, n) => n + 1);
            return Activities.PreprocessArchive(job);
        });
        tasks.AddActivityFunc<BackboneJob, BackboneResult>(ActivityNames.RunBackbone, async (_, job) =>
        {
            Interlocked.Increment(ref _backboneAttempts);
            if (BeforeBackbone is { } hook)
            {
                await hook(job);
            }

            return await Activities.RunBackbone(job);
        });
        tasks.AddActivityFunc<FinalizeJob, CaseCompleted>(ActivityNames.FinalizeCase,
            (_, job) => Activities.FinalizeCase(job));
        tasks.AddActivityFunc<FailureJob, bool>(ActivityNames.RecordCaseFailure,
            (_, job) => Activities.RecordCaseFailure(job));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

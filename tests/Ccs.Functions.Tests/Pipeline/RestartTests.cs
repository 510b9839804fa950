using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;
using Ccs.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ccs.Functions.Tests.Pipeline;

/// <summary>Its own Azurite, kept on disk, so stopping it does not disturb the other tests and loses no data.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("ccs-azurite-").FullName;
    private AzuriteServer _azurite = null!;
    private PipelineHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(_data);
        _host = await PipelineHost.StartAsync(_azurite, RepoPaths.TinyModels, services =>
            services.AddSingleton(QuickToGiveUp(_azurite.ConnectionString)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Case_completes_when_storage_goes_away_mid_run_and_comes_back()
    {
        var outage = 0;
        Task? restart = null;
        _host.BeforeBackbone = async _ =>
        {
            if (Interlocked.Exchange(ref outage, 1) == 0)
            {
                await _azurite.StopAsync();
                restart = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => _azurite.StartAsync()).Unwrap();
            }
        };

        var (_, run) = await _host.RunAsync("outage.zip", TestArchives.Case(3));

        Assert.NotNull(restart);
        await restart;
        var row = (await _host.RowAsync("outage", "outage"))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        Assert.Equal(run.InstanceId, row.GetString(ResultColumns.InstanceId));
        Assert.Contains("gradcam_ensemble.png", await _host.ResultFilesAsync("outage", "outage"));
        Assert.True(_host.BackboneAttempts > 2, $"expected a retried backbone, saw {_host.BackboneAttempts} attempts");
    }

    /// <summary>
    /// Storage clients that retry once, quickly: the SDK's default retries alone span about 25 s, longer than the
    /// outage, and this test is about the orchestrator's retry policy taking over when they give up.
    /// </summary>
    private static CaseStorageAccount QuickToGiveUp(string connectionString)
    {
        static void Quick(RetryOptions retry)
        {
            retry.MaxRetries = 1;
            retry.Delay = TimeSpan.FromMilliseconds(200);
        }

        var blobs = new BlobClientOptions();
        Quick(blobs.Retry);
        var tables = new TableClientOptions();
        Quick(tables.Retry);
        return new CaseStorageAccount(new BlobServiceClient(connectionString, blobs),
            new TableServiceClient(connectionString, tables));
    }
}

using Ccs.Core.Pipeline;
using Ccs.Functions.Api;
using Ccs.Functions.Intake;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ccs.Functions.Tests.Api;

[Collection(PipelineCollection.Name)]
public sealed class ApiTests(PipelineFixture fixture)
{
    private PipelineHost Host => fixture.Host;

    private CaseQueries Queries => Host.Services.GetRequiredService<CaseQueries>();

    [Fact]
    public async Task Posted_archive_lands_in_cases_under_a_safe_name_and_completes()
    {
        var uploads = Host.Services.GetRequiredService<ArchiveUploads>();
        using var body = new MemoryStream(TestArchives.Case(50));

        var receipt = await uploads.UploadAsync(body, "../Patient 42?.zip");

        Assert.Matches("^Patient_42_-[0-9]{8}T[0-9]{6}-[0-9a-f]{8}\\.zip$", receipt.Archive);
        Assert.Equal($"/api/cases/{receipt.ArchiveId}", receipt.Status);
        var blob = Host.Cases.GetBlobClient(receipt.Archive);
        Assert.Equal(IntakeResult.Scheduled, await Host.DeliverAsync(blob));
        await Host.WaitAsync(await Host.InstanceIdOf(blob));
        var row = await Queries.FindCaseAsync(receipt.ArchiveId);
        Assert.NotNull(row);
        Assert.Equal(CaseStatus.Completed, row[ResultColumns.Status]);
        Assert.Equal(receipt.ArchiveId, row["caseId"]);
    }

    [Fact]
    public async Task Upload_over_the_cap_is_refused()
    {
        var uploads = new ArchiveUploads(Host.Storage, Host.Names, new IntakeOptions { MaxArchiveBytes = 100 },
            TimeProvider.System);
        using var body = new MemoryStream(TestArchives.Case(51));

        await Assert.ThrowsAsync<UploadTooLargeException>(() => uploads.UploadAsync(body, "big"));
    }

    [Fact]
    public async Task Case_and_grad_cam_lookups_find_results_and_miss_cleanly()
    {
        await Host.RunAsync("lookup.zip", TestArchives.Case(60));

        var png = await Queries.FindGradCamAsync("lookup", ArtifactNames.Ensemble);
        Assert.NotNull(png);
        Images.Pixels(png);
        Assert.NotNull(await Queries.FindGradCamAsync("lookup", "alpha"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "resnet50"));
        Assert.Null(await Queries.FindGradCamAsync("no-such-case", "alpha"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "../lookup/input"));
        Assert.Null(await Queries.FindCaseAsync("no-such-case"));
        Assert.Null(await Queries.FindCaseAsync("bad key/with slash"));
    }

    [Fact]
    public async Task Archive_lookup_lists_cases_with_other_ids()
    {
        await Host.RunAsync("renamed.zip", TestArchives.Case(70, """{ "caseId": "renamed-inside" }"""));

        var archive = await Queries.FindCaseAsync("renamed");

        Assert.NotNull(archive);
        Assert.Equal("archive", archive["kind"]);
        Assert.Equal(new[] { "renamed-inside" }, archive[ResultColumns.Cases]);
        Assert.Equal(CaseStatus.Completed, (await Queries.FindCaseAsync("renamed-inside"))![ResultColumns.Status]);
    }

    [Fact]
    public async Task Health_reports_models_and_storage()
    {
        var report = await Host.Services.GetRequiredService<HealthProbe>().CheckAsync();

        Assert.True(report.Healthy, string.Join("; ", report.Problems));
        Assert.True(report.ModelsLoaded);
        Assert.Equal("tiny-1", report.ModelVersion);
        Assert.Equal(new[] { "alpha", "beta" }, report.Backbones);
        Assert.True(report.StorageReachable);
    }
}

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
        Assert.Equal(receipt.Archive[..^".zip".Length], receipt.ArchiveId);
        Assert.Equal($"/api/archives/{receipt.ArchiveId}", receipt.Status);
        var blob = Host.Cases.GetBlobClient(receipt.Archive);
        Assert.Equal(IntakeResult.Scheduled, await Host.DeliverAsync(blob));
        await Host.WaitAsync(await Host.InstanceIdOf(blob));
        var archive = await Queries.FindArchiveAsync(receipt.ArchiveId);
        Assert.NotNull(archive);
        Assert.Equal("archive", archive["kind"]);
        Assert.Equal(receipt.Archive, archive[ResultColumns.SourceBlob]);
        var only = Assert.Single(Results(archive));
        Assert.Equal(CaseStatus.Completed, only[ResultColumns.Status]);
        Assert.Equal(receipt.ArchiveId, only["caseId"]);
        Assert.Equal(receipt.ArchiveId, only["archiveId"]);
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

        var png = await Queries.FindGradCamAsync("lookup", "lookup", ArtifactNames.Ensemble);
        Assert.NotNull(png);
        Images.Pixels(png);
        Assert.NotNull(await Queries.FindGradCamAsync("lookup", "lookup", "alpha"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "lookup", "resnet50"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "other-archive", "alpha"));
        Assert.Null(await Queries.FindGradCamAsync("no-such-case", "lookup", "alpha"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "lookup", "../lookup/input"));
        Assert.Null(await Queries.FindGradCamAsync("lookup", "..", "alpha"));
        Assert.Null(await Queries.FindCaseAsync("no-such-case"));
        Assert.Null(await Queries.FindCaseAsync("bad key/with slash"));
        Assert.Null(await Queries.FindCaseAsync(ResultColumns.ArchivePartition));
        Assert.Null(await Queries.FindCaseInArchiveAsync("lookup", "other-archive"));
        Assert.Null(await Queries.FindArchiveAsync("no-such-archive"));
        Assert.Null(await Queries.FindArchiveAsync("bad key/with slash"));
    }

    [Fact]
    public async Task Case_lookup_returns_every_upload_of_the_case_and_each_can_be_addressed()
    {
        var first = TestArchives.Case(62, """{ "caseId": "api-shared" }""");
        var second = TestArchives.Case(64, """{ "caseId": "api-shared" }""");
        var (a, _) = await Host.RunAsync("site-a/shared.zip", first);
        var (b, _) = await Host.RunAsync("site-b/shared.zip", second);
        var idA = ArchiveNames.ArchiveId(a.Name);
        var idB = ArchiveNames.ArchiveId(b.Name);

        var found = await Queries.FindCaseAsync("api-shared");

        Assert.NotNull(found);
        Assert.Equal("api-shared", found.CaseId);
        Assert.Equal(new[] { idB, idA }, found.Results.Select(r => r["archiveId"]));
        Assert.Equal(new[] { b.Name, a.Name }, found.Results.Select(r => r[ResultColumns.SourceBlob]));
        Assert.All(found.Results, r => Assert.Equal("api-shared", r["caseId"]));
        Assert.All(found.Results, r => Assert.Equal(CaseStatus.Completed, r[ResultColumns.Status]));
        var one = (await Queries.FindCaseInArchiveAsync("api-shared", idA))!;
        Assert.Equal(a.Name, one[ResultColumns.SourceBlob]);
        Assert.Equal(found.Results[1][ResultColumns.Ensemble], one[ResultColumns.Ensemble]);
        Assert.NotEqual(found.Results[0][ResultColumns.Ensemble], one[ResultColumns.Ensemble]);
        var ensembleA = Images.Pixels((await Queries.FindGradCamAsync("api-shared", idA, ArtifactNames.Ensemble))!);
        var ensembleB = Images.Pixels((await Queries.FindGradCamAsync("api-shared", idB, ArtifactNames.Ensemble))!);
        Assert.NotEqual(ensembleA, ensembleB);
    }

    [Fact]
    public async Task Archive_lookup_lists_cases_with_other_ids()
    {
        await Host.RunAsync("renamed.zip", TestArchives.Case(70, """{ "caseId": "renamed-inside" }"""));

        var archive = await Queries.FindArchiveAsync("renamed");

        Assert.NotNull(archive);
        Assert.Equal("archive", archive["kind"]);
        Assert.Equal("renamed", archive["archiveId"]);
        Assert.Equal(new[] { "renamed-inside" }, archive[ResultColumns.Cases]);
        var only = Assert.Single(Results(archive));
        Assert.Equal("renamed-inside", only["caseId"]);
        Assert.Equal(CaseStatus.Completed, only[ResultColumns.Status]);
        Assert.Null(await Queries.FindCaseAsync("renamed"));
        var found = (await Queries.FindCaseAsync("renamed-inside"))!;
        Assert.Equal("renamed", Assert.Single(found.Results)["archiveId"]);
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

    private static IReadOnlyList<IReadOnlyDictionary<string, object?>> Results(
        IReadOnlyDictionary<string, object?> archive) =>
        (IReadOnlyList<IReadOnlyDictionary<string, object?>>)archive[CaseQueries.ResultsProperty]!;
}

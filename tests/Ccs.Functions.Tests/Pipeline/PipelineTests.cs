using Ccs.Core.Pipeline;
using Ccs.Core.Reports;
using Ccs.Functions.Intake;
using Ccs.Functions.Pipeline;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Pipeline;

[Collection(PipelineCollection.Name)]
public sealed class PipelineTests(PipelineFixture fixture)
{
    private PipelineHost Host => fixture.Host;

    [Fact]
    public async Task Uploaded_archive_yields_a_completed_row_and_overlays()
    {
        var archive = TestArchives.Case(7, """{ "age": 61, "sex": "F" }""");

        var (blob, run) = await Host.RunAsync("incoming/upload-ok.zip", archive);

        var archiveId = ArchiveNames.ArchiveId(blob.Name);
        Assert.StartsWith("incoming_upload-ok-", archiveId);
        var row = await Host.RowAsync("upload-ok", archiveId);
        Assert.NotNull(row);
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        foreach (var backbone in new[] { "alpha", "beta" })
        {
            Assert.InRange(row.GetDouble(ResultColumns.Probability(backbone))!.Value, 0, 1);
        }

        Assert.InRange(row.GetDouble(ResultColumns.Ensemble)!.Value, 0, 1);
        Assert.Equal("age_sex", row.GetString(ResultColumns.AdjustedModel));
        Assert.NotNull(row.GetBoolean(ResultColumns.Label));
        Assert.Equal("tiny-1", row.GetString(ResultColumns.ModelVersion));
        Assert.Equal(run.InstanceId, row.GetString(ResultColumns.InstanceId));
        Assert.Equal("incoming/upload-ok.zip", row.GetString(ResultColumns.SourceBlob));
        Assert.NotNull(row.GetDateTimeOffset(ResultColumns.CompletedAt));
        var archiveRow = (await Host.ArchiveRowAsync(archiveId))!;
        Assert.Equal(CaseStatus.Running, archiveRow.GetString(ResultColumns.Status));
        Assert.Equal("upload-ok", archiveRow.GetString(ResultColumns.Cases));
        Assert.Equal(run.InstanceId, archiveRow.GetString(ResultColumns.InstanceId));

        var input = Images.Pixels(await Host.ResultAsync("upload-ok", archiveId, ArtifactNames.Input));
        foreach (var overlay in new[] { "alpha", "beta", ArtifactNames.Ensemble })
        {
            var pixels = Images.Pixels(await Host.ResultAsync("upload-ok", archiveId, ArtifactNames.GradCam(overlay)));
            Assert.NotEqual(input, pixels);
        }

        var report = CaseReport.FromJson(await Host.ResultAsync("upload-ok", archiveId, ArtifactNames.Report));
        Assert.Equal("upload-ok", report.CaseId);
        Assert.Equal(61, report.Input.Demographics.Age);
        Assert.Contains("<html", System.Text.Encoding.UTF8.GetString(
            await Host.ResultAsync("upload-ok", archiveId, ArtifactNames.ReportPage)));
        var status = run.ReadCustomStatusAs<PipelineStatus>();
        Assert.Equal(new PipelineStatus(PipelineStatus.Done, 1, 2, 2), status);
    }

    [Fact]
    public async Task Same_blob_event_twice_runs_the_case_once()
    {
        var (blob, run) = await Host.RunAsync("twice.zip", TestArchives.Case(11));
        var completedAt = (await Host.RowAsync("twice", "twice"))!.GetDateTimeOffset(ResultColumns.CompletedAt);

        Assert.Equal(IntakeResult.Duplicate, await Host.DeliverAsync(blob));

        Assert.Equal(1, Host.PreprocessRuns(run.InstanceId));
        var row = Assert.Single(await Host.CaseRowsAsync("twice"));
        Assert.Equal("twice", row.RowKey);
        Assert.Equal(completedAt, row.GetDateTimeOffset(ResultColumns.CompletedAt));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_schedule_one_run()
    {
        var blob = await Host.UploadAsync("raced.zip", TestArchives.Case(12));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Host.DeliverAsync(blob)));

        Assert.Single(results, r => r == IntakeResult.Scheduled);
        Assert.All(results.Where(r => r != IntakeResult.Scheduled), r => Assert.Equal(IntakeResult.Duplicate, r));
        var instanceId = await Host.InstanceIdOf(blob);
        await Host.WaitAsync(instanceId);
        Assert.Equal(1, Host.PreprocessRuns(instanceId));
        Assert.Equal(CaseStatus.Completed, (await Host.RowAsync("raced", "raced"))!.GetString(ResultColumns.Status));
    }

    [Fact]
    public async Task Run_for_a_replaced_archive_reads_nothing_and_leaves_the_new_run_alone()
    {
        var blob = await Host.UploadAsync("replaced.zip", TestArchives.Case(13));
        var stale = new ArchiveJob(blob.BlobContainerName, blob.Name, "\"0x8D0000000000000\"", "replaced",
            "case-stale", DateTimeOffset.UtcNow);
        Assert.Equal(IntakeResult.Scheduled, await Host.DeliverAsync(blob));
        await Host.WaitAsync(await Host.InstanceIdOf(blob));

        var prepared = await Host.Activities.PreprocessArchive(stale);

        Assert.Empty(prepared.Cases);
        Assert.Empty(prepared.Failures);
        Assert.Contains("deleted or replaced", prepared.Error);
        var row = (await Host.RowAsync("replaced", "replaced"))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        Assert.Equal(await Host.InstanceIdOf(blob), row.GetString(ResultColumns.InstanceId));
        var archive = (await Host.ArchiveRowAsync("replaced"))!;
        Assert.Equal(CaseStatus.Running, archive.GetString(ResultColumns.Status));
        Assert.Equal(await Host.InstanceIdOf(blob), archive.GetString(ResultColumns.InstanceId));
    }

    [Fact]
    public async Task Ten_archives_at_once_all_complete()
    {
        var names = Enumerable.Range(0, 10).Select(i => $"batch10-{i}").ToList();
        var blobs = await Task.WhenAll(
            names.Select((n, i) => Host.UploadAsync($"{n}.zip", TestArchives.Case(100 + i))));

        var delivered = await Task.WhenAll(blobs.Select(Host.DeliverAsync));
        Assert.All(delivered, r => Assert.Equal(IntakeResult.Scheduled, r));
        await Task.WhenAll(blobs.Select(async b => await Host.WaitAsync(await Host.InstanceIdOf(b))));

        foreach (var name in names)
        {
            Assert.Equal(CaseStatus.Completed, (await Host.RowAsync(name, name))!.GetString(ResultColumns.Status));
        }
    }

    [Fact]
    public async Task A_bad_case_in_a_batch_does_not_stop_the_others()
    {
        var files = TestArchives.CaseFiles(20, folder: "multi-good-a/")
            .Concat(TestArchives.CaseFiles(30, folder: "multi-good-b/"))
            .Concat(TestArchives.CaseFiles(40, folder: "multi-bad/").Where(f => !f.Key.EndsWith("1.png")));

        var (_, run) = await Host.RunAsync("multi.zip", TestArchives.Zip(files));

        var goodA = (await Host.RowAsync("multi-good-a", "multi"))!;
        Assert.Equal(CaseStatus.Completed, goodA.GetString(ResultColumns.Status));
        var goodB = (await Host.RowAsync("multi-good-b", "multi"))!;
        Assert.Equal(CaseStatus.Completed, goodB.GetString(ResultColumns.Status));
        var bad = (await Host.RowAsync("multi-bad", "multi"))!;
        Assert.Equal(CaseStatus.Failed, bad.GetString(ResultColumns.Status));
        Assert.Contains("1.png: slice is missing", bad.GetString(ResultColumns.Error));
        Assert.Empty(await Host.CaseFilesAsync("multi-bad"));
        Assert.Contains(ArtifactNames.Report, await Host.ResultFilesAsync("multi-good-a", "multi"));

        var archive = (await Host.ArchiveRowAsync("multi"))!;
        Assert.Equal("multi-good-a,multi-good-b,multi-bad", archive.GetString(ResultColumns.Cases));
        Assert.Equal(goodA.GetString(ResultColumns.InstanceId), archive.GetString(ResultColumns.InstanceId));
        Assert.Empty(await Host.CaseRowsAsync("multi"));
        var outcome = run.ReadOutputAs<ArchiveOutcome>()!;
        Assert.Equal(2, outcome.Completed.Count);
        Assert.Equal("multi-bad", Assert.Single(outcome.Failed).CaseId);
        Assert.Null(outcome.Error);
    }
}

using Azure.Storage.Blobs.Models;
using Ccs.Core.Pipeline;
using Ccs.Core.Reports;
using Ccs.Functions.Intake;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Pipeline;

/// <summary>
/// Uploads that carry the same case id: each keeps its own row (PartitionKey = case id, RowKey = archive id) and its
/// own files, holding the numbers of its own slices; only a new version of the same blob replaces them.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class ArchiveKeyTests(PipelineFixture fixture)
{
    private PipelineHost Host => fixture.Host;

    [Fact]
    public async Task Two_batches_holding_the_same_case_ids_keep_their_own_rows_and_files()
    {
        var north = Batch(seed: 200);
        var south = Batch(seed: 300);

        await Host.RunAsync("north.zip", north);
        await Host.RunAsync("south.zip", south);

        var expectedNorth = await ExpectedResults.ForAsync(Host, "north.zip", north);
        var expectedSouth = await ExpectedResults.ForAsync(Host, "south.zip", south);
        foreach (var caseId in new[] { "case_500", "case_501" })
        {
            Assert.NotEqual(expectedNorth[caseId].Outcome.Ensemble, expectedSouth[caseId].Outcome.Ensemble);
            Assert.Equal(["north", "south"], (await Host.CaseRowsAsync(caseId)).Select(r => r.RowKey));
            await AssertResult(caseId, "north", "north.zip", expectedNorth[caseId]);
            await AssertResult(caseId, "south", "south.zip", expectedSouth[caseId]);
        }

        foreach (var archiveId in new[] { "north", "south" })
        {
            var archive = (await Host.ArchiveRowAsync(archiveId))!;
            Assert.Equal("case_500,case_501", archive.GetString(ResultColumns.Cases));
            Assert.Equal($"{archiveId}.zip", archive.GetString(ResultColumns.SourceBlob));
        }
    }

    [Fact]
    public async Task Same_file_name_in_two_folders_keeps_two_results()
    {
        var first = TestArchives.Case(220);
        var second = TestArchives.Case(320);

        var (a, _) = await Host.RunAsync("clinicA/scan.zip", first);
        var (b, _) = await Host.RunAsync("clinicB/scan.zip", second);

        var idA = ArchiveNames.ArchiveId(a.Name);
        var idB = ArchiveNames.ArchiveId(b.Name);
        Assert.StartsWith("clinicA_scan-", idA);
        Assert.StartsWith("clinicB_scan-", idB);
        Assert.Equal(new[] { idA, idB }.Order(StringComparer.Ordinal),
            (await Host.CaseRowsAsync("scan")).Select(r => r.RowKey));
        await AssertResult("scan", idA, "clinicA/scan.zip",
            (await ExpectedResults.ForAsync(Host, "scan.zip", first))["scan"]);
        await AssertResult("scan", idB, "clinicB/scan.zip",
            (await ExpectedResults.ForAsync(Host, "scan.zip", second))["scan"]);
    }

    [Fact]
    public async Task Names_that_differ_only_in_non_ascii_letters_keep_two_results()
    {
        var first = TestArchives.Case(240, """{ "caseId": "alpine" }""");
        var second = TestArchives.Case(340, """{ "caseId": "alpine" }""");

        var (a, _) = await Host.RunAsync("Zürich.zip", first);
        var (b, _) = await Host.RunAsync("Zärich.zip", second);

        var idA = ArchiveNames.ArchiveId(a.Name);
        var idB = ArchiveNames.ArchiveId(b.Name);
        Assert.Equal(ResultKeys.Safe("Zürich"), ResultKeys.Safe("Zärich"));
        Assert.NotEqual(idA, idB);
        Assert.Equal(2, (await Host.CaseRowsAsync("alpine")).Count);
        await AssertResult("alpine", idA, "Zürich.zip",
            (await ExpectedResults.ForAsync(Host, "Zürich.zip", first))["alpine"]);
        await AssertResult("alpine", idB, "Zärich.zip",
            (await ExpectedResults.ForAsync(Host, "Zärich.zip", second))["alpine"]);
        Assert.Equal("Zürich.zip", (await Host.ArchiveRowAsync(idA))!.GetString(ResultColumns.SourceBlob));
        Assert.Equal("Zärich.zip", (await Host.ArchiveRowAsync(idB))!.GetString(ResultColumns.SourceBlob));
    }

    [Fact]
    public async Task Stray_blob_without_zip_does_not_touch_the_case_of_the_same_name()
    {
        var zip = TestArchives.Case(260);
        var (_, run) = await Host.RunAsync("x.zip", zip);
        var before = (await Host.RowAsync("x", "x"))!;

        var stray = await Host.UploadAsync("x", zip);
        Assert.Equal(IntakeResult.Rejected, await Host.DeliverAsync(stray));

        var row = Assert.Single(await Host.CaseRowsAsync("x"));
        Assert.Equal("x", row.RowKey);
        Assert.Equal(run.InstanceId, row.GetString(ResultColumns.InstanceId));
        var completedAt = before.GetDateTimeOffset(ResultColumns.CompletedAt);
        Assert.Equal(completedAt, row.GetDateTimeOffset(ResultColumns.CompletedAt));
        await AssertResult("x", "x", "x.zip", (await ExpectedResults.ForAsync(Host, "x.zip", zip))["x"]);
        Assert.Equal(CaseStatus.Running, (await Host.ArchiveRowAsync("x"))!.GetString(ResultColumns.Status));
        var rejected = (await Host.ArchiveRowAsync(ArchiveNames.ArchiveId("x")))!;
        Assert.Equal(CaseStatus.Failed, rejected.GetString(ResultColumns.Status));
        Assert.Equal("x: a case archive must be a .zip file", rejected.GetString(ResultColumns.Error));
        Assert.Equal("x", rejected.GetString(ResultColumns.SourceBlob));
    }

    [Fact]
    public async Task New_version_of_the_same_blob_replaces_its_own_rows_and_files()
    {
        var first = TestArchives.Case(280);
        var second = TestArchives.Case(380);
        await Host.RunAsync("again.zip", first);

        var (blob, run) = await Host.RunAsync("again.zip", second);

        BlobProperties properties = await blob.GetPropertiesAsync();
        var row = Assert.Single(await Host.CaseRowsAsync("again"));
        Assert.Equal("again", row.RowKey);
        Assert.Equal(run.InstanceId, row.GetString(ResultColumns.InstanceId));
        Assert.Equal(properties.ETag.ToString(), row.GetString(ResultColumns.SourceETag));
        var expectedFirst = (await ExpectedResults.ForAsync(Host, "again.zip", first))["again"];
        var expectedSecond = (await ExpectedResults.ForAsync(Host, "again.zip", second))["again"];
        Assert.NotEqual(expectedFirst.Outcome.Ensemble, expectedSecond.Outcome.Ensemble);
        await AssertResult("again", "again", "again.zip", expectedSecond);
        Assert.All(await Host.CaseFilesAsync("again"), file => Assert.StartsWith("again/", file));
        Assert.Equal(run.InstanceId, (await Host.ArchiveRowAsync("again"))!.GetString(ResultColumns.InstanceId));
    }

    /// <summary>A batch as a clinic exports it: demographics.csv and the folders case_500 and case_501.</summary>
    private static byte[] Batch(int seed)
    {
        var demographics = System.Text.Encoding.UTF8.GetBytes(",sex,age,label\n500,F,70,0\n501,M,62,1\n");
        return TestArchives.Zip(TestArchives.CaseFiles(seed, folder: "case_500/")
            .Concat(TestArchives.CaseFiles(seed + 10, folder: "case_501/"))
            .Append(new("demographics.csv", demographics)));
    }

    /// <summary>The row and files under one case and archive hold what that archive's slices give.</summary>
    private async Task AssertResult(string caseId, string archiveId, string blobName, CaseResult expected)
    {
        var row = (await Host.RowAsync(caseId, archiveId))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        Assert.Equal(blobName, row.GetString(ResultColumns.SourceBlob));
        foreach (var backbone in expected.Outcome.Backbones)
        {
            var stored = row.GetDouble(ResultColumns.Probability(backbone.BackboneId))!.Value;
            Assert.Equal(backbone.Probability, stored, ExpectedResults.Tolerance);
        }

        var ensemble = row.GetDouble(ResultColumns.Ensemble)!.Value;
        Assert.Equal(expected.Outcome.Ensemble, ensemble, ExpectedResults.Tolerance);
        Assert.Equal(expected.Outcome.Positive, row.GetBoolean(ResultColumns.Label));

        var report = CaseReport.FromJson(await Host.ResultAsync(caseId, archiveId, ArtifactNames.Report));
        Assert.Equal(caseId, report.CaseId);
        Assert.Equal(expected.Report.Input.Slices.Select(s => s.Sha256), report.Input.Slices.Select(s => s.Sha256));
        Assert.Equal(expected.Outcome.Ensemble, report.Ensemble.Probability, ExpectedResults.Tolerance);
        foreach (var image in new[] { ArtifactNames.Input, ArtifactNames.GradCam(ArtifactNames.Ensemble) })
        {
            Assert.Equal(Images.Pixels(expected.Artifact(image)),
                Images.Pixels(await Host.ResultAsync(caseId, archiveId, image)));
        }
    }
}

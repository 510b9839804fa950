using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Ccs.Core.Pipeline;
using Ccs.Core.Reports;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Pipeline;

/// <summary>
/// A new version of a blob answers for its archive id alone: cases that only an earlier version held lose their rows
/// and files under that id, as do all of them when the new version cannot be read, while another archive carrying
/// the same case id keeps its own.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class NewVersionTests(PipelineFixture fixture)
{
    private PipelineHost Host => fixture.Host;

    [Fact]
    public async Task Case_the_new_version_drops_loses_its_row_and_files_under_this_archive_only()
    {
        var neighbour = await RunNeighbourAsync("dropped-other.zip", seed: 410);
        await Host.RunAsync("dropped.zip", Batch(400, "case_0", "case_1"));
        Assert.NotNull(await Host.RowAsync("case_1", "dropped"));
        Assert.NotEmpty(await Host.ResultFilesAsync("case_1", "dropped"));

        var second = Batch(500, "case_0");
        var (blob, run) = await Host.RunAsync("dropped.zip", second);

        Assert.Null(await Host.RowAsync("case_1", "dropped"));
        Assert.Empty(await Host.ResultFilesAsync("case_1", "dropped"));
        BlobProperties properties = await blob.GetPropertiesAsync();
        var row = (await Host.RowAsync("case_0", "dropped"))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        Assert.Equal(properties.ETag.ToString(), row.GetString(ResultColumns.SourceETag));
        Assert.Equal(run.InstanceId, row.GetString(ResultColumns.InstanceId));
        var expected = (await ExpectedResults.ForAsync(Host, "dropped.zip", second))["case_0"];
        var ensemble = row.GetDouble(ResultColumns.Ensemble)!.Value;
        Assert.Equal(expected.Outcome.Ensemble, ensemble, ExpectedResults.Tolerance);
        var report = CaseReport.FromJson(await Host.ResultAsync("case_0", "dropped", ArtifactNames.Report));
        Assert.Equal(expected.Report.Input.Slices.Select(s => s.Sha256), report.Input.Slices.Select(s => s.Sha256));
        var archive = (await Host.ArchiveRowAsync("dropped"))!;
        Assert.Equal("case_0", archive.GetString(ResultColumns.Cases));
        Assert.Equal(run.InstanceId, archive.GetString(ResultColumns.InstanceId));
        await AssertUnchanged(neighbour);
    }

    [Fact]
    public async Task Unreadable_new_version_leaves_no_case_under_this_archive()
    {
        var neighbour = await RunNeighbourAsync("spoilt-other.zip", seed: 430);
        await Host.RunAsync("spoilt.zip", Batch(420, "case_0", "case_1"));
        Assert.Equal(2, (await ArchiveCaseRowsAsync("spoilt")).Count);

        var (_, run) = await Host.RunAsync("spoilt.zip", "this is a note, not an archive"u8.ToArray());

        Assert.Empty(await ArchiveCaseRowsAsync("spoilt"));
        Assert.Empty(await Host.ResultFilesAsync("case_0", "spoilt"));
        Assert.Empty(await Host.ResultFilesAsync("case_1", "spoilt"));
        var archive = (await Host.ArchiveRowAsync("spoilt"))!;
        Assert.Equal(CaseStatus.Failed, archive.GetString(ResultColumns.Status));
        Assert.Contains("not a readable zip archive", archive.GetString(ResultColumns.Error));
        Assert.Equal(run.InstanceId, archive.GetString(ResultColumns.InstanceId));
        await AssertUnchanged(neighbour);
    }

    /// <summary>A batch whose folders are named by the case ids; each case's slices follow from the seed.</summary>
    private static byte[] Batch(int seed, params string[] caseIds) =>
        TestArchives.Zip(caseIds.SelectMany((id, i) => TestArchives.CaseFiles(seed + 10 * i, folder: $"{id}/")));

    /// <summary>Another archive that carries case_1, completed, with its row and files as they are now.</summary>
    private async Task<(string ArchiveId, TableEntity Row, List<string> Files)> RunNeighbourAsync(string blobName,
        int seed)
    {
        await Host.RunAsync(blobName, Batch(seed, "case_1"));
        var archiveId = blobName[..^".zip".Length];
        var row = (await Host.RowAsync("case_1", archiveId))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        var files = await Host.ResultFilesAsync("case_1", archiveId);
        Assert.Contains(ArtifactNames.Report, files);
        return (archiveId, row, files);
    }

    private async Task AssertUnchanged((string ArchiveId, TableEntity Row, List<string> Files) neighbour)
    {
        var row = (await Host.RowAsync("case_1", neighbour.ArchiveId))!;
        Assert.Equal(neighbour.Row.ETag, row.ETag);
        Assert.Equal(neighbour.Files, await Host.ResultFilesAsync("case_1", neighbour.ArchiveId));
    }

    /// <summary>The case rows under one archive id, whatever their case id (a scan, as the README's query).</summary>
    private async Task<List<TableEntity>> ArchiveCaseRowsAsync(string archiveId)
    {
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {archiveId} and PartitionKey ne {ResultColumns.ArchivePartition}");
        return await Host.Table.QueryAsync<TableEntity>(filter).ToListAsync();
    }
}

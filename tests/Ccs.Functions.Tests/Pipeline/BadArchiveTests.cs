using Azure.Storage.Blobs.Models;
using Ccs.Functions.Intake;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ccs.Functions.Tests.Pipeline;

[Collection(PipelineCollection.Name)]
public sealed class BadArchiveTests(PipelineFixture fixture)
{
    private PipelineHost Host => fixture.Host;

    public static TheoryData<string> Kinds => new(TestArchives.Bad.Keys);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Bad_archive_gets_a_failed_row_with_its_reason_and_nothing_else(string kind)
    {
        var caseId = $"bad-{kind}";
        var (build, reason) = TestArchives.Bad[kind];
        var content = build();

        var (blob, run) = await Host.RunAsync($"{caseId}.zip", content);

        var row = await Host.RowAsync(caseId);
        Assert.NotNull(row);
        Assert.Equal(CaseStatus.Failed, row.GetString(ResultColumns.Status));
        Assert.Contains(reason, row.GetString(ResultColumns.Error));
        Assert.Contains(caseId, row.GetString(ResultColumns.Error));
        Assert.Empty(await Host.ResultFilesAsync(caseId));
        Assert.Equal(1, Host.PreprocessRuns(run.InstanceId));
        await AssertUnchanged(blob, content, run.InstanceId);
    }

    [Fact]
    public async Task Blob_that_is_not_a_zip_is_rejected_by_name_without_a_run()
    {
        var blob = await Host.UploadAsync("notes.txt", "a note"u8.ToArray());

        Assert.Equal(IntakeResult.Rejected, await Host.DeliverAsync(blob));

        var row = (await Host.RowAsync("notes.txt"))!;
        Assert.Equal(CaseStatus.Failed, row.GetString(ResultColumns.Status));
        Assert.Contains("must be a .zip file", row.GetString(ResultColumns.Error));
        Assert.Null(await Host.Client.GetInstanceAsync(await Host.InstanceIdOf(blob)));
    }

    [Fact]
    public async Task Archive_over_the_size_cap_is_rejected_without_a_run()
    {
        var intake = new CaseIntake(Host.Services.GetRequiredService<ResultsTable>(),
            new IntakeOptions { MaxArchiveBytes = 1000 }, TimeProvider.System, NullLogger<CaseIntake>.Instance);
        var content = TestArchives.Case(5);
        var blob = await Host.UploadAsync("oversized.zip", content);

        Assert.Equal(IntakeResult.Rejected, await intake.AcceptAsync(blob, Host.Client));

        var row = (await Host.RowAsync("oversized"))!;
        Assert.Equal(CaseStatus.Failed, row.GetString(ResultColumns.Status));
        Assert.Contains("at most 1000 is accepted", row.GetString(ResultColumns.Error));
        Assert.Null(await Host.Client.GetInstanceAsync(await Host.InstanceIdOf(blob)));
        Assert.Empty(await Host.ResultFilesAsync("oversized"));
    }

    private async Task AssertUnchanged(Azure.Storage.Blobs.BlobClient blob, byte[] content, string instanceId)
    {
        BlobProperties properties = await blob.GetPropertiesAsync();
        var etag = properties.ETag.ToString();
        Assert.Equal(instanceId, ArchiveNames.InstanceId(blob.BlobContainerName, blob.Name, etag));
        Assert.Equal(content, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }
}

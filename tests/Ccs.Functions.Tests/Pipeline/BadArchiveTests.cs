using Azure.Storage.Blobs.Models;
using Ccs.Functions.Intake;
using Ccs.Functions.Pipeline;
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
        var (build, reason, wholeArchive) = TestArchives.Bad[kind];
        var content = build();

        var (blob, run) = await Host.RunAsync($"{caseId}.zip", content);

        // The blob name is a safe key plus .zip, so the archive id is the name without it, as is the case id.
        Assert.Equal(caseId, ArchiveNames.ArchiveId(blob.Name));
        var archive = (await Host.ArchiveRowAsync(caseId))!;
        Assert.Equal(run.InstanceId, archive.GetString(ResultColumns.InstanceId));
        var failed = wholeArchive ? archive : (await Host.RowAsync(caseId, caseId))!;
        Assert.Equal(CaseStatus.Failed, failed.GetString(ResultColumns.Status));
        Assert.Contains(reason, failed.GetString(ResultColumns.Error));
        Assert.Contains(caseId, failed.GetString(ResultColumns.Error));
        var outcome = run.ReadOutputAs<ArchiveOutcome>()!;
        if (wholeArchive)
        {
            Assert.Empty(await Host.CaseRowsAsync(caseId));
            Assert.Contains(reason, outcome.Error);
        }
        else
        {
            Assert.Equal(CaseStatus.Running, archive.GetString(ResultColumns.Status));
            Assert.Equal(caseId, archive.GetString(ResultColumns.Cases));
            Assert.Equal(caseId, Assert.Single(outcome.Failed).CaseId);
            Assert.Null(outcome.Error);
        }

        Assert.Empty(await Host.CaseFilesAsync(caseId));
        Assert.Equal(1, Host.PreprocessRuns(run.InstanceId));
        await AssertUnchanged(blob, content, run.InstanceId);
    }

    [Fact]
    public async Task Blob_that_is_not_a_zip_is_rejected_by_name_without_a_run()
    {
        var blob = await Host.UploadAsync("notes.txt", "a note"u8.ToArray());

        Assert.Equal(IntakeResult.Rejected, await Host.DeliverAsync(blob));

        var archiveId = ArchiveNames.ArchiveId(blob.Name);
        Assert.StartsWith("notes.txt-", archiveId);
        var row = (await Host.ArchiveRowAsync(archiveId))!;
        Assert.Equal(CaseStatus.Failed, row.GetString(ResultColumns.Status));
        Assert.Equal("notes.txt: a case archive must be a .zip file", row.GetString(ResultColumns.Error));
        Assert.Equal("notes.txt", row.GetString(ResultColumns.SourceBlob));
        Assert.Empty(await Host.CaseRowsAsync("notes.txt"));
        Assert.Empty(await Host.CaseRowsAsync("notes"));
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

        var row = (await Host.ArchiveRowAsync("oversized"))!;
        Assert.Equal(CaseStatus.Failed, row.GetString(ResultColumns.Status));
        Assert.Contains("oversized.zip: archive is", row.GetString(ResultColumns.Error));
        Assert.Contains("at most 1000 is accepted", row.GetString(ResultColumns.Error));
        Assert.Null(await Host.Client.GetInstanceAsync(await Host.InstanceIdOf(blob)));
        Assert.Empty(await Host.CaseRowsAsync("oversized"));
        Assert.Empty(await Host.CaseFilesAsync("oversized"));
    }

    private async Task AssertUnchanged(Azure.Storage.Blobs.BlobClient blob, byte[] content, string instanceId)
    {
        BlobProperties properties = await blob.GetPropertiesAsync();
        var etag = properties.ETag.ToString();
        Assert.Equal(instanceId, ArchiveNames.InstanceId(blob.BlobContainerName, blob.Name, etag));
        Assert.Equal(content, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }
}

using Azure;
using Ccs.Functions.Intake;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;
using Microsoft.DurableTask;

namespace Ccs.Functions.Tests.Intake;

public sealed class ArchiveNamesTests
{
    [Theory]
    [InlineData("case-1.zip", "case-1")]
    [InlineData("folder/sub/Case_2.ZIP", "Case_2")]
    [InlineData("my scan (3).zip", "my_scan__3_")]
    [InlineData(".hidden.zip", "_.hidden")]
    public void Archive_id_is_the_file_stem_made_safe(string blobName, string expected)
    {
        Assert.Equal(expected, ArchiveNames.ArchiveId(blobName));
        Assert.True(ResultKeys.IsValid(ArchiveNames.ArchiveId(blobName)));
    }

    [Fact]
    public void Instance_id_follows_the_blob_version()
    {
        var first = ArchiveNames.InstanceId("cases", "a.zip", "\"0x1\"");

        Assert.Equal(first, ArchiveNames.InstanceId("cases", "a.zip", "\"0x1\""));
        Assert.NotEqual(first, ArchiveNames.InstanceId("cases", "a.zip", "\"0x2\""));
        Assert.NotEqual(first, ArchiveNames.InstanceId("cases", "b.zip", "\"0x1\""));
        Assert.Matches("^case-[0-9a-f]{32}$", first);
    }

    [Fact]
    public void Long_names_are_cut_to_the_key_length()
    {
        Assert.Equal(ResultKeys.MaxLength, ArchiveNames.ArchiveId(new string('x', 200) + ".zip").Length);
    }

    [Fact]
    public void Only_passing_storage_failures_count_as_transient()
    {
        Assert.True(TransientStorage.IsTransient(new RequestFailedException(503, "busy")));
        Assert.True(TransientStorage.IsTransient(new RequestFailedException(0, "connection refused")));
        Assert.True(TransientStorage.IsTransient(new AggregateException(new RequestFailedException(0, "refused"))));
        Assert.False(TransientStorage.IsTransient(new RequestFailedException(404, "not found")));
        Assert.False(TransientStorage.IsTransient(new RequestFailedException(412, "condition not met")));
        Assert.False(TransientStorage.IsTransient(new InvalidOperationException("bug")));
    }

    [Fact]
    public void Retry_filter_looks_through_wrapped_failures()
    {
        var wrapped = new TaskFailureDetails("Microsoft.Azure.WebJobs.Host.FunctionInvocationException", "failed", null,
            new TaskFailureDetails(typeof(TransientStorageException).FullName!, "storage down", null, null, null),
            null);

        Assert.True(TransientStorage.IsTransient(wrapped));
        Assert.False(TransientStorage.IsTransient(
            new TaskFailureDetails(typeof(InvalidOperationException).FullName!, "bug", null, null, null)));
    }
}

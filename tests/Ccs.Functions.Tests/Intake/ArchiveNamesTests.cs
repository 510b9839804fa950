using System.Security.Cryptography;
using System.Text;
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
    [InlineData("Case_2.v3.zip", "Case_2.v3")]
    [InlineData("case-20250101T120000-0a1b2c3d.zip", "case-20250101T120000-0a1b2c3d")]
    public void A_blob_name_that_is_already_a_safe_key_is_its_own_archive_id(string blobName, string expected)
    {
        Assert.Equal(expected, ArchiveNames.ArchiveId(blobName));
    }

    [Theory]
    [InlineData("folder/sub/Case_2.ZIP", "folder_sub_Case_2.ZIP")]
    [InlineData("clinicA/x.zip", "clinicA_x")]
    [InlineData("my scan (3).zip", "my_scan__3_")]
    [InlineData(".hidden.zip", "_.hidden")]
    [InlineData("x", "x")]
    [InlineData("Zürich.zip", "Z_rich")]
    [InlineData("x-0123456789.zip", "x-0123456789")]
    public void Any_other_name_gets_its_safe_form_and_a_hash_of_the_exact_name(string blobName, string safe)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)))[..10];

        Assert.Equal($"{safe}-{hash}", ArchiveNames.ArchiveId(blobName));
        Assert.True(ResultKeys.IsValid(ArchiveNames.ArchiveId(blobName)));
    }

    [Fact]
    public void Names_that_share_a_safe_form_get_different_archive_ids()
    {
        // The last one is named like the hashed id of the stray blob "x" and must not take it.
        string[] names =
        [
            "x.zip", "x", "x.ZIP", "x.zip.zip", "clinicA/x.zip", "clinicB/x.zip", "clinicA_x.zip", "clinicA/x",
            "Zürich.zip", "Zärich.zip", "Z_rich.zip", "Z rich.zip", ArchiveNames.ArchiveId("x") + ".zip",
        ];

        var ids = names.Select(ArchiveNames.ArchiveId).ToList();

        Assert.Equal(names.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.True(ResultKeys.IsValid(id), id));
    }

    [Fact]
    public void Long_names_are_cut_to_the_key_length_and_kept_apart_by_the_hash()
    {
        var first = ArchiveNames.ArchiveId(new string('x', 200) + "1.zip");
        var second = ArchiveNames.ArchiveId(new string('x', 200) + "2.zip");

        Assert.Equal(ResultKeys.MaxLength, first.Length);
        Assert.StartsWith(new string('x', 53) + "-", first);
        Assert.NotEqual(first, second);
        Assert.Equal(new string('y', 64), ArchiveNames.ArchiveId(new string('y', 64) + ".zip"));
        Assert.Equal(ResultKeys.MaxLength, ArchiveNames.ArchiveId(new string('y', 65) + ".zip").Length);
    }

    [Theory]
    [InlineData("case-1.zip", "case-1")]
    [InlineData("folder/sub/Case_2.ZIP", "Case_2")]
    [InlineData("my scan (3).zip", "my_scan__3_")]
    public void Safe_stem_is_the_file_name_without_folders_or_extension(string blobName, string expected)
    {
        Assert.Equal(expected, ArchiveNames.SafeStem(blobName));
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

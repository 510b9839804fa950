using Ccs.Core.Models;
using Ccs.Functions.Models;
using Ccs.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ccs.Functions.Tests.Models;

[Collection(PipelineCollection.Name)]
public sealed class ModelSetProviderTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Models_container_is_downloaded_to_the_cache_and_loaded()
    {
        var container = await UploadTinyModelsAsync("models-good", tamper: false);
        using var cache = new TempFolder();
        using var provider = Provider(container, cache.Path);

        var models = await provider.GetAsync();

        Assert.Equal("tiny-1", models.Manifest.Version);
        Assert.Equal(["alpha", "beta"], models.Backbones.Select(b => b.Id));
        Assert.StartsWith(cache.Path, models.Folder);
        Assert.Same(models, await provider.GetAsync());
    }

    [Fact]
    public async Task Tampered_model_in_the_container_fails_the_load_with_the_file_named()
    {
        var container = await UploadTinyModelsAsync("models-tampered", tamper: true);
        using var cache = new TempFolder();
        using var provider = Provider(container, cache.Path);

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => provider.GetAsync());

        Assert.Equal("beta/fold2.onnx", e.File);
        Assert.Contains("SHA-256", e.Message);
        Assert.False(provider.IsLoaded);
    }

    private ModelSetProvider Provider(string container, string cache) =>
        new(new ModelSource(RepoPaths.TinyModels, container, cache), new InferenceOptions { IntraOpThreads = 1 },
            fixture.Host.Storage, NullLogger<ModelSetProvider>.Instance);

    private async Task<string> UploadTinyModelsAsync(string name, bool tamper)
    {
        var container = fixture.Host.Storage.Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.TinyModels, "*", SearchOption.AllDirectories))
        {
            var path = Path.GetRelativePath(RepoPaths.TinyModels, file).Replace('\\', '/');
            var content = await File.ReadAllBytesAsync(file);
            if (tamper && path == "beta/fold2.onnx")
            {
                content[^1] ^= 0xFF;
            }

            await container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        }

        return name;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ccs-models-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

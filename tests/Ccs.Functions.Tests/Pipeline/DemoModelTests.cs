using Ccs.Core.Pipeline;
using Ccs.Functions.Results;
using Ccs.Functions.Tests.Infrastructure;

namespace Ccs.Functions.Tests.Pipeline;

/// <summary>
/// End to end on the demo model set as deployed with the app (models/manifest.json and the four backbones' folds,
/// copied beside the Functions app at build), sharing the collection's Azurite but with its own pipeline.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class DemoModelTests(PipelineFixture fixture)
{
    private static readonly string[] Backbones = ["resnet50", "vgg16", "mobilenet_v3_large", "efficientnet_v2_s"];

    [Fact]
    public async Task Demo_models_complete_a_case_with_all_four_backbones()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.DemoModels, "manifest.json")),
            $"the demo model set is missing from {RepoPaths.DemoModels}");
        await using var host = await PipelineHost.StartAsync(fixture.Azurite, RepoPaths.DemoModels);

        await host.RunAsync("demo-e2e.zip", TestArchives.Case(80, """{ "age": 58, "sex": "M" }"""));

        await AssertCompleted(host, "demo-e2e", "demo-e2e");
    }

    [SeedFact]
    public async Task Seed_batch_completes_both_cases_on_the_demo_models()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.DemoModels, "manifest.json")),
            $"the demo model set is missing from {RepoPaths.DemoModels}");
        await using var host = await PipelineHost.StartAsync(fixture.Azurite, RepoPaths.DemoModels);
        var seed = new DirectoryInfo(RepoPaths.SeedSamples);
        var files = seed.EnumerateFiles("*", SearchOption.AllDirectories).Select(f =>
            new KeyValuePair<string, byte[]>(Path.GetRelativePath(seed.FullName, f.FullName).Replace('\\', '/'),
                File.ReadAllBytes(f.FullName)));

        await host.RunAsync("seed-batch.zip", TestArchives.Zip(files));

        foreach (var caseId in new[] { "case_0", "case_1" })
        {
            await AssertCompleted(host, caseId, "seed-batch");
        }
    }

    private static async Task AssertCompleted(PipelineHost host, string caseId, string archiveId)
    {
        var row = (await host.RowAsync(caseId, archiveId))!;
        Assert.Equal(CaseStatus.Completed, row.GetString(ResultColumns.Status));
        var input = Images.Pixels(await host.ResultAsync(caseId, archiveId, ArtifactNames.Input));
        foreach (var backbone in Backbones)
        {
            Assert.InRange(row.GetDouble(ResultColumns.Probability(backbone))!.Value, 0, 1);
            var overlay = await host.ResultAsync(caseId, archiveId, ArtifactNames.GradCam(backbone));
            Assert.NotEqual(input, Images.Pixels(overlay));
        }

        var ensemble = await host.ResultAsync(caseId, archiveId, ArtifactNames.GradCam(ArtifactNames.Ensemble));
        Assert.NotEqual(input, Images.Pixels(ensemble));
        Assert.NotNull(row.GetString(ResultColumns.AdjustedModel));
    }
}

/// <summary>A test that needs the shared seed samples; skipped where they are absent (a clone elsewhere).</summary>
public sealed class SeedFactAttribute : FactAttribute
{
    public SeedFactAttribute()
    {
        if (!Directory.Exists(RepoPaths.SeedSamples))
        {
            Skip = $"the seed samples are not at {RepoPaths.SeedSamples}";
        }
    }
}

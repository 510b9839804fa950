using System.Text.Json.Nodes;
using Ccs.Core.Models;

namespace Ccs.Core.Tests;

public sealed class ModelSetTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A copy of the tiny model set whose manifest the test may edit.</summary>
    private string CopyTiny(Action<JsonNode>? edit = null) => _files.ModelSetCopy(TestFiles.TinyModels, "models", edit);

    private static ModelLoadException LoadFails(string folder) =>
        Assert.Throws<ModelLoadException>(() => ModelSet.Load(folder, new InferenceOptions { IntraOpThreads = 1 }));

    [Fact]
    public void The_tiny_set_loads_every_backbone_and_fold()
    {
        using var models = ModelSet.Load(CopyTiny(), new InferenceOptions { IntraOpThreads = 1 });

        Assert.Equal(["alpha", "beta"], models.Backbones.Select(b => b.Id));
        Assert.All(models.Backbones, b => Assert.Equal([1, 2], b.Folds.Select(f => f.Fold)));
    }

    [Fact]
    public void A_changed_file_fails_its_hash_check()
    {
        var folder = CopyTiny();
        File.AppendAllText(Path.Combine(folder, "beta", "fold2.onnx"), " ");

        var error = LoadFails(folder);

        Assert.Equal("beta/fold2.onnx", error.File);
        Assert.Contains("SHA-256 is", error.Message);
    }

    [Fact]
    public void A_missing_fold_file_is_named()
    {
        var folder = CopyTiny();
        File.Delete(Path.Combine(folder, "alpha", "fold1.onnx"));

        Assert.Contains("alpha/fold1.onnx: fold 1 file is missing", LoadFails(folder).Message);
    }

    [Fact]
    public void An_output_the_models_lack_is_named()
    {
        var error = LoadFails(CopyTiny(m => m["outputs"]!["camWeights"] = "grads"));

        Assert.Contains("has no output named 'grads' (it has: logit, features, cam_weights)", error.Message);
    }

    [Fact]
    public void A_feature_shape_that_differs_from_the_manifest_is_named()
    {
        var error = LoadFails(CopyTiny(m => m["backbones"]![0]!["features"]!["channels"] = 8));

        Assert.Contains("output 'features' has shape [N, 4, 2, 3], the contract needs [N, 4, 2, 8]", error.Message);
    }

    [Fact]
    public void A_wrong_input_size_is_named()
    {
        var error = LoadFails(CopyTiny(m => m["input"]!["height"] = 256));

        Assert.Contains("input 'image' has shape [N, 224, 112, 3], the contract needs [N, 256, 112, 3]", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_by_name()
    {
        var folder = CopyTiny(m =>
        {
            var fold = m["backbones"]![0]!["folds"]![0]!;
            fold["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("junk"u8));
        });
        File.WriteAllText(Path.Combine(folder, "alpha", "fold1.onnx"), "junk");

        var error = LoadFails(folder);

        Assert.Equal("alpha/fold1.onnx", error.File);
        Assert.Contains("ONNX Runtime cannot load it", error.Message);
    }

    [Fact]
    public void A_regression_missing_a_backbone_coefficient_is_refused()
    {
        var error = LoadFails(CopyTiny(m =>
            m["demographics"]!["models"]![0]!["coefficients"]!.AsObject().Remove("beta")));

        Assert.Contains("demographics model 'age' has coefficients for [age, alpha], expected [age, alpha, beta]",
            error.Message);
    }

    [Fact]
    public void An_unsupported_schema_is_refused()
    {
        Assert.Contains("schemaVersion 2 is not supported", LoadFails(CopyTiny(m => m["schemaVersion"] = 2)).Message);
    }

    [Theory]
    [InlineData("../outside.onnx")]
    [InlineData("/etc/hostname")]
    [InlineData("")]
    public void A_fold_file_outside_the_manifest_folder_is_refused(string file)
    {
        var folder = CopyTiny(m => m["backbones"]![0]!["folds"]![0]!["file"] = file);

        Assert.Contains("is not a path inside the manifest's folder", LoadFails(folder).Message);
    }

    [Fact]
    public void A_fold_listed_twice_is_refused()
    {
        var folder = CopyTiny(m => m["backbones"]![0]!["folds"]![1]!["fold"] = 1);

        Assert.Contains("lists fold 1 more than once", LoadFails(folder).Message);
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("INT8")]
    public void An_unknown_precision_is_refused(string precision)
    {
        var folder = CopyTiny(m => m["precision"] = precision);

        Assert.Contains($"precision '{precision}' is not known", LoadFails(folder).Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(7.0)]
    public void A_threshold_outside_0_and_1_is_refused(double threshold)
    {
        var folder = CopyTiny(m => m["demographics"]!["threshold"] = threshold);

        Assert.Contains("demographics.threshold must lie between 0 and 1", LoadFails(folder).Message);
    }

    [Fact]
    public void A_missing_threshold_is_refused_rather_than_read_as_0()
    {
        var folder = CopyTiny(m => m["demographics"]!.AsObject().Remove("threshold"));

        Assert.Contains("demographics.threshold must lie between 0 and 1", LoadFails(folder).Message);
    }

    [Fact]
    public void A_folder_without_a_manifest_is_named()
    {
        Assert.Contains("model manifest not found", LoadFails(_files.Root).Message);
    }
}

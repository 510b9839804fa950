using System.Text.Json;
using Ccs.Cli;
using Ccs.Cli.Commands;
using Ccs.Core.Models;
using Ccs.Core.Preprocessing;
using Ccs.Core.Reports;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Ccs.Core.Tests;

/// <summary>Runs the <c>ccs</c> commands in-process; one at a time, since they write to the console.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public sealed class PredictCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Code, string Out, string Error) Ccs(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = CommandLine.Dispatch(args, new Dictionary<string, Func<string[], int>>
            {
                ["predict"] = PredictCommand.Run,
                ["evaluate"] = EvaluateCommand.Run,
            });
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public void Predict_writes_every_output_and_the_numbers_the_models_give()
    {
        var files = TestFiles.Slices();
        files["case.json"] = """{"caseId": "e2e-1", "age": 55, "sex": "F"}"""u8.ToArray();
        var input = _files.Folder("e2e", files);
        var outRoot = Path.Combine(_files.Root, "out");

        var (code, stdout, _) = Ccs("predict", input, "--models", TestFiles.TinyModels, "--out", outRoot,
            "--threads", "1");

        Assert.Equal(CommandLine.Success, code);
        var caseFolder = Path.Combine(outRoot, "e2e-1");
        Assert.Equal(["gradcam_alpha.png", "gradcam_beta.png", "gradcam_ensemble.png", "input.png", "report.html",
            "report.json"], Directory.GetFiles(caseFolder).Select(Path.GetFileName).Order());
        var report = CaseReport.FromJson(File.ReadAllBytes(Path.Combine(caseFolder, "report.json")));
        Assert.Equal(CaseReport.CurrentSchema, report.Schema);

        using var models = ModelSet.Load(TestFiles.TinyModels, new InferenceOptions { IntraOpThreads = 1 });
        var cases = Cases.CaseReader.Open(input, Cases.CaseLimits.Default);
        var tensor = Preprocessor.Prepare(cases[0].Load()).Tensor;
        var alpha = models.Backbone("alpha").Predict(tensor);
        var beta = models.Backbone("beta").Predict(tensor);
        Assert.Equal(alpha.Folds[0].Logit, report.Backbones[0].Folds[0].Logit, 6);
        Assert.Equal(beta.Probability, report.Backbones[1].Probability, 6);
        Assert.Equal((alpha.Probability + beta.Probability) / 2, report.Ensemble.Probability, 6);
        Assert.Equal("age_sex", report.Label.Basis);
        Assert.Equal(report.Demographics[0].Probability >= 0.5, report.Label.Positive);
        Assert.Equal(files["1.png"].Length > 0, report.Input.Slices[1].Sha256.Length == 64);
        Assert.Contains("e2e-1", stdout);
        var ensemble = report.Ensemble.Probability.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(ensemble, stdout);

        using var overlay = Image.Load<Rgb24>(Path.Combine(caseFolder, "gradcam_ensemble.png"));
        using var merged = Image.Load<Rgb24>(Path.Combine(caseFolder, "input.png"));
        Assert.Equal((112, 224), (overlay.Width, overlay.Height));
        Assert.NotEqual(merged[50, 50], overlay[50, 50]);
        var html = File.ReadAllText(Path.Combine(caseFolder, "report.html"));
        Assert.Contains("gradcam_alpha.png", html);
        Assert.Contains("Stenosis", html);
    }

    [Fact]
    public void A_bad_case_in_a_batch_exits_2_names_the_file_and_writes_nothing_for_it()
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var (name, bytes) in TestFiles.Slices())
        {
            files[$"good/{name}"] = bytes;
            files[$"bad/{name}"] = bytes;
        }

        files["bad/2.png"] = TestFiles.Rgb(112, 224);
        var outRoot = Path.Combine(_files.Root, "out");

        var (code, _, stderr) = Ccs("predict", _files.Folder("batch", files), "--models", TestFiles.TinyModels,
            "--out", outRoot);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains("case 'bad': 2.png: slices must be grayscale PNGs", stderr);
        Assert.Equal(["good"], Directory.GetFileSystemEntries(outRoot).Select(Path.GetFileName));
    }

    [Fact]
    public void Models_that_break_the_contract_stop_before_any_case()
    {
        var (code, _, stderr) = Ccs("predict", _files.Folder("c", TestFiles.Slices()), "--models", _files.Root);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains("model manifest not found", stderr);
    }

    [Theory]
    [InlineData("--threshold", "1.5", "--threshold must be a number from 0 to 1")]
    [InlineData("--threshold", "NaN", "--threshold must be a number from 0 to 1")]
    [InlineData("--threshold", "Infinity", "--threshold must be a number from 0 to 1")]
    [InlineData("--colour", "red", "unknown option --colour")]
    public void A_wrong_option_exits_2(string option, string value, string message)
    {
        var (code, _, stderr) = Ccs("predict", _files.Root, option, value, "--models", TestFiles.TinyModels);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_usage_and_succeeds(string flag)
    {
        var (code, stdout, _) = Ccs(flag);

        Assert.Equal(CommandLine.Success, code);
        Assert.Contains("usage: ccs <predict|evaluate>", stdout);
    }

    [Fact]
    public void Without_threshold_the_model_set_threshold_labels_the_case()
    {
        var input = _files.Folder("at-threshold", TestFiles.Slices());
        var strict = _files.ModelSetCopy(TestFiles.TinyModels, "strict-models",
            m => m["demographics"]!["threshold"] = 0.999999);

        var (looseCode, loose, _) = Ccs("predict", input, "--models", TestFiles.TinyModels, "--out",
            Path.Combine(_files.Root, "loose"));
        var (strictCode, strictOut, _) = Ccs("predict", input, "--models", strict, "--out",
            Path.Combine(_files.Root, "strict"));

        Assert.Equal((CommandLine.Success, CommandLine.Success), (looseCode, strictCode));
        using var looseReport = JsonDocument.Parse(File.ReadAllBytes(
            Path.Combine(_files.Root, "loose", "at-threshold", "report.json")));
        using var strictReport = JsonDocument.Parse(File.ReadAllBytes(
            Path.Combine(_files.Root, "strict", "at-threshold", "report.json")));
        Assert.Equal(0.5, looseReport.RootElement.GetProperty("threshold").GetDouble());
        Assert.Equal(0.999999, strictReport.RootElement.GetProperty("threshold").GetDouble());
        Assert.NotEqual(loose, strictOut);
    }

    [SeedFact]
    public void The_real_sample_cases_run_with_the_demo_models()
    {
        var outRoot = Path.Combine(_files.Root, "seed-out");

        var (code, stdout, stderr) = Ccs("predict", TestFiles.SeedSamples, "--out", outRoot,
            "--models", TestFiles.DemoModels);

        Assert.True(code == CommandLine.Success, stderr);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestFiles.DemoModels, "manifest.json")));
        var backbones = manifest.RootElement.GetProperty("backbones").EnumerateArray()
            .Select(b => b.GetProperty("id").GetString()!).ToList();
        Assert.Equal(4, backbones.Count);
        foreach (var caseId in new[] { "case_0", "case_1" })
        {
            var report = CaseReport.FromJson(File.ReadAllBytes(Path.Combine(outRoot, caseId, "report.json")));
            Assert.Equal(backbones, report.Backbones.Select(b => b.Id));
            Assert.All(report.Backbones, b => Assert.Equal(3, b.Folds.Count));
            Assert.Equal(report.Backbones.Average(b => b.Probability), report.Ensemble.Probability, 9);
            Assert.Equal("age_sex", report.Label.Basis);
            foreach (var name in backbones.Append("ensemble"))
            {
                using var png = Image.Load<Rgb24>(Path.Combine(outRoot, caseId, $"gradcam_{name}.png"));
                Assert.Equal((112, 224), (png.Width, png.Height));
            }

            Assert.Contains(caseId, stdout);
        }
    }

    [Fact]
    public void Two_cases_with_one_case_id_do_not_overwrite_each_other()
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var (name, bytes) in TestFiles.Slices())
        {
            files[$"a/{name}"] = bytes;
            files[$"b/{name}"] = bytes;
        }

        files["b/case.json"] = """{"caseId": "a"}"""u8.ToArray();
        var outRoot = Path.Combine(_files.Root, "out");

        var (code, _, stderr) = Ccs("predict", _files.Folder("same-id", files), "--models", TestFiles.TinyModels,
            "--out", outRoot);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains("case id 'a' is already used by", stderr);
        var report = CaseReport.FromJson(File.ReadAllBytes(Path.Combine(outRoot, "a", "report.json")));
        Assert.EndsWith("a", report.Input.Source);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_exits_2_with_its_path()
    {
        var blocker = Path.Combine(_files.Root, "not-a-folder");
        File.WriteAllText(blocker, "");

        var (code, _, stderr) = Ccs("predict", _files.Folder("c", TestFiles.Slices()), "--models",
            TestFiles.TinyModels, "--out", blocker);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains("cannot write the outputs to", stderr);
    }

    [Fact]
    public void Evaluate_exits_2_when_a_case_was_invalid()
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var (name, bytes) in TestFiles.Slices())
        {
            files[$"good/{name}"] = bytes;
            files[$"bad/{name}"] = bytes;
        }

        files["good/case.json"] = """{"label": 1}"""u8.ToArray();
        files["bad/1.png"] = TestFiles.Rgb(112, 224);

        var (code, stdout, stderr) = Ccs("evaluate", _files.Folder("eval", files), "--models", TestFiles.TinyModels);

        Assert.Equal(CommandLine.BadInput, code);
        Assert.Contains("1 cases, 1 with CCS", stdout);
        Assert.Contains("1 cases were invalid", stderr);
    }
}

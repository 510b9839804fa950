using System.Globalization;
using System.Text.RegularExpressions;
using Ccs.Cli;
using Ccs.Cli.Commands;

namespace Ccs.Core.Tests;

/// <summary>
/// <c>ccs bench</c> on the committed model sets, two timed cases: every stage and figure the benchmark promises is
/// printed with a number. The numbers themselves are the benchmark's business, not a test's.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class BenchCommandTests
{
    private static readonly string[] Stages =
        ["decode", "preprocess", "resnet50", "vgg16", "mobilenet_v3_large", "efficientnet_v2_s", "gradcam", "png",
            "report", "total"];

    private static (int Code, string Out) Bench(params string[] args)
    {
        var stdout = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var code = CommandLine.Dispatch(["bench", .. args],
                new Dictionary<string, Func<string[], int>> { ["bench"] = BenchCommand.Run });
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    /// <summary>The median and p95 printed for a stage.</summary>
    private static (double Median, double P95) Stage(string output, string stage)
    {
        var match = Regex.Match(output, $@"^{stage}\s+([0-9.]+)\s+([0-9.]+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{stage}' line in:\n{output}");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Bench_prints_every_stage_and_figure_for_the_int8_demo_set()
    {
        var (code, output) = Bench("--models", Path.Combine(TestFiles.DemoModels, "int8"), "--cases", "2",
            "--threads", "1");

        Assert.Equal(CommandLine.Success, code);
        foreach (var stage in Stages)
        {
            var (median, p95) = Stage(output, stage);
            Assert.True(median >= 0 && p95 >= median, $"{stage}: median {median}, p95 {p95}");
        }

        Assert.True(Stage(output, "total").Median >= Stage(output, "vgg16").Median);
        Assert.Matches(@"cases per minute\s+[0-9.]+", output);
        Assert.Matches(@"cold start \(load all\)\s+[0-9]+ ms for 12 sessions", output);
        Assert.Matches(@"peak working set\s+[0-9]+ MB", output);
        Assert.Matches(@"outside session\.Run\s+[0-9.]+% of case time", output);
        Assert.Contains("model set precision int8", output);
    }

    [Fact]
    public void Parallel_backbones_time_each_backbone_and_the_case()
    {
        var (code, output) = Bench("--models", TestFiles.DemoModels, "--cases", "2", "--threads", "1",
            "--parallel-backbones", "--concurrency", "2");

        Assert.Equal(CommandLine.Success, code);
        Assert.Contains("2 backbones at once", output);
        foreach (var stage in Stages.Where(s => s is not ("decode" or "preprocess" or "gradcam" or "png" or "report")))
        {
            Stage(output, stage);
        }

        Assert.DoesNotContain("model set precision int8", output);
    }

    [Fact]
    public void Flops_that_are_not_positive_numbers_are_named_and_no_whole_case_rate_is_made_up()
    {
        using var files = new TestFiles();
        var folder = files.ModelSetCopy(TestFiles.DemoModels, "models", manifest =>
        {
            manifest["backbones"]![0]!["flops"] = -5;
            manifest["backbones"]![1]!["flops"] = "x";
            manifest["backbones"]![2]!["flops"] = 1e9;
        });

        var (code, output) = Bench("--models", folder, "--cases", "1", "--threads", "1");

        Assert.Equal(CommandLine.Success, code);
        Assert.Contains("'flops' left out, not a positive number: resnet50 (-5), vgg16 (\"x\")", output);
        Assert.Matches(@"mobilenet_v3_large\s+1\.000\s+3\s", output);
        Assert.Contains("whole case: not counted, the manifest gives no 'flops' for resnet50, vgg16, efficientnet_v2_s",
            output);
    }

    [Fact]
    public void A_models_folder_without_a_manifest_exits_2_before_any_case_is_written()
    {
        var (code, _) = Bench("--models", Path.Combine(TestFiles.RepoRoot, "no-such-models"), "--cases", "10000");

        Assert.Equal(CommandLine.BadInput, code);
    }

    [Fact]
    public void Concurrency_without_parallel_backbones_is_a_usage_error()
    {
        var (code, _) = Bench("--models", TestFiles.DemoModels, "--concurrency", "2");

        Assert.NotEqual(CommandLine.Success, code);
    }
}

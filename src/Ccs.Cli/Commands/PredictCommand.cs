using System.Diagnostics;
using System.Globalization;
using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;

namespace Ccs.Cli.Commands;

/// <summary>
/// <c>ccs predict [folder|zip] [--out DIR] [--models DIR] [--threshold T] [--threads N]</c>: runs every case of the
/// input and writes its outputs to <c>DIR/&lt;caseId&gt;/</c>. Without an input it runs the bundled sample case.
/// </summary>
internal static class PredictCommand
{
    public static string BundledCase => Path.Combine(AppContext.BaseDirectory, "samples", "phantom-case");

    public static int Run(string[] args)
    {
        var parsed = new ParsedArguments(args, new HashSet<string>());
        var input = parsed.Positional.Count switch
        {
            0 => BundledCase,
            1 => parsed.Positional[0],
            _ => throw new UsageException("give one case folder, zip or batch folder"),
        };
        var outRoot = parsed.Text("out") ?? "out";
        var threshold = parsed.OptionalNumber("threshold", 0, 1);
        var loadModels = ModelOptions.Parse(parsed);
        parsed.RejectUnknown();
        try
        {
            using var models = loadModels();
            var cases = CaseReader.Open(input, CaseLimits.Default);
            return PredictAll(cases, new CasePredictor(models, threshold ?? models.Demographics.Threshold), outRoot);
        }
        catch (Exception e) when (e is InvalidCaseException or ModelLoadException or OutputException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CommandLine.BadInput;
        }
    }

    private static int PredictAll(IReadOnlyList<PendingCase> cases, CasePredictor predictor, string outRoot)
    {
        var table = new ResultTable(predictor.Models.Backbones.Select(b => b.Id).ToList());
        var failures = 0;
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var result = predictor.Predict(cases[i]);
                var caseId = result.Outcome.CaseId;
                if (written.TryGetValue(caseId, out var first))
                {
                    throw new InvalidCaseException(cases[i].Name, result.Report.Input.Source,
                        $"case id '{caseId}' is already used by {first} in this input; "
                        + "its outputs would replace those");
                }

                var folder = Write(outRoot, result);
                written[caseId] = result.Report.Input.Source;
                table.Add(result.Outcome);
                Progress(i, cases.Count, $"{caseId} done in {clock.ElapsedMilliseconds} ms -> {folder}");
            }
            catch (InvalidCaseException e)
            {
                failures++;
                Progress(i, cases.Count, $"error: {e.Message}");
            }
        }

        table.Print(Console.Out);
        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} of {cases.Count} cases failed; their outputs were not written");
            return CommandLine.BadInput;
        }

        return CommandLine.Success;
    }

    private static string Write(string outRoot, CaseResult result)
    {
        try
        {
            return CaseOutputWriter.Write(outRoot, result.Outcome.CaseId, result.Artifacts);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"cannot write the outputs to {Path.GetFullPath(outRoot)} ({e.Message})");
        }
    }

    private static void Progress(int index, int count, string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{index + 1}/{count}] {message}"));
}

/// <summary>The output folder cannot be written: a problem with where the user pointed it, not with a case.</summary>
internal sealed class OutputException(string message) : Exception(message);

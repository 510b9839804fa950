using System.Globalization;
using Ccs.Core.Cases;
using Ccs.Core.Evaluation;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;
using Ccs.Core.Preprocessing;

namespace Ccs.Cli.Commands;

/// <summary>
/// <c>ccs evaluate &lt;folder&gt; [--models DIR] [--threshold T] [--threads N]</c>: runs the models over labelled cases
/// and prints AUC, sensitivity and specificity per backbone, for the ensemble and for the demographics model.
/// </summary>
internal static class EvaluateCommand
{
    public static int Run(string[] args)
    {
        var parsed = new ParsedArguments(args, new HashSet<string>());
        if (parsed.Positional.Count != 1)
        {
            throw new UsageException("give one folder of labelled cases");
        }

        var given = parsed.OptionalNumber("threshold", 0, 1);
        var loadModels = ModelOptions.Parse(parsed);
        parsed.RejectUnknown();
        try
        {
            using var models = loadModels();
            var threshold = given ?? models.Demographics.Threshold;
            Console.Out.WriteLine($"models {models.Manifest.Name} {models.Manifest.Version} from {models.Folder}");
            var cases = CaseReader.Open(parsed.Positional[0], CaseLimits.Default with { MaxCases = 100_000 });
            var scores = Score(cases, models, threshold);
            if (scores.Labels.Count == 0)
            {
                Console.Error.WriteLine(
                    "error: no labelled case found (labels come from case.json or demographics.csv)");
                return CommandLine.BadInput;
            }

            scores.Print(Console.Out, threshold);
            if (scores.Invalid > 0)
            {
                Console.Error.WriteLine($"{scores.Invalid} cases were invalid and left out of the figures above");
                return CommandLine.BadInput;
            }

            return CommandLine.Success;
        }
        catch (Exception e) when (e is InvalidCaseException or ModelLoadException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CommandLine.BadInput;
        }
    }

    private static Scores Score(IReadOnlyList<PendingCase> cases, ModelSet models, double threshold)
    {
        var scores = new Scores([.. models.Backbones.Select(b => b.Id), "ensemble", "demographics"]);
        for (var i = 0; i < cases.Count; i++)
        {
            try
            {
                var input = cases[i].Load();
                if (input.Label is not { } label)
                {
                    Console.Error.WriteLine($"skipped {input.CaseId}: no label");
                    continue;
                }

                var tensor = Preprocessor.Prepare(input).Tensor;
                var predictions = models.Backbones.Select(b => b.Predict(tensor)).ToList();
                var outcome = CaseOutcome.Combine(input.CaseId, input.Demographics, predictions, models.Demographics,
                    threshold);
                var adjusted = outcome.Adjusted?.Probability ?? outcome.Ensemble;
                scores.Add(label == 1, [.. predictions.Select(p => p.Probability), outcome.Ensemble, adjusted]);
            }
            catch (InvalidCaseException e)
            {
                scores.Invalid++;
                Console.Error.WriteLine($"skipped: {e.Message}");
            }

            if ((i + 1) % 50 == 0 || i + 1 == cases.Count)
            {
                Console.Error.WriteLine($"evaluated {i + 1}/{cases.Count}");
            }
        }

        return scores;
    }

    private sealed class Scores(IReadOnlyList<string> models)
    {
        private readonly List<double>[] _scores = models.Select(_ => new List<double>()).ToArray();

        public List<bool> Labels { get; } = [];

        public int Invalid { get; set; }

        public void Add(bool label, double[] scores)
        {
            Labels.Add(label);
            for (var m = 0; m < scores.Length; m++)
            {
                _scores[m].Add(scores[m]);
            }
        }

        public void Print(TextWriter output, double threshold)
        {
            var positives = Labels.Count(l => l);
            output.WriteLine(Invariant($"{Labels.Count} cases, {positives} with CCS, threshold {threshold}"));
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, HeaderFormat,
                "model", "AUC", "sens", "spec", "TP", "FP", "FN", "TN"));
            for (var m = 0; m < models.Count; m++)
            {
                var auc = BinaryMetrics.Auc(_scores[m], Labels);
                var c = BinaryMetrics.At(_scores[m], Labels, threshold);
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat, models[m], auc,
                    c.Sensitivity, c.Specificity, c.TruePositive, c.FalsePositive, c.FalseNegative, c.TrueNegative));
            }

            output.WriteLine("demographics: the most informed logistic regression the case's age and sex allow");
        }

        private const string HeaderFormat = "{0,-20} {1,6} {2,6} {3,6} {4,5} {5,5} {6,5} {7,5}";
        private const string RowFormat = "{0,-20} {1,6:0.000} {2,6:0.000} {3,6:0.000} {4,5} {5,5} {6,5} {7,5}";

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}

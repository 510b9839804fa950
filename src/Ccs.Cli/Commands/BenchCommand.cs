using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;
using Ccs.Core.Preprocessing;
using Ccs.Phantoms;

namespace Ccs.Cli.Commands;

/// <summary>
/// <c>ccs bench [--models DIR] [--cases N] [--threads T] [--parallel-backbones] [--input DIR]</c>: runs the whole
/// per-case pipeline over phantom cases (or the cases in DIR) and prints per-stage median and p95 milliseconds, cases
/// per minute, the time to load every session, peak working set, and the share of each case spent outside
/// <c>InferenceSession.Run</c>.
/// </summary>
internal static class BenchCommand
{
    private const int WarmUpCases = 2;
    private const int BenchSeed = 515151;

    public static int Run(string[] args)
    {
        var parsed = new ParsedArguments(args, new HashSet<string> { "parallel-backbones" });
        var count = parsed.Integer("cases", 30, 1, 10_000);
        var threads = parsed.Integer("threads", 2, 1, 256);
        var parallel = parsed.Flag("parallel-backbones");
        var input = parsed.Text("input");
        var folder = parsed.Text("models") ?? ModelOptions.DefaultFolder;
        parsed.RejectUnknown();

        var scratch = Directory.CreateTempSubdirectory("ccs-bench-").FullName;
        try
        {
            var cases = LoadCases(input ?? WritePhantoms(scratch, count + WarmUpCases), count + WarmUpCases);
            var load = Stopwatch.StartNew();
            using var models = ModelSet.Load(folder, new InferenceOptions { IntraOpThreads = threads });
            var coldStart = load.Elapsed.TotalMilliseconds;
            var run = parallel ? RunParallel(models, cases) : RunSequential(models, cases);
            Print(Console.Out, models, run, coldStart, threads, parallel);
            return CommandLine.Success;
        }
        catch (Exception e) when (e is InvalidCaseException or ModelLoadException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CommandLine.BadInput;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record BenchRun(
        Dictionary<string, List<double>> Stages,
        List<double> CaseMs,
        double OutsideSessionShare,
        double WallMs);

    private static string WritePhantoms(string scratch, int count)
    {
        PhantomBatch.Write(count, BenchSeed, scratch, zip: false);
        return scratch;
    }

    private static List<CaseInput> LoadCases(string folder, int count)
    {
        var pending = CaseReader.Open(folder, CaseLimits.Default with { MaxCases = 100_000 });
        return [.. Enumerable.Range(0, count).Select(i => pending[i % pending.Count].Load())];
    }

    private static BenchRun RunSequential(ModelSet models, List<CaseInput> cases)
    {
        var predictor = new CasePredictor(models, 0.5);
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var caseMs = new List<double>();
        double session = 0, total = 0;
        var wall = new Stopwatch();
        for (var i = 0; i < cases.Count; i++)
        {
            if (i == WarmUpCases)
            {
                wall.Start();
            }

            var input = cases[i];
            var result = predictor.Predict(new PendingCase(input.CaseId, () => input));
            if (i < WarmUpCases)
            {
                continue;
            }

            foreach (var (stage, ms) in result.Report.TimingsMs)
            {
                stages.TryAdd(stage, []);
                stages[stage].Add(ms);
            }

            // Decoding is outside the pipeline's own work here: the cases were decoded before timing started.
            var caseTotal = result.Report.TimingsMs[CasePredictor.Stages.Total];
            caseMs.Add(caseTotal);
            total += caseTotal;
            session += result.Outcome.Backbones.Sum(b => b.SessionMilliseconds);
        }

        return new BenchRun(stages, caseMs, 1 - session / total, wall.Elapsed.TotalMilliseconds);
    }

    /// <summary>The four backbones of a case at once, as parallel RunBackbone activities on one instance do.</summary>
    private static BenchRun RunParallel(ModelSet models, List<CaseInput> cases)
    {
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var caseMs = new List<double>();
        double session = 0, total = 0;
        var wall = new Stopwatch();
        for (var i = 0; i < cases.Count; i++)
        {
            if (i == WarmUpCases)
            {
                wall.Start();
            }

            var clock = Stopwatch.StartNew();
            var tensor = Preprocessor.Prepare(cases[i]).Tensor;
            var predictions = new BackbonePrediction[models.Backbones.Count];
            Parallel.For(0, predictions.Length, b => predictions[b] = models.Backbones[b].Predict(tensor));
            var ms = clock.Elapsed.TotalMilliseconds;
            if (i < WarmUpCases)
            {
                continue;
            }

            foreach (var p in predictions)
            {
                stages.TryAdd(p.BackboneId, []);
                stages[p.BackboneId].Add(p.Milliseconds);
            }

            caseMs.Add(ms);
            total += ms * predictions.Length;
            session += predictions.Sum(p => p.SessionMilliseconds);
        }

        stages[CasePredictor.Stages.Total] = caseMs;
        return new BenchRun(stages, caseMs, 1 - session / total, wall.Elapsed.TotalMilliseconds);
    }

    private static void Print(TextWriter output, ModelSet models, BenchRun run, double coldStartMs, int threads,
        bool parallel)
    {
        var mode = parallel ? "4 backbones in parallel (preprocess + inference + Grad-CAM only)" : "sequential";
        var manifest = models.Manifest;
        output.WriteLine(Invariant($"models {manifest.Name} {manifest.Version}, {run.CaseMs.Count} cases"));
        output.WriteLine(Invariant($"+{WarmUpCases} warm-up, {threads} intra-op threads, {mode}"));
        output.WriteLine(Invariant($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}"));
        output.WriteLine($"{"stage",-22} {"median ms",10} {"p95 ms",10}");
        foreach (var (stage, values) in run.Stages.OrderBy(s => s.Key == CasePredictor.Stages.Total))
        {
            var (median, p95) = (Percentile(values, 50), Percentile(values, 95));
            output.WriteLine(Invariant($"{stage,-22} {median,10:0.00} {p95,10:0.00}"));
        }

        var perMinute = run.CaseMs.Count / (run.WallMs / 60_000);
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        output.WriteLine(Invariant($"cases per minute       {perMinute:0.0}"));
        var sessions = models.Backbones.Sum(b => b.Folds.Count);
        output.WriteLine(Invariant($"cold start (load all)  {coldStartMs:0} ms for {sessions} sessions"));
        output.WriteLine(Invariant($"peak working set       {peakMb:0} MB"));
        output.WriteLine(Invariant($"outside session.Run   {run.OutsideSessionShare:0.0%} of case time"));
    }

    private static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

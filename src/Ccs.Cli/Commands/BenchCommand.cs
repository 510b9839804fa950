using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Ccs.Core.Cases;
using Ccs.Core.Models;
using Ccs.Core.Pipeline;
using Ccs.Core.Preprocessing;
using Ccs.Phantoms;

namespace Ccs.Cli.Commands;

/// <summary>
/// <c>ccs bench [--models DIR] [--cases N] [--threads T] [--parallel-backbones [--concurrency C]] [--input DIR]
/// [--torch [--python PATH] [--torch-script PATH] [--torch-models DIR]]</c>: runs the whole per-case pipeline over
/// phantom cases (or the cases in DIR) and prints per-stage median and p95 milliseconds, cases per minute, the time
/// to load every session, peak working set, the share of each case spent outside <c>InferenceSession.Run</c>, and
/// each backbone's achieved GFLOP/s (GOP/s for an INT8 set) against the CPU's peak. With <c>--torch</c> it then times
/// the same nets (or the FP32 set in <c>--torch-models</c>) in PyTorch eager in a child process and prints the ratio.
/// </summary>
internal static class BenchCommand
{
    private const int WarmUpCases = 2;
    private const int BenchSeed = 515151;

    public static int Run(string[] args)
    {
        var parsed = new ParsedArguments(args, new HashSet<string> { "parallel-backbones", "torch" });
        var count = parsed.Integer("cases", 30, 1, 10_000);
        var threads = parsed.Integer("threads", 2, 1, 256);
        var parallel = parsed.Flag("parallel-backbones");
        var concurrency = parsed.Integer("concurrency", 0, 0, 64);
        var input = parsed.Text("input");
        var folder = parsed.Text("models") ?? ModelOptions.DefaultFolder;
        var torch = parsed.Flag("torch") ? TorchEager.Parse(parsed) : null;
        parsed.RejectUnknown();
        if (concurrency > 0 && !parallel)
        {
            throw new UsageException("--concurrency only applies with --parallel-backbones");
        }

        var scratch = Directory.CreateTempSubdirectory("ccs-bench-").FullName;
        try
        {
            // A wrong folder is reported before minutes of phantoms are written for it.
            var work = ManifestWork.Read(folder);
            var cases = OpenCases(input ?? WritePhantoms(scratch, count + WarmUpCases), count + WarmUpCases);
            var load = Stopwatch.StartNew();
            BenchRun run;
            using (var models = ModelSet.Load(folder, new InferenceOptions { IntraOpThreads = threads }))
            {
                var coldStart = load.Elapsed.TotalMilliseconds;
                var lanes = concurrency > 0 ? concurrency : models.Backbones.Count;
                run = parallel ? RunParallel(models, cases, lanes) : RunSequential(models, cases);
                var mode = parallel
                    ? $"{lanes} backbones at once (decode, preprocess, inference and feature-size Grad-CAM only)"
                    : "sequential";
                PrintPipeline(Console.Out, models, run, coldStart, threads, mode, parallel);
            }

            HardwareLimit.Print(Console.Out, CpuPeak.Read(), work, run, parallel);

            return torch is null ? CommandLine.Success : CompareWithTorch(torch, folder, run, count, threads, scratch);
        }
        catch (Exception e) when (e is InvalidCaseException or ModelLoadException or TorchEagerException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CommandLine.BadInput;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static string WritePhantoms(string scratch, int count)
    {
        var folder = Path.Combine(scratch, "cases");
        PhantomBatch.Write(count, BenchSeed, folder, zip: false);
        return folder;
    }

    /// <summary>Cases stay undecoded, so the decode stage is timed as part of each case.</summary>
    private static List<PendingCase> OpenCases(string folder, int count)
    {
        var pending = CaseReader.Open(folder, CaseLimits.Default with { MaxCases = 100_000 });
        return [.. Enumerable.Range(0, count).Select(i => pending[i % pending.Count])];
    }

    /// <summary>What one case of either mode measured, and how to rebuild its model input for the probe.</summary>
    private sealed record CaseRun(
        IReadOnlyDictionary<string, double> Stages,
        double TotalMs,
        IReadOnlyList<BackbonePrediction> Backbones,
        Func<CaseTensor> Tensor,
        int Lanes = 1);

    /// <summary>
    /// Runs every case, times the ones after the warm-up, and keeps the first timed case's tensor and logits as the
    /// probe that the PyTorch side is checked against.
    /// </summary>
    private static BenchRun Measure(List<PendingCase> cases, Func<PendingCase, CaseRun> runCase)
    {
        var run = new BenchRun();
        var wall = new Stopwatch();
        for (var i = 0; i < cases.Count; i++)
        {
            if (i == WarmUpCases)
            {
                wall.Start();
            }

            var result = runCase(cases[i]);
            if (i < WarmUpCases)
            {
                run.FirstCaseMs ??= result.TotalMs;
                continue;
            }

            foreach (var (stage, ms) in result.Stages)
            {
                run.Stages.Add(stage, ms);
            }

            run.AddCase(result.TotalMs, result.Backbones, result.Lanes);
            if (i == WarmUpCases)
            {
                run.SetProbe(result.Tensor(), result.Backbones);
            }
        }

        run.WallMs = wall.Elapsed.TotalMilliseconds;
        return run;
    }

    private static BenchRun RunSequential(ModelSet models, List<PendingCase> cases)
    {
        var predictor = new CasePredictor(models, 0.5);
        return Measure(cases, pending =>
        {
            var result = predictor.Predict(pending);
            var timings = result.Report.TimingsMs;
            return new CaseRun(timings, timings[CasePredictor.Stages.Total], result.Outcome.Backbones,
                () => Preprocessor.Prepare(pending.Load()).Tensor);
        });
    }

    /// <summary>
    /// A case's backbones at once, at most <paramref name="lanes"/> together, as parallel RunBackbone activities on
    /// one instance do: each lane takes the next backbone in manifest order when it is free, like activities taken
    /// from a queue. The thread pool is given a thread per lane up front, since on a 2-core machine it would
    /// otherwise add threads only slowly and run fewer lanes than asked.
    /// </summary>
    private static BenchRun RunParallel(ModelSet models, List<PendingCase> cases, int lanes)
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, lanes + 1), completion);
        return Measure(cases, pending =>
        {
            var clock = Stopwatch.StartNew();
            var input = pending.Load();
            var decodeMs = clock.Elapsed.TotalMilliseconds;
            var tensor = Preprocessor.Prepare(input).Tensor;
            var preprocessMs = clock.Elapsed.TotalMilliseconds - decodeMs;
            var predictions = new BackbonePrediction[models.Backbones.Count];
            var next = -1;
            var laneTasks = Enumerable.Range(0, lanes).Select(_ => Task.Run(() =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < predictions.Length)
                {
                    predictions[b] = models.Backbones[b].Predict(tensor);
                }
            }));
            Task.WaitAll([.. laneTasks]);
            var ms = clock.Elapsed.TotalMilliseconds;
            var stages = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [CasePredictor.Stages.Decode] = decodeMs,
                [CasePredictor.Stages.Preprocess] = preprocessMs,
            };
            foreach (var prediction in predictions)
            {
                stages[prediction.BackboneId] = prediction.Milliseconds;
            }

            stages[CasePredictor.Stages.Total] = ms;
            return new CaseRun(stages, ms, predictions, () => tensor, Math.Min(lanes, predictions.Length));
        });
    }

    private static void PrintPipeline(TextWriter output, ModelSet models, BenchRun run, double coldStartMs,
        int threads, string mode, bool parallel)
    {
        var manifest = models.Manifest;
        output.WriteLine(Invariant($"models {manifest.Name} {manifest.Version}, {run.CaseMs.Count} cases"));
        output.WriteLine(Invariant($"+{WarmUpCases} warm-up, {threads} intra-op threads, {mode}"));
        output.WriteLine(Invariant($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}"));
        output.WriteLine(Invariant($".NET {Environment.Version}, ONNX Runtime {OrtVersion()}"));
        output.WriteLine($"{"stage",-22} {"median ms",10} {"p95 ms",10}");
        foreach (var (stage, values) in run.Stages.Values.OrderBy(s => s.Key == CasePredictor.Stages.Total))
        {
            var (median, p95) = (Percentile(values, 50), Percentile(values, 95));
            output.WriteLine(Invariant($"{stage,-22} {median,10:0.00} {p95,10:0.00}"));
        }

        var perMinute = run.CaseMs.Count / (run.WallMs / 60_000);
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        var sessions = models.Backbones.Sum(b => b.Folds.Count);
        output.WriteLine(Invariant($"cases per minute       {perMinute:0.0}"));
        output.WriteLine(Invariant($"cold start (load all)  {coldStartMs:0} ms for {sessions} sessions"));
        output.WriteLine(Invariant($"first case             {run.FirstCaseMs:0} ms (JIT and first-run allocations)"));
        output.WriteLine(Invariant($"peak working set       {peakMb:0} MB"));
        output.WriteLine(Invariant($"outside session.Run    {run.OutsideSessionShare:0.0%} of case time")
            + (parallel ? " (lane time, idle lanes waiting for the slowest backbone included)" : ""));
    }

    private static string OrtVersion() =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    private static int CompareWithTorch(TorchEager torch, string folder, BenchRun run, int count, int threads,
        string scratch)
    {
        var probe = Path.Combine(scratch, "probe-case.f32");
        File.WriteAllBytes(probe, run.ProbeTensor!.ToBytes());
        var result = torch.Run(torch.Models ?? folder, count, threads, probe, Console.Out);
        TorchComparison.Print(Console.Out, run, result);
        return CommandLine.Success;
    }

    internal static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Milliseconds gathered under a name, in the order the names first appeared.</summary>
internal sealed class Samples
{
    public Dictionary<string, List<double>> Values { get; } = new(StringComparer.Ordinal);

    public void Add(string name, double ms)
    {
        Values.TryAdd(name, []);
        Values[name].Add(ms);
    }

    public double Median(string name) => BenchCommand.Percentile(Values[name], 50);
}

/// <summary>What a benchmark run measured, warm-up cases left out.</summary>
internal sealed class BenchRun
{
    private double _laneMs;
    private double _sessionMs;

    public Samples Stages { get; } = new();

    /// <summary>Per backbone, the time its folds spent inside <c>InferenceSession.Run</c> on a case.</summary>
    public Samples Sessions { get; } = new();

    public List<double> CaseMs { get; } = [];

    /// <summary>Per case, the backbone stages added up: the twelve runs and their Grad-CAM maps.</summary>
    public List<double> ModelMs { get; } = [];

    public double WallMs { get; set; }

    public double? FirstCaseMs { get; set; }

    public CaseTensor? ProbeTensor { get; private set; }

    /// <summary>Each backbone's fold logits on <see cref="ProbeTensor"/>.</summary>
    public Dictionary<string, double[]> ProbeLogits { get; } = new(StringComparer.Ordinal);

    /// <summary>Session runs per case of each backbone: its fold count.</summary>
    public Dictionary<string, int> Runs { get; } = new(StringComparer.Ordinal);

    public double OutsideSessionShare => 1 - _sessionMs / _laneMs;

    /// <param name="lanes">How many backbones ran at once: with several, each lane's case time is its own.</param>
    public void AddCase(double caseMs, IReadOnlyList<BackbonePrediction> backbones, int lanes = 1)
    {
        CaseMs.Add(caseMs);
        ModelMs.Add(backbones.Sum(b => b.Milliseconds));
        _laneMs += caseMs * lanes;
        foreach (var backbone in backbones)
        {
            Sessions.Add(backbone.BackboneId, backbone.SessionMilliseconds);
            Runs[backbone.BackboneId] = backbone.Folds.Count;
            _sessionMs += backbone.SessionMilliseconds;
        }
    }

    public void SetProbe(CaseTensor tensor, IReadOnlyList<BackbonePrediction> backbones)
    {
        ProbeTensor = tensor;
        foreach (var backbone in backbones)
        {
            ProbeLogits[backbone.BackboneId] = [.. backbone.Folds.Select(f => f.Logit)];
        }
    }
}

/// <summary>
/// What the manifest says of the work: its precision, and the optional <c>flops</c> of each backbone (operations of
/// one run on one image), which the typed manifest does not carry because nothing but the benchmark needs it. A
/// value that is not a positive finite number is left out, and named, rather than printed as a rate.
/// </summary>
internal sealed record ManifestWork(Dictionary<string, double> Flops, bool IsInt8, IReadOnlyList<string> Ignored)
{
    public static ManifestWork Read(string folder)
    {
        var manifest = ModelSet.ReadManifest(folder);
        var path = Path.Combine(folder, ModelManifest.FileName);
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var flops = new Dictionary<string, double>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var backbone in json.RootElement.GetProperty("backbones").EnumerateArray())
        {
            if (!backbone.TryGetProperty("flops", out var value))
            {
                continue;
            }

            var id = backbone.GetProperty("id").GetString() ?? "";
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
                && double.IsFinite(number) && number > 0)
            {
                flops[id] = number;
            }
            else
            {
                ignored.Add($"{id} ({value.GetRawText()})");
            }
        }

        return new ManifestWork(flops, manifest.IsInt8, ignored);
    }
}

/// <summary>
/// The CPU's FP32 peak: cores x clock x FLOPs per cycle per core, the last from the vector width and FMA support
/// that /proc/cpuinfo advertises, corrected where a known core executes wide vectors in narrower halves.
/// </summary>
internal sealed record CpuPeak(int Cores, double Ghz, int FlopsPerCycle, string PerCycle, string Source,
    bool HasVnni = false)
{
    private const int FmaPipes = 2;

    public double Gflops => Cores * Ghz * FlopsPerCycle;

    public static CpuPeak Read()
    {
        var processors = File.Exists("/proc/cpuinfo") ? ParseCpuInfo(File.ReadAllText("/proc/cpuinfo")) : [];
        if (processors.Count == 0)
        {
            return new CpuPeak(Environment.ProcessorCount, 0, 0, "unknown", "no /proc/cpuinfo");
        }

        var first = processors[0];
        var flags = first.GetValueOrDefault("flags", "").Split(' ').ToHashSet(StringComparer.Ordinal);
        var physical = processors.Select(p => (p.GetValueOrDefault("physical id"), p.GetValueOrDefault("core id")))
            .Distinct().Count();
        var cores = Math.Min(physical, Environment.ProcessorCount);
        var ghz = double.Parse(first.GetValueOrDefault("cpu MHz", "0"), CultureInfo.InvariantCulture) / 1000;
        var (flopsPerCycle, perCycle) = PerCore(flags, first);
        var source = $"{first.GetValueOrDefault("vendor_id")} family {first.GetValueOrDefault("cpu family")} "
            + $"model {first.GetValueOrDefault("model")} ('{first.GetValueOrDefault("model name")}'), clock from "
            + "/proc/cpuinfo 'cpu MHz' (nominal: a VM reports its TSC clock, boost is not counted)";
        var vnni = flags.Contains("avx512_vnni") || flags.Contains("avx_vnni");
        return new CpuPeak(cores, ghz, flopsPerCycle, perCycle, source, vnni);
    }

    private static (int Flops, string Why) PerCore(HashSet<string> flags, Dictionary<string, string> cpu)
    {
        var width = flags.Contains("avx512f") ? 512 : flags.Contains("avx") ? 256 : 128;
        var isa = width switch { 512 => "AVX-512F", 256 => flags.Contains("avx2") ? "AVX2" : "AVX", _ => "SSE" };
        var pipeWidth = width;
        var note = "";
        var family = int.Parse(cpu.GetValueOrDefault("cpu family", "0"), CultureInfo.InvariantCulture);
        var model = int.Parse(cpu.GetValueOrDefault("model", "0"), CultureInfo.InvariantCulture);
        if (cpu.GetValueOrDefault("vendor_id") == "AuthenticAMD" && family == 0x17 && model < 0x30 && width > 128)
        {
            pipeWidth = 128;
            note = $"; AMD family 23 model {model} is Zen/Zen+, whose FP pipes are 128 bits wide: each 256-bit "
                + $"instruction runs as two halves (the flags alone would suggest {FmaPipes * width / 32 * 2})";
        }
        else if (cpu.GetValueOrDefault("vendor_id") == "AuthenticAMD" && family == 0x19 && width == 512)
        {
            pipeWidth = 256;
            note = "; AMD family 25 (Zen 4) runs each 512-bit instruction as two 256-bit halves";
        }

        var lanes = pipeWidth / 32;
        return flags.Contains("fma")
            ? (FmaPipes * lanes * 2, $"{FmaPipes} FMA pipes x {lanes} FP32 lanes x 2 FLOP per FMA ({isa}+FMA; "
                + $"two FMA pipes per core is an assumption: true of Intel Haswell and later and AMD Zen, but some "
                + $"Xeons have one 512-bit FMA unit){note}")
            : (lanes * 2, $"1 add + 1 multiply pipe x {lanes} FP32 lanes ({isa}, no FMA){note}");
    }

    private static List<Dictionary<string, string>> ParseCpuInfo(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n')
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2)
                .GroupBy(parts => parts[0].Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal))
            .Where(p => p.ContainsKey("processor"))
            .ToList();

    /// <summary>
    /// GFLOP/s of a loop of independent 256-bit FMAs on every core: a practical ceiling for dense FP32 work
    /// (actual clock, no memory traffic), to set beside the formula. The best of three tries, since anything else
    /// running on the machine can only lower it. Zero without AVX2 and FMA.
    /// </summary>
    public double MeasureFmaLoop(TimeSpan duration)
    {
        if (!Fma.IsSupported || !Avx.IsSupported)
        {
            return 0;
        }

        FmaChains(1000);
        return Enumerable.Range(0, 3).Max(_ => FmaLoopOnce(duration));
    }

    private double FmaLoopOnce(TimeSpan duration)
    {
        const long Iterations = 2_000_000;
        var perCall = Stopwatch.StartNew();
        FmaChains(Iterations);
        var calls = Math.Max(1, (int)(duration / perCall.Elapsed));
        var threads = Enumerable.Range(0, Cores).Select(_ => new Thread(() =>
        {
            for (var c = 0; c < calls; c++)
            {
                FmaChains(Iterations);
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var flops = (double)Cores * calls * Iterations * FmaChainCount * Vector256<float>.Count * 2;
        return flops / clock.Elapsed.TotalSeconds / 1e9;
    }

    private const int FmaChainCount = 10;

    /// <summary>Ten independent chains, enough to hide FMA latency on two pipes; they converge, never overflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains(long iterations)
    {
        var m = Vector256.Create(0.999f);
        var c = Vector256.Create(0.001f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        Vector256<float> a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c);
            a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c);
            a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c);
            a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }
}

/// <summary>
/// Achieved GFLOP/s per backbone, from the FLOPs the manifest gives, against the CPU's peak by formula and against
/// what a plain FMA loop reaches on the same cores. For an INT8 set the same operations count as integer ones and
/// are set against the integer peak, which is only estimated where the CPU has VNNI.
/// </summary>
internal static class HardwareLimit
{
    /// <summary>
    /// VNNI's vpdpbusd does four u8 x s8 multiply-adds in each 32-bit lane where an FMA does one; taking it to issue
    /// at the FMA rate gives four times the FP32 peak. Without VNNI the integer rate depends on the instruction mix
    /// (vpmaddubsw, vpmaddwd, vpaddd) and is not estimated.
    /// </summary>
    private const int VnniOpsPerFmaFlop = 4;

    public static void Print(TextWriter output, CpuPeak peak, ManifestWork work, BenchRun run, bool parallel)
    {
        if (peak.Gflops <= 0)
        {
            output.WriteLine($"peak FP32: unknown ({peak.Source})");
            return;
        }

        output.WriteLine(BenchCommand.Invariant($"peak FP32 = {peak.Cores} cores x {peak.Ghz:0.000} GHz x ")
            + BenchCommand.Invariant($"{peak.FlopsPerCycle} FLOP/cycle = {peak.Gflops:0.0} GFLOP/s"));
        output.WriteLine($"  FLOP/cycle: {peak.PerCycle}");
        output.WriteLine($"  CPU: {peak.Source}");
        var loop = peak.MeasureFmaLoop(TimeSpan.FromMilliseconds(200));
        output.WriteLine(loop > 0
            ? BenchCommand.Invariant(
                $"  FMA loop on {peak.Cores} threads: {loop:0.0} GFLOP/s ({loop / peak.Gflops:0%} of the formula)")
            : "  FMA loop: not run (needs AVX2 and FMA)");
        var (unit, factor) = (work.IsInt8, peak.HasVnni) switch
        {
            (false, _) => ("GFLOP", 1),
            (true, true) => ("GOP", VnniOpsPerFmaFlop),
            (true, false) => ("GOP", 0),
        };
        if (work.IsInt8)
        {
            output.WriteLine(factor > 0
                ? BenchCommand.Invariant($"model set precision int8: peak INT8 = {factor} x FP32 peak = ")
                    + BenchCommand.Invariant($"{peak.Gflops * factor:0.0} GOP/s (VNNI: 4 u8 x s8 multiply-adds per ")
                    + "32-bit lane per instruction, taken to issue at the FMA rate); 'of loop' is against 4 x the loop"
                : "model set precision int8: no VNNI, so no integer peak is estimated; rates only");
        }

        if (work.Ignored.Count > 0)
        {
            output.WriteLine($"'flops' left out, not a positive number: {string.Join(", ", work.Ignored)}");
        }

        if (work.Flops.Count == 0)
        {
            output.WriteLine($"achieved {unit}/s: the manifest gives no 'flops' per backbone");
            return;
        }

        var lanes = parallel ? " (per lane; lanes overlap)" : "";
        output.WriteLine($"{"backbone",-22} {unit + "/run",10} {"runs",5} {"Run() ms",10} {unit + "/s",8} "
            + $"{"of peak",8} {"of loop",8}{lanes}");
        var (top, ceiling) = (peak.Gflops * factor, loop * factor);
        var total = 0.0;
        foreach (var id in run.Sessions.Values.Keys.Where(work.Flops.ContainsKey))
        {
            var ops = work.Flops[id] * run.Runs[id];
            total += ops;
            Row(output, id, work.Flops[id], $"{run.Runs[id]}", run.Sessions.Median(id), ops, top, ceiling);
        }

        var missing = run.Sessions.Values.Keys.Where(id => !work.Flops.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            output.WriteLine($"whole case: not counted, the manifest gives no 'flops' for {string.Join(", ", missing)}");
            return;
        }

        Row(output, "whole case", total, "", BenchCommand.Percentile(run.CaseMs, 50), total, top, ceiling);
        if (top > 0)
        {
            output.WriteLine(BenchCommand.Invariant($"floor at peak: {total / 1e9:0.0} {unit} / {top:0.0} {unit}/s")
                + BenchCommand.Invariant($" = {total / top / 1e6:0} ms per case"));
        }
    }

    private static void Row(TextWriter output, string name, double perRun, string runs, double ms, double work,
        double peak, double loop)
    {
        var rate = work / (ms / 1000) / 1e9;
        var ofPeak = peak > 0 ? BenchCommand.Invariant($"{rate / peak,8:0.0%}") : $"{"n/a",8}";
        var ofLoop = loop > 0 ? BenchCommand.Invariant($"{rate / loop,8:0.0%}") : $"{"n/a",8}";
        output.WriteLine(BenchCommand.Invariant(
            $"{name,-22} {perRun / 1e9,10:0.000} {runs,5} {ms,10:0.00} {rate,8:0.0} {ofPeak} {ofLoop}"));
    }
}

/// <summary>A PyTorch run that could not be started or did not finish; the message says what to fix.</summary>
internal sealed class TorchEagerException(string message) : Exception(message);

/// <summary>What <c>models/benchmark/torch_eager.py --json</c> reports.</summary>
internal sealed record TorchResult(
    string Torch,
    int Threads,
    double LoadMs,
    double PeakRssMb,
    TorchTiming Case,
    Dictionary<string, TorchTiming> Backbones,
    Dictionary<string, double[]>? Logits);

internal sealed record TorchTiming(double MedianMs, double P95Ms);

/// <summary>
/// Runs the PyTorch eager benchmark as a child process after the ONNX Runtime sessions are gone, so the two never
/// compete for the cores and both numbers come out of one <c>ccs bench</c>.
/// </summary>
internal sealed class TorchEager(string python, string script, string? models)
{
    /// <summary>
    /// The FP32 set whose PyTorch weights (<c>.pt</c> beside each ONNX file) to time, when the ONNX Runtime side
    /// runs another set of the same nets, such as its INT8 quantisation; by default the same folder.
    /// </summary>
    public string? Models { get; } = models;

    public const string DefaultPython = "/usr/bin/python3";

    private static readonly string ScriptPath = Path.Combine("models", "benchmark", "torch_eager.py");

    public static TorchEager Parse(ParsedArguments parsed)
    {
        var python = parsed.Text("python") ?? DefaultPython;
        var script = parsed.Text("torch-script") ?? FindScript()
            ?? throw new UsageException($"cannot find {ScriptPath} above the current folder; pass --torch-script");
        return new TorchEager(python, script, parsed.Text("torch-models"));
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, ScriptPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public TorchResult Run(string models, int cases, int threads, string probeTensor, TextWriter output)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--models", Path.GetFullPath(models), "--cases", $"{cases}",
                     "--threads", $"{threads}", "--json", "--input-tensor", probeTensor })
        {
            start.ArgumentList.Add(arg);
        }

        output.WriteLine();
        output.WriteLine($"PyTorch eager: {python} {string.Join(' ', start.ArgumentList)}");
        using var process = Start(start);
        var table = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.Write(table.Result);
        if (process.ExitCode != 0)
        {
            throw new TorchEagerException($"the PyTorch benchmark exited with code {process.ExitCode} (output above)");
        }

        return JsonSerializer.Deserialize<TorchResult>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new TorchEagerException("the PyTorch benchmark printed no result");
    }

    private Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new TorchEagerException($"cannot start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TorchEagerException($"cannot start {python} ({e.Message}); pass --python");
        }
    }
}

/// <summary>ONNX Runtime against PyTorch eager, backbone by backbone and per case, from the same invocation.</summary>
internal static class TorchComparison
{
    public static void Print(TextWriter output, BenchRun ort, TorchResult torch)
    {
        output.WriteLine();
        output.WriteLine($"ONNX Runtime vs PyTorch {torch.Torch} eager, {torch.Threads} threads, medians of one run");
        output.WriteLine($"{"",-30} {"ORT ms",10} {"torch ms",10} {"speed-up",9}");
        foreach (var (id, timing) in torch.Backbones)
        {
            if (ort.Stages.Values.ContainsKey(id))
            {
                Row(output, $"{id} (3 folds)", ort.Stages.Median(id), timing.MedianMs);
            }
        }

        Row(output, "12 runs + cam weights", BenchCommand.Percentile(ort.ModelMs, 50), torch.Case.MedianMs);
        Row(output, "whole ORT case vs 12 torch runs", BenchCommand.Percentile(ort.CaseMs, 50), torch.Case.MedianMs);
        output.WriteLine(BenchCommand.Invariant(
            $"{"torch: load 12 nets",-30} {torch.LoadMs,10:0} ms, peak resident set {torch.PeakRssMb:0} MB"));
        PrintLogits(output, ort, torch);
    }

    private static void Row(TextWriter output, string name, double ortMs, double torchMs) =>
        output.WriteLine(
            BenchCommand.Invariant($"{name,-30} {ortMs,10:0.00} {torchMs,10:0.00} {torchMs / ortMs,8:0.00}x"));

    /// <summary>Both runtimes on one case tensor: the export is a fair stand-in only if the logits agree.</summary>
    private static void PrintLogits(TextWriter output, BenchRun ort, TorchResult torch)
    {
        if (torch.Logits is null)
        {
            return;
        }

        var pairs = torch.Logits
            .Where(t => ort.ProbeLogits.ContainsKey(t.Key))
            .SelectMany(t => t.Value.Zip(ort.ProbeLogits[t.Key]))
            .ToList();
        var largest = pairs.Max(p => Math.Abs(p.First - p.Second));
        var relative = pairs.Max(p => Math.Abs(p.First - p.Second) / Math.Max(Math.Abs(p.First), 1));
        output.WriteLine(BenchCommand.Invariant($"same case, {pairs.Count} logits: max |ORT - torch| = ")
            + BenchCommand.Invariant($"{largest:0.###e0}, max relative {relative:0.###e0}"));
    }
}

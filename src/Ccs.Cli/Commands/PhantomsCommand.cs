using Ccs.Phantoms;

namespace Ccs.Cli.Commands;

/// <summary><c>ccs phantoms --count N --seed S --out DIR [--zip]</c>: synthetic cases with known Kang grades.</summary>
internal static class PhantomsCommand
{
    private const int MaxCount = 100_000;

    public static int Run(string[] args)
    {
        var a = new ParsedArguments(args, new HashSet<string> { "zip" });
        var count = a.Integer("count", 100, 1, MaxCount);
        var seed = a.Integer("seed", 1, 0, int.MaxValue);
        var outDirectory = a.Text("out") ?? throw new UsageException("--out DIR is required");
        var zip = a.Flag("zip");
        a.RejectUnknown();
        if (a.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{a.Positional[0]}'");
        }

        var started = DateTime.UtcNow;
        PhantomBatch.Write(count, seed, outDirectory, zip, new ConsoleProgress(count));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Console.WriteLine($"phantoms: wrote {count} cases of seed {seed} to {outDirectory} in {seconds:F1} s");
        return CommandLine.Success;
    }

    /// <summary>Prints about ten progress lines whatever the count; reports arrive from several threads.</summary>
    private sealed class ConsoleProgress(int count) : IProgress<int>
    {
        private readonly int _step = Math.Max(1, count / 10);

        public void Report(int done)
        {
            if (done % _step == 0 && done < count)
            {
                Console.WriteLine($"phantoms: {done}/{count}");
            }
        }
    }
}

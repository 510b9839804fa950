using Ccs.Core.Models;

namespace Ccs.Cli.Commands;

/// <summary>Where models come from and how they run, shared by the commands that run the pipeline.</summary>
internal static class ModelOptions
{
    /// <summary>The demo models, copied next to the executable at build time.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Reads <c>--models</c> and <c>--threads</c>; loading waits until every option is checked.</summary>
    public static Func<ModelSet> Parse(ParsedArguments args)
    {
        var folder = args.Text("models") ?? DefaultFolder;
        var threads = args.Integer("threads", Math.Max(1, Environment.ProcessorCount), 1, 256);
        return () => ModelSet.Load(folder, new InferenceOptions { IntraOpThreads = threads });
    }
}

namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>Files the tests read from the repository and from the shared samples beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string AzuriteScript => Path.Combine(Root, "tools", "azurite", "node_modules", "azurite", "dist",
        "src", "azurite.js");

    public static string TinyModels => Path.Combine(Root, "tests", "fixtures", "tiny-models");

    /// <summary>The demo model set as the app loads it: copied from models/ into the Functions build output.</summary>
    public static string DemoModels => Path.Combine(FunctionsOutput, "models");

    public static string SeedSamples => Path.Combine(Root, "..", "shared", "samples", "seed");

    /// <summary>The Functions app's build output, where the worker SDK writes functions.metadata.</summary>
    public static string FunctionsOutput
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            return Path.Combine(Root, "src", "Ccs.Functions", "bin", configuration, framework);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcsFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no CcsFunctions.sln above {AppContext.BaseDirectory}");
    }
}

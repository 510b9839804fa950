using System.Reflection;

namespace Ccs.Infra.Tests;

/// <summary>Values MSBuild writes into this assembly (see Ccs.Infra.Tests.csproj).</summary>
internal static class BuildInfo
{
    public static string BicepPath => Metadata("BicepPath");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    private static string Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)
            ?.Value ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; rebuild the tests.");
}

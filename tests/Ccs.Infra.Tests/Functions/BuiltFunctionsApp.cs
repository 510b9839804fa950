using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;

namespace Ccs.Infra.Tests.Functions;

/// <summary>One function as the Functions SDK describes it to the host in functions.metadata.</summary>
public sealed record FunctionMetadata(string Name, IReadOnlyList<JsonObject> Bindings);

/// <summary>
/// The build output of src/Ccs.Functions, which this project references (without its assembly) so it is built first.
/// functions.metadata is what the Functions host reads to create triggers and bindings, so it is the authority on
/// which connections and %settings% the app needs.
/// </summary>
internal static class BuiltFunctionsApp
{
    public static string ProjectDirectory => Path.Combine(BuildInfo.RepositoryRoot, "src", "Ccs.Functions");

    public static string OutputDirectory => Path.Combine(ProjectDirectory, "bin", BuildInfo.Configuration, "net10.0");

    public static string MetadataPath => Path.Combine(OutputDirectory, "functions.metadata");

    public static bool IsBuilt => File.Exists(MetadataPath);

    /// <summary>Whether the source declares the app's list of setting names (Ccs.Functions.AppSettingNames).</summary>
    public static bool DeclaresAppSettingNames =>
        Directory.Exists(ProjectDirectory) &&
        Directory.EnumerateFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(file))
            .Any(file => File.ReadAllText(file).Contains("class AppSettingNames", StringComparison.Ordinal));

    public static IReadOnlyList<FunctionMetadata> Functions() =>
        JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray()
            .Select(function => new FunctionMetadata(
                function!["name"]!.GetValue<string>(),
                function["bindings"]!.AsArray().Select(binding => binding!.AsObject()).ToList()))
            .ToList();

    /// <summary>Ccs.Functions.AppSettingNames.All, read by loading the built assembly in a throwaway context.</summary>
    public static IReadOnlyList<string> AppSettingNames()
    {
        var assemblyPath = Path.Combine(OutputDirectory, "Ccs.Functions.dll");
        var context = new BuildOutputLoadContext(assemblyPath);
        try
        {
            var type = context.LoadFromAssemblyPath(assemblyPath).GetType("Ccs.Functions.AppSettingNames")
                ?? throw new InvalidOperationException($"{assemblyPath} has no type Ccs.Functions.AppSettingNames");
            const BindingFlags publicStatic = BindingFlags.Public | BindingFlags.Static;
            var all = type.GetProperty("All", publicStatic)?.GetValue(null)
                ?? type.GetField("All", publicStatic)?.GetValue(null);
            return all is IEnumerable<string> names
                ? names.ToList()
                : throw new InvalidOperationException("Ccs.Functions.AppSettingNames.All is not a public static list");
        }
        finally
        {
            context.Unload();
        }
    }

    private static bool IsBuildOutput(string file)
    {
        var relative = Path.GetRelativePath(ProjectDirectory, file).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal)
            || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    /// <summary>Resolves the app's dependencies from its own output folder, apart from the test's.</summary>
    private sealed class BuildOutputLoadContext(string assemblyPath) : AssemblyLoadContext(isCollectible: true)
    {
        private readonly AssemblyDependencyResolver resolver = new(assemblyPath);

        protected override Assembly? Load(AssemblyName name) =>
            resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
    }
}

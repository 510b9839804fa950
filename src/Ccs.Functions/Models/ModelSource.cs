namespace Ccs.Functions.Models;

/// <summary>
/// Where the model set comes from: the folder deployed with the app, or a blob container downloaded into
/// <see cref="CacheFolder"/> first.
/// </summary>
public sealed record ModelSource(string Folder, string? Container, string CacheFolder)
{
    public static string DeployedFolder => Path.Combine(AppContext.BaseDirectory, "models");

    public static string DefaultCacheFolder => Path.Combine(Path.GetTempPath(), "ccs-models");
}

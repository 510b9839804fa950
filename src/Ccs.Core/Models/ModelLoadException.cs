namespace Ccs.Core.Models;

/// <summary>
/// A model set that cannot be used: names the file and the mismatch; raised at start-up, never mid-case.
/// </summary>
public sealed class ModelLoadException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;

    public string Problem { get; } = problem;
}

namespace Ccs.Core.Cases;

/// <summary>
/// Input a user can fix: names the case, the file and the problem, so a radiographer can act on it
/// without a stack trace.
/// </summary>
public sealed class InvalidCaseException(string caseName, string file, string problem)
    : Exception($"case '{caseName}': {file}: {problem}")
{
    public string CaseName { get; } = caseName;

    public string File { get; } = file;

    public string Problem { get; } = problem;
}

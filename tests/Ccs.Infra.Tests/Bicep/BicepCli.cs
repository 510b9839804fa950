using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ccs.Infra.Tests.Bicep;

/// <summary>One finished bicep invocation.</summary>
public sealed partial record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Compiler and linter diagnostics of every level: "file(line,col) : Level code: message".</summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError.Split('\n').Select(line => line.Trim()).Where(line => DiagnosticLine().IsMatch(line)).ToList();

    /// <summary>Text for an assertion message: the command and everything it printed to stderr.</summary>
    public override string ToString() => $"bicep {Command} (exit {ExitCode})\n{StandardError}";

    [GeneratedRegex(@"\(\d+,\d+\) : (Error|Warning|Info) ")]
    private static partial Regex DiagnosticLine();
}

/// <summary>
/// Runs the bicep executable from the Azure.Bicep.CommandLine.linux-x64 package in the repository root.
/// Every command that could resolve modules gets --no-restore: the templates use no registry modules, and a test
/// must not depend on reaching one.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string> Executable = new(FindExecutable);

    public static async Task<BicepRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = BuildInfo.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // main.bicepparam reads AZURE_* and CCS_* variables: only the ones a test passes may reach it.
        foreach (var name in start.Environment.Keys.Where(IsParameterSource).ToList())
        {
            start.Environment.Remove(name);
        }

        // Tracing is off by default; pinned so a developer's shell setting cannot flood the captured output.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} ran longer than {Timeout}");
        }

        return new BicepRun(string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }

    private static bool IsParameterSource(string name) =>
        name.StartsWith("AZURE_", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("CCS_", StringComparison.OrdinalIgnoreCase);

    private static string FindExecutable()
    {
        var path = BuildInfo.BicepPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                "bicep is missing: restore Ccs.Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).", path);
        }

        // NuGet extracts without file modes on some systems, so the execute bit cannot be taken for granted.
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | execute);
        }

        return path;
    }
}

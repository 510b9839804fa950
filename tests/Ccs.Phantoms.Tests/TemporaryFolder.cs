namespace Ccs.Phantoms.Tests;

/// <summary>A fresh folder under the system temp directory, deleted with the test.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ccs-phantoms-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

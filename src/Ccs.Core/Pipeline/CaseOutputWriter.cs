namespace Ccs.Core.Pipeline;

/// <summary>
/// Writes a case's files to <c>&lt;root&gt;/&lt;caseId&gt;/</c> all at once: they are written to a hidden sibling
/// folder first and moved into place, so a failure never leaves half a case behind.
/// </summary>
public static class CaseOutputWriter
{
    public static string Write(string root, string caseId, IReadOnlyList<Artifact> artifacts)
    {
        Directory.CreateDirectory(root);
        var target = Path.Combine(root, caseId);
        var staging = Path.Combine(root, $".{caseId}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var artifact in artifacts)
            {
                File.WriteAllBytes(Path.Combine(staging, artifact.Name), artifact.Content);
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}

namespace Ccs.Core.Pipeline;

/// <summary>
/// File names of a case's outputs, the same in an output folder and under
/// <c>results/&lt;caseId&gt;/&lt;archiveId&gt;/</c>.
/// </summary>
public static class ArtifactNames
{
    public const string Input = "input.png";
    public const string Report = "report.json";
    public const string ReportPage = "report.html";
    public const string Ensemble = "ensemble";

    /// <param name="backbone">A backbone id, or <see cref="Ensemble"/>.</param>
    public static string GradCam(string backbone) => $"gradcam_{backbone}.png";
}

/// <summary>One output file of a case.</summary>
public sealed record Artifact(string Name, string ContentType, byte[] Content);

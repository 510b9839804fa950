using Ccs.Core.Cases;
using Ccs.Core.Pipeline;
using Ccs.Functions.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>
/// What the pipeline should store for each case of an archive, worked out in this process by the command-line
/// pipeline (<see cref="CasePredictor"/>) on the host's own model set, so a stored row or image can be traced to the
/// slices of the archive it claims to come from.
/// </summary>
public static class ExpectedResults
{
    /// <summary>Probabilities cross the orchestration as JSON; allow for nothing more than its rounding.</summary>
    public const double Tolerance = 1e-12;

    /// <param name="fileName">The archive's file name, which names a single case at its root.</param>
    public static async Task<IReadOnlyDictionary<string, CaseResult>> ForAsync(PipelineHost host, string fileName,
        byte[] zip)
    {
        var models = await host.Services.GetRequiredService<ModelSetProvider>().GetAsync();
        var predictor = new CasePredictor(models, models.Demographics.Threshold);
        using var stream = new MemoryStream(zip, writable: false);
        return CaseReader.OpenArchive(stream, fileName, CaseLimits.Default)
            .Select(pending => predictor.Predict(pending))
            .ToDictionary(result => result.Outcome.CaseId, StringComparer.Ordinal);
    }

    public static byte[] Artifact(this CaseResult result, string name) =>
        result.Artifacts.Single(a => a.Name == name).Content;
}

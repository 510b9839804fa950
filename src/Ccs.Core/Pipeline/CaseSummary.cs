using Ccs.Core.Cases;
using Ccs.Core.Preprocessing;

namespace Ccs.Core.Pipeline;

public sealed record SliceDigest(string File, int Width, int Height, int BitDepth, string Sha256);

/// <summary>
/// What the report says of a case's input, small enough to pass between durable activities: digests, not pixels.
/// </summary>
public sealed record CaseSummary(
    string CaseId,
    string Source,
    IReadOnlyList<SliceDigest> Slices,
    Cases.Demographics Demographics,
    int? Label,
    IReadOnlyList<string> Notes)
{
    public static CaseSummary From(PreparedCase prepared)
    {
        var input = prepared.Case;
        var slices = input.Slices
            .Select(s => new SliceDigest(s.FileName, s.Width, s.Height, s.SourceBitDepth, s.Sha256))
            .ToList();
        return new CaseSummary(input.CaseId, input.Source, slices, input.Demographics, input.Label, prepared.Notes);
    }
}

namespace Ccs.Core.Cases;

/// <summary>One decoded sagittal slice, row-major, intensities on the 0..255 scale the models expect.</summary>
public sealed record Slice(string FileName, int Width, int Height, int SourceBitDepth, float[] Pixels, string Sha256);

/// <summary>
/// A validated case: three consecutive sagittal slices (the mid slice second) and what is known of the patient.
/// </summary>
public sealed record CaseInput(
    string CaseId,
    string Source,
    IReadOnlyList<Slice> Slices,
    Demographics Demographics,
    int? Label)
{
    public const int SliceCount = 3;

    public Slice MidSlice => Slices[1];
}

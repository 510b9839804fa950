namespace Ccs.Core.Cases;

/// <summary>
/// Bounds applied before any untrusted byte is decoded. Defaults fit research MRI exports with
/// a wide margin while keeping a hostile archive from exhausting memory.
/// </summary>
public sealed record CaseLimits
{
    public int MaxSliceWidth { get; init; } = 4096;

    public int MaxSliceHeight { get; init; } = 4096;

    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    public int MaxArchiveEntries { get; init; } = 4096;

    public long MaxArchiveBytes { get; init; } = 256L * 1024 * 1024;

    public int MaxCases { get; init; } = 1000;

    public static CaseLimits Default { get; } = new();
}

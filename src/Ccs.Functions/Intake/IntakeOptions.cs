namespace Ccs.Functions.Intake;

/// <summary>Bounds the trigger checks before it schedules any work.</summary>
public sealed record IntakeOptions
{
    /// <summary>
    /// The largest archive accepted. The archive is read into memory whole (a zip needs random access), so this stays
    /// well under a Flex Consumption instance's memory; the unpacked size is bounded separately by CaseLimits.
    /// </summary>
    public long MaxArchiveBytes { get; init; } = 256L * 1024 * 1024;

    public static IntakeOptions Default { get; } = new();
}

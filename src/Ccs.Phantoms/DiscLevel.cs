namespace Ccs.Phantoms;

/// <summary>The cervical disc levels a phantom can be stenotic at, cranial to caudal.</summary>
public enum DiscLevel
{
    C2C3 = 0,
    C3C4 = 1,
    C4C5 = 2,
    C5C6 = 3,
    C6C7 = 4,
    C7T1 = 5,
}

public static class DiscLevels
{
    public static IReadOnlyList<DiscLevel> All { get; } = Enum.GetValues<DiscLevel>();

    /// <summary>
    /// How often each level is the stenotic one; degeneration concentrates at C5-C6, then its neighbours.
    /// </summary>
    public static IReadOnlyList<double> Prevalence { get; } = [0.05, 0.12, 0.25, 0.33, 0.20, 0.05];

    public static string Name(DiscLevel level) => level switch
    {
        DiscLevel.C2C3 => "C2-C3",
        DiscLevel.C3C4 => "C3-C4",
        DiscLevel.C4C5 => "C4-C5",
        DiscLevel.C5C6 => "C5-C6",
        DiscLevel.C6C7 => "C6-C7",
        DiscLevel.C7T1 => "C7-T1",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a cervical disc level"),
    };
}

namespace Ccs.Phantoms;

/// <summary>
/// Narrowing of the canal at one disc level. <see cref="Severity"/> in [0, 1] places the lesion within the range its
/// grade allows, so grade and appearance cannot disagree.
/// </summary>
/// <param name="AnteriorShare">Part of the narrowing coming from the disc in front rather than the ligamentum flavum
/// behind.</param>
/// <param name="Asymmetry">In [-1, 1]: how much more the narrowing shows on one lateral slice than the other,
/// as a paramedian disc does.</param>
public sealed record LevelLesion(DiscLevel Level, KangGrade Grade, double Severity, double AnteriorShare,
    double Asymmetry)
{
    public static LevelLesion Typical(DiscLevel level, KangGrade grade) => new(level, grade, 0.5, 0.7, 0.0);

    public static LevelLesion Draw(DiscLevel level, KangGrade grade, PhantomRandom random) =>
        new(level, grade, random.NextDouble(), random.Uniform(0.55, 0.9), random.Uniform(-1, 1));
}

namespace Ccs.Phantoms;

/// <summary>
/// What is wrong with a phantom's canal: stenotic levels, plus mild bulges elsewhere that leave at least half the
/// CSF, so that a bulge alone does not give the label away.
/// </summary>
public sealed record Pathology(IReadOnlyList<LevelLesion> Lesions, IReadOnlyList<LevelLesion> MildBulges)
{
    /// <summary>Odds of stenosis rise by this much per year of age, on the logit scale.</summary>
    public const double AgeLogitPerYear = 0.05;

    public const double MaleLogit = 0.6;

    public static Pathology None { get; } = new([], []);

    public KangGrade Grade => Lesions.Count == 0 ? KangGrade.Normal : Lesions.Max(l => l.Grade);

    /// <summary>Cervical canal stenosis as the study labels it: the cord is deformed at some level.</summary>
    public int Label => Grade >= KangGrade.CordDeformed ? 1 : 0;

    public IReadOnlyList<string> LevelNames =>
        Lesions.OrderBy(l => l.Level).Select(l => DiscLevels.Name(l.Level)).ToList();

    public static Pathology Single(DiscLevel level, KangGrade grade) =>
        grade == KangGrade.Normal ? None : new([LevelLesion.Typical(level, grade)], []);

    /// <summary>
    /// Grade from an ordinal logistic of age and sex, so that an older man is more likely stenotic and a
    /// demographics model has something to learn.
    /// </summary>
    public static Pathology Draw(Patient patient, PhantomRandom random)
    {
        var latent = AgeLogitPerYear * (patient.Age - 55) + (patient.IsMale ? MaleLogit : 0) + Logistic(random);
        var grade = latent switch
        {
            < -0.7 => KangGrade.Normal,
            < 0.3 => KangGrade.CsfEffaced,
            < 1.4 => KangGrade.CordDeformed,
            _ => KangGrade.CordSignalChange,
        };
        var levels = DrawLevels(grade == KangGrade.Normal ? 0 : 1 + DrawExtraLevels(random), random);
        var lesions = levels.Select((level, i) =>
            LevelLesion.Draw(level, i == 0 ? grade : Lesser(grade, random), random));
        var bulges = DiscLevels.All.Where(l => !levels.Contains(l) && random.Chance(0.35))
            .Select(l => LevelLesion.Draw(l, KangGrade.Normal, random));
        return new Pathology(lesions.OrderBy(l => l.Level).ToList(), bulges.ToList());
    }

    private static double Logistic(PhantomRandom random)
    {
        var p = random.Uniform(1e-9, 1 - 1e-9);
        return Math.Log(p / (1 - p));
    }

    private static int DrawExtraLevels(PhantomRandom random) => random.NextDouble() switch
    {
        < 0.5 => 0,
        < 0.8 => 1,
        _ => 2,
    };

    private static KangGrade Lesser(KangGrade max, PhantomRandom random) => (KangGrade)(1 + random.Below((int)max));

    private static List<DiscLevel> DrawLevels(int count, PhantomRandom random)
    {
        var weights = DiscLevels.Prevalence.ToArray();
        var levels = new List<DiscLevel>();
        while (levels.Count < count)
        {
            var pick = random.NextDouble() * weights.Sum();
            var i = 0;
            while (i < weights.Length - 1 && pick >= weights[i])
            {
                pick -= weights[i++];
            }

            levels.Add(DiscLevels.All[i]);
            weights[i] = 0;
        }

        return levels;
    }
}

namespace Ccs.Phantoms;

/// <summary>Demographics of a phantom; sex is "M" or "F" as in case.json.</summary>
public sealed record Patient(int Age, string Sex)
{
    public const int MinAge = 22;
    public const int MaxAge = 88;

    public bool IsMale => Sex == "M";

    public static Patient Draw(PhantomRandom random)
    {
        var sex = random.Chance(0.5) ? "M" : "F";
        var age = (int)Math.Round(random.Uniform(MinAge, MaxAge));
        return new Patient(age, sex);
    }
}

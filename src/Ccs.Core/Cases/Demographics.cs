namespace Ccs.Core.Cases;

public enum Sex
{
    M,
    F,
}

/// <summary>Age in years and sex, each optional; the demographics model uses whichever are known.</summary>
public sealed record Demographics(int? Age, Sex? Sex)
{
    public const int MaxAge = 120;

    public static Demographics Unknown { get; } = new(null, null);

    public static Sex ParseSex(string text, string caseName, string file) => text.Trim().ToUpperInvariant() switch
    {
        "M" => Cases.Sex.M,
        "F" => Cases.Sex.F,
        _ => throw new InvalidCaseException(caseName, file, $"sex must be M or F, not '{text}'"),
    };

    public static int CheckAge(double age, string caseName, string file)
    {
        if (double.IsNaN(age) || age < 0 || age > MaxAge || age != Math.Floor(age))
        {
            throw new InvalidCaseException(caseName, file, $"age must be a whole number from 0 to {MaxAge}, not {age}");
        }

        return (int)age;
    }
}

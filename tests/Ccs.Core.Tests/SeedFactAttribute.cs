namespace Ccs.Core.Tests;

/// <summary>A test on the real cases in ../shared/samples/seed; skipped, saying so, where they are absent.</summary>
public sealed class SeedFactAttribute : FactAttribute
{
    public SeedFactAttribute()
    {
        if (!Directory.Exists(TestFiles.SeedSamples))
        {
            Skip = $"the real sample cases are not at {TestFiles.SeedSamples}";
        }
    }
}

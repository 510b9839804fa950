namespace Ccs.Phantoms;

/// <summary>Everything that decides how one phantom case looks; render it with <see cref="PhantomCase.Render"/>.
/// </summary>
public sealed record PhantomSpec(
    string CaseId,
    int Seed,
    int Index,
    Patient Patient,
    SpineAnatomy Anatomy,
    Pathology Pathology,
    ScannerProfile Scanner)
{
    public const string Source = "phantom";

    public static string CaseIdFor(int seed, int index) => $"phantom-s{seed}-{index:0000}";

    /// <summary>Patient first, then the grade from the patient, then anatomy and scanner, each from its own stream.
    /// </summary>
    public static PhantomSpec Draw(int seed, int index)
    {
        var patient = Patient.Draw(PhantomRandom.For(seed, index, RandomStream.Patient));
        var pathology = Pathology.Draw(patient, PhantomRandom.For(seed, index, RandomStream.Pathology));
        var anatomy = SpineAnatomy.Draw(patient, PhantomRandom.For(seed, index, RandomStream.Anatomy));
        var scanner = ScannerProfile.Draw(PhantomRandom.For(seed, index, RandomStream.Scanner));
        return new PhantomSpec(CaseIdFor(seed, index), seed, index, patient, anatomy, pathology, scanner);
    }
}

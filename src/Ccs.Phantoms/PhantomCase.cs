namespace Ccs.Phantoms;

/// <summary>A rendered phantom: three slices, lateral, mid, lateral, each row-major 8-bit grey.</summary>
public sealed record PhantomCase(PhantomSpec Spec, IReadOnlyList<byte[]> Slices)
{
    public static readonly int[] SliceSides = [-1, 0, 1];

    public static PhantomCase Render(PhantomSpec spec)
    {
        var noise = PhantomRandom.For(spec.Seed, spec.Index, RandomStream.Noise);
        var slices = SliceSides
            .Select(side => new SagittalScene(spec.Anatomy, spec.Pathology, side))
            .Select(scene => SliceRenderer.Render(scene, spec.Scanner, noise))
            .ToList();
        return new PhantomCase(spec, slices);
    }

    public CaseRecord Record => new(
        Spec.CaseId,
        Spec.Patient.Age,
        Spec.Patient.Sex,
        Spec.Pathology.Label,
        (int)Spec.Pathology.Grade,
        Spec.Pathology.LevelNames,
        PhantomSpec.Source,
        Spec.Seed);
}

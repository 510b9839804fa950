namespace Ccs.Phantoms;

/// <summary>T2 signal of each tissue on the 0..255 scale, before the scanner's contrast and noise.</summary>
public sealed record TissueSignals(
    double Csf,
    double Cord,
    double Marrow,
    double Cortex,
    double Annulus,
    double Nucleus,
    double Ligament,
    double Fat,
    double Muscle,
    double SoftTissue,
    double Air)
{
    /// <summary>Discs dry out and marrow turns fatty with age, so older necks have darker discs and patchier bone.
    /// </summary>
    public static TissueSignals Draw(double ageing, PhantomRandom random) => new(
        Csf: random.Uniform(175, 215),
        Cord: random.Uniform(78, 112),
        Marrow: random.Uniform(95, 125) + 12 * ageing,
        Cortex: random.Uniform(12, 28),
        Annulus: random.Uniform(28, 45),
        Nucleus: random.Uniform(130, 165) - 95 * ageing * random.Uniform(0.7, 1.1),
        Ligament: random.Uniform(18, 35),
        Fat: random.Uniform(135, 175),
        Muscle: random.Uniform(55, 80),
        SoftTissue: random.Uniform(35, 60),
        Air: random.Uniform(3, 10));
}

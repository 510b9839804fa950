namespace Ccs.Phantoms;

/// <summary>
/// What differs between scanners, protocols and positioning: contrast, a smooth coil bias field, Rician noise,
/// blur, and a small rotation and shift of the neck in the field of view.
/// </summary>
public sealed record ScannerProfile(
    double RotationDegrees,
    double ShiftX,
    double ShiftY,
    double BlurSigma,
    double Gain,
    double Gamma,
    IReadOnlyList<double> Bias,
    double NoiseSigma)
{
    /// <summary>No motion, bias or noise and little blur: what a test needs to measure anatomy from pixels.</summary>
    public static ScannerProfile Clean { get; } = new(0, 0, 0, 0.4, 1, 1, [0, 0, 0, 0, 0], 0);

    public static ScannerProfile Draw(PhantomRandom random) => new(
        RotationDegrees: random.Uniform(-5, 5),
        ShiftX: random.Uniform(-5, 5),
        ShiftY: random.Uniform(-6, 6),
        BlurSigma: random.Uniform(0.3, 0.95),
        Gain: random.Uniform(0.75, 1.15),
        Gamma: random.Uniform(0.8, 1.25),
        Bias: [.. Enumerable.Range(0, 5).Select(_ => 0.12 * random.Gaussian())],
        NoiseSigma: random.Uniform(2, 10));

    /// <summary>Multiplicative coil sensitivity at normalised image coordinates in [-1, 1].</summary>
    public double BiasAt(double x, double y) =>
        Math.Exp(Bias[0] * x + Bias[1] * y + Bias[2] * x * y + Bias[3] * (x * x - 0.33) + Bias[4] * (y * y - 0.33));
}

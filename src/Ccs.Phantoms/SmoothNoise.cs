namespace Ccs.Phantoms;

/// <summary>
/// Value noise on an integer lattice, smoothly interpolated, in [-1, 1]. Lattice values come from hashing the cell,
/// so the field is unbounded, needs no table and is the same wherever it is sampled from.
/// </summary>
public sealed class SmoothNoise(ulong key, double cellSize)
{
    public double At(double x, double y)
    {
        var gx = x / cellSize;
        var gy = y / cellSize;
        var ix = (long)Math.Floor(gx);
        var iy = (long)Math.Floor(gy);
        var fx = Fade(gx - ix);
        var fy = Fade(gy - iy);
        var top = Lerp(Lattice(ix, iy), Lattice(ix + 1, iy), fx);
        var bottom = Lerp(Lattice(ix, iy + 1), Lattice(ix + 1, iy + 1), fx);
        return Lerp(top, bottom, fy);
    }

    private double Lattice(long ix, long iy)
    {
        var h = PhantomRandom.Mix(key ^ ((ulong)ix * 0x9E3779B97F4A7C15UL) ^ ((ulong)iy * 0xC2B2AE3D27D4EB4FUL));
        return (h >> 11) * (2.0 / (1UL << 53)) - 1.0;
    }

    private static double Fade(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}

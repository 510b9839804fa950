namespace Ccs.Phantoms;

/// <summary>
/// Healthy anatomy of one phantom's neck. The canal centre line is a circular arc, which is how cervical lordosis is
/// usually modelled; every structure is placed in the spine frame (s along the arc downwards, u across it towards
/// the back), so the whole neck bends with the curve.
/// </summary>
public sealed record SpineAnatomy
{
    /// <summary>Image point the arc passes through at s = 0.</summary>
    public required double CentreX { get; init; }

    public required double CentreY { get; init; }

    /// <summary>Angle of the arc from vertical at s = 0, positive running backwards (to the right) as it descends.
    /// </summary>
    public required double Tilt { get; init; }

    /// <summary>Change of that angle per pixel of arc; positive is lordotic.</summary>
    public required double Curvature { get; init; }

    /// <summary>C2 to T2, cranial first.</summary>
    public required IReadOnlyList<Vertebra> Vertebrae { get; init; }

    public required double BodyDepth { get; init; }

    public required double CanalHalfWidth { get; init; }

    public required double CordHalfWidth { get; init; }

    /// <summary>How far the cord sits behind the middle of the canal.</summary>
    public required double CordOffset { get; init; }

    public required TissueSignals Signals { get; init; }

    /// <summary>Distance from the canal centre to the skin of the back of the neck.</summary>
    public required double SkinDistance { get; init; }

    /// <summary>Offset of the lateral slices from the midline as a fraction of the cord's radius.</summary>
    public required double LateralSpacing { get; init; }

    /// <summary>Image shift of the lateral slices, from a neck that is slightly oblique to the slice plane.</summary>
    public required double LateralShiftX { get; init; }

    public required double LateralShiftY { get; init; }

    public required ulong TextureKey { get; init; }

    public static string[] VertebraNames { get; } = ["C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2"];

    /// <summary>Arc position of the middle of a disc, between its two vertebrae.</summary>
    public double DiscCentre(DiscLevel level)
    {
        var upper = Vertebrae[(int)level];
        var lower = Vertebrae[(int)level + 1];
        return (upper.Bottom + lower.Top) / 2;
    }

    /// <summary>Mid-slice image position of the canal centre at a disc level, before any scanner motion.</summary>
    public (double X, double Y) CanalCentreInImage(DiscLevel level) => ToImage(DiscCentre(level), 0);

    public (double X, double Y) ToImage(double s, double u)
    {
        var theta = Tilt + Curvature * s;
        var (x, y) = ArcPoint(s);
        return (x + u * Math.Cos(theta), y - u * Math.Sin(theta));
    }

    public (double S, double U) ToSpine(double x, double y)
    {
        if (Math.Abs(Curvature) < 1e-6)
        {
            var dx = x - CentreX;
            var dy = y - CentreY;
            return (dx * Math.Sin(Tilt) + dy * Math.Cos(Tilt), dx * Math.Cos(Tilt) - dy * Math.Sin(Tilt));
        }

        var radius = 1 / Curvature;
        var ox = CentreX + radius * Math.Cos(Tilt);
        var oy = CentreY - radius * Math.Sin(Tilt);
        var qx = x - ox;
        var qy = y - oy;
        var distance = Math.Sqrt(qx * qx + qy * qy);
        var sign = Curvature > 0 ? -1.0 : 1.0;
        var theta = Math.Atan2(-sign * qy, sign * qx);
        var s = (theta - Tilt) / Curvature;
        return (s, radius + sign * distance);
    }

    private (double X, double Y) ArcPoint(double s)
    {
        if (Math.Abs(Curvature) < 1e-6)
        {
            return (CentreX + s * Math.Sin(Tilt), CentreY + s * Math.Cos(Tilt));
        }

        var theta = Tilt + Curvature * s;
        var radius = 1 / Curvature;
        return (CentreX + radius * (Math.Cos(Tilt) - Math.Cos(theta)),
            CentreY + radius * (Math.Sin(theta) - Math.Sin(Tilt)));
    }

    public static SpineAnatomy Draw(Patient patient, PhantomRandom random)
    {
        var scale = random.Uniform(0.92, 1.08);
        var ageing = Math.Clamp((patient.Age - 30) / 50.0, 0, 1);
        return new SpineAnatomy
        {
            CentreX = random.Uniform(53, 62),
            CentreY = 112 + random.Uniform(-6, 6),
            Tilt = random.Uniform(-0.04, 0.2),
            Curvature = random.Uniform(-0.1, 0.55) / 200,
            Vertebrae = DrawVertebrae(scale, ageing, random),
            BodyDepth = random.Uniform(25, 30) * scale,
            CanalHalfWidth = random.Uniform(7.2, 10.5) * scale,
            CordHalfWidth = random.Uniform(4.2, 5.2) * scale,
            CordOffset = random.Uniform(-0.8, 0.8),
            Signals = TissueSignals.Draw(ageing, random),
            SkinDistance = random.Uniform(50, 64),
            LateralSpacing = random.Uniform(0.35, 0.55),
            LateralShiftX = random.Uniform(-0.8, 0.8),
            LateralShiftY = random.Uniform(-0.6, 0.6),
            TextureKey = random.NextBits(),
        };
    }

    private static List<Vertebra> DrawVertebrae(double scale, double ageing, PhantomRandom random)
    {
        double[] heights = [24, 16, 16.5, 17, 17.5, 18, 19, 20];
        double[] spinous = [22, 15, 14, 15, 18, 28, 28, 26];
        var disc = 5.6 * (1 - 0.25 * ageing);
        var total = heights.Sum() + disc * (heights.Length - 1);
        var top = -total * scale / 2 + random.Uniform(-10, 8);
        var vertebrae = new List<Vertebra>();
        for (var i = 0; i < heights.Length; i++)
        {
            var height = heights[i] * scale * random.Uniform(0.94, 1.06);
            var length = spinous[i] * scale * random.Uniform(0.85, 1.15);
            vertebrae.Add(new Vertebra(VertebraNames[i], top, top + height, length, random.Uniform(0.45, 0.85)));
            top += height + disc * scale * random.Uniform(0.85, 1.15);
        }

        return vertebrae;
    }
}

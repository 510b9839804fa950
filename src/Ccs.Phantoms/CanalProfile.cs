namespace Ccs.Phantoms;

/// <summary>
/// The canal and cord of one slice along the spine: where the walls are after discs and ligamenta flava bulge in,
/// and where the cord is after they push on it. Lesion sizes are set from the CSF and cord this slice actually has,
/// so every slice shows the grade its lesion was given.
/// </summary>
public sealed class CanalProfile
{
    private readonly Narrowing[] _narrowings;

    public double HalfWidth { get; }

    public double CordHalfWidth { get; }

    public double CordOffset { get; }

    public IReadOnlyList<CordSpot> Spots { get; }

    /// <param name="side">-1, 0 or 1: the lateral slice on one side, the mid slice, the other side.</param>
    public CanalProfile(SpineAnatomy anatomy, Pathology pathology, int side)
    {
        var spacing = side == 0 ? 0 : anatomy.LateralSpacing;
        HalfWidth = anatomy.CanalHalfWidth * (1 - 0.12 * spacing * spacing);
        CordHalfWidth = anatomy.CordHalfWidth * Math.Sqrt(1 - spacing * spacing);
        CordOffset = anatomy.CordOffset;
        var lesions = pathology.Lesions.Concat(pathology.MildBulges).ToList();
        _narrowings = lesions.Select(l => Size(l, anatomy.DiscCentre(l.Level), side)).ToArray();
        Spots = lesions.Where(l => l.Grade == KangGrade.CordSignalChange)
            .Select(l => Spot(l, anatomy.DiscCentre(l.Level), side)).ToList();
    }

    public (double Anterior, double Posterior) Walls(double s)
    {
        double anterior = -HalfWidth, posterior = HalfWidth;
        foreach (var n in _narrowings)
        {
            var d = (s - n.Centre) / n.Reach;
            if (Math.Abs(d) > 3.5)
            {
                continue;
            }

            anterior += n.Anterior * Math.Exp(-d * d);
            var dp = (s - n.Centre - 1) / n.Reach;
            posterior -= n.Posterior * Math.Exp(-dp * dp);
        }

        return (anterior, posterior);
    }

    /// <summary>The cord is flattened wherever a wall reaches into it.</summary>
    public (double Anterior, double Posterior) Cord(double s, double wallAnterior, double wallPosterior) =>
        (Math.Max(CordOffset - CordHalfWidth, wallAnterior), Math.Min(CordOffset + CordHalfWidth, wallPosterior));

    private Narrowing Size(LevelLesion lesion, double centre, int side)
    {
        var severity = Math.Clamp(lesion.Severity + 0.3 * lesion.Asymmetry * side, 0, 1);
        var csfFront = CordOffset - CordHalfWidth + HalfWidth;
        var csfBack = HalfWidth - CordOffset - CordHalfWidth;
        var cord = 2 * CordHalfWidth;
        var share = lesion.AnteriorShare;
        var (anterior, posterior) = lesion.Grade switch
        {
            KangGrade.Normal => (csfFront * (0.08 + 0.32 * severity), csfBack * (0.04 + 0.3 * severity) * (1 - share)),
            KangGrade.CsfEffaced => (csfFront * (0.62 + 0.25 * severity), csfBack * (0.58 + 0.3 * severity)),
            KangGrade.CordDeformed => Indent(csfFront, csfBack, cord * (0.38 + 0.22 * severity), share),
            _ => Indent(csfFront, csfBack, cord * (0.42 + 0.22 * severity), share),
        };
        var reach = lesion.Grade >= KangGrade.CordDeformed ? 5.5 + 2 * severity : 4.2 + 1.2 * severity;
        return new Narrowing(centre, reach, anterior, posterior);
    }

    private static (double, double) Indent(double csfFront, double csfBack, double depth, double share) =>
        (csfFront + depth * share, csfBack + depth * (1 - share));

    private CordSpot Spot(LevelLesion lesion, double centre, int side)
    {
        var (anterior, posterior) = Walls(centre);
        var (front, back) = Cord(centre, anterior, posterior);
        var fade = side == 0 ? 1.0 : 0.75;
        return new CordSpot(centre + 1.5 * (lesion.Severity - 0.5), (front + back) / 2,
            (4.5 + 3 * lesion.Severity) * fade, Math.Min(2.0, 0.35 * (back - front)) * fade);
    }

    private sealed record Narrowing(double Centre, double Reach, double Anterior, double Posterior);
}

/// <summary>An intramedullary T2-hyperintense focus, an ellipse in the spine frame.</summary>
public sealed record CordSpot(double S, double U, double HalfLength, double HalfWidth)
{
    public double Inside(double s, double u)
    {
        var ds = (s - S) / HalfLength;
        var du = (u - U) / HalfWidth;
        return Math.Clamp(1.5 - 1.5 * (ds * ds + du * du), 0, 1);
    }
}

namespace Ccs.Phantoms;

/// <summary>
/// Noise-free T2 signal of one sagittal slice at any point of the phantom, before the scanner sees it. Anterior is to
/// the left of the image, as in the study's slices.
/// </summary>
public sealed class SagittalScene
{
    private const double LineWidth = 1.1;

    private readonly SpineAnatomy _anatomy;
    private readonly CanalProfile _canal;
    private readonly TissueSignals _signal;
    private readonly int _side;
    private readonly SmoothNoise _marrowTexture;
    private readonly SmoothNoise _fineTexture;
    private readonly SmoothNoise _fatPlanes;
    private readonly SmoothNoise _sliceTexture;

    public SagittalScene(SpineAnatomy anatomy, Pathology pathology, int side)
    {
        _anatomy = anatomy;
        _canal = new CanalProfile(anatomy, pathology, side);
        _signal = anatomy.Signals;
        _side = side;
        var key = anatomy.TextureKey;
        _marrowTexture = new SmoothNoise(key ^ 0x1, 5);
        _fineTexture = new SmoothNoise(key ^ 0x2, 1.7);
        _fatPlanes = new SmoothNoise(key ^ 0x3, 7);
        _sliceTexture = new SmoothNoise(key ^ (0x10UL + (ulong)(side + 1)), 3);
    }

    public double Signal(double x, double y)
    {
        if (_side != 0)
        {
            x -= _side * _anatomy.LateralShiftX;
            y -= _side * _anatomy.LateralShiftY;
        }

        var (s, u) = _anatomy.ToSpine(x, y);
        var (front, back) = _canal.Walls(s);
        if (u >= front && u <= back)
        {
            return Canal(s, u, front, back);
        }

        if (u < front)
        {
            return u > front - LineWidth ? _signal.Ligament : Anterior(s, u, front);
        }

        return u < back + LineWidth ? _signal.Ligament : Posterior(s, u, back);
    }

    private double Canal(double s, double u, double front, double back)
    {
        var (cordFront, cordBack) = _canal.Cord(s, front, back);
        if (u < cordFront || u > cordBack)
        {
            return _signal.Csf * (1 + 0.03 * _sliceTexture.At(s, u));
        }

        var cord = _signal.Cord * (1 + 0.04 * _fineTexture.At(s, u));
        foreach (var spot in _canal.Spots)
        {
            var inside = spot.Inside(s, u);
            if (inside > 0)
            {
                cord += inside * (0.9 * _signal.Csf - cord);
            }
        }

        return cord;
    }

    /// <summary>Vertebral bodies, discs and the soft tissue in front of them.</summary>
    private double Anterior(double s, double u, double canalFront)
    {
        var bodyBack = -_canal.HalfWidth - LineWidth;
        var bodyFront = bodyBack - _anatomy.BodyDepth;
        if (u > bodyBack)
        {
            return _signal.Annulus;
        }

        if (u >= bodyFront - 2)
        {
            var column = Column(s, u, bodyFront, bodyBack);
            if (column is { } value)
            {
                return value;
            }
        }

        return FrontOfNeck(s, u, bodyFront);
    }

    private double? Column(double s, double u, double bodyFront, double bodyBack)
    {
        var vertebrae = _anatomy.Vertebrae;
        for (var i = 0; i < vertebrae.Count; i++)
        {
            var v = vertebrae[i];
            if (s < v.Top - 16 || s > vertebrae[Math.Min(i + 1, vertebrae.Count - 1)].Top + 1)
            {
                continue;
            }

            var inset = InsetInBody(s, u, v, bodyFront, bodyBack, i == 0);
            if (inset >= 0)
            {
                return inset < LineWidth ? _signal.Cortex : Marrow(s, u);
            }

            if (i + 1 < vertebrae.Count && s > v.Bottom && s < vertebrae[i + 1].Top && u > bodyFront + 1)
            {
                return Disc(s, u, v.Bottom, vertebrae[i + 1].Top, bodyFront, bodyBack);
            }
        }

        return null;
    }

    /// <summary>Distance inside a vertebral body with rounded corners (and the dens above C2); negative outside.
    /// </summary>
    private static double InsetInBody(double s, double u, Vertebra v, double front, double back, bool withDens)
    {
        const double corner = 3.5;
        var halfS = v.Height / 2;
        var halfU = (back - front) / 2;
        var ds = Math.Abs(s - v.Middle) - (halfS - corner);
        var du = Math.Abs(u - (front + back) / 2) - (halfU - corner);
        var (os, ou) = (Math.Max(ds, 0), Math.Max(du, 0));
        var outside = Math.Sqrt(os * os + ou * ou);
        var inset = corner - outside - Math.Min(Math.Max(ds, du), 0);
        if (!withDens)
        {
            return inset;
        }

        var densHeight = 14.0;
        var t = (v.Top - s) / densHeight;
        var densHalf = 0.2 * (back - front) * (1 - 0.5 * t);
        var densCentre = back - 0.35 * (back - front);
        var densInset = Math.Min(densHalf - Math.Abs(u - densCentre), (1 - t) * densHeight);
        return t is > -0.2 and < 1 ? Math.Max(inset, densInset) : inset;
    }

    private double Marrow(double s, double u) =>
        _signal.Marrow * (1 + 0.16 * _marrowTexture.At(s, u) + 0.07 * _fineTexture.At(s, u));

    private double Disc(double s, double u, double upper, double lower, double front, double back)
    {
        var ds = (s - (upper + lower) / 2) / (0.32 * (lower - upper));
        var du = (u - (front + 0.45 * (back - front))) / (0.3 * (back - front));
        var r = ds * ds + du * du;
        return r < 1 ? _signal.Nucleus + (1 - r) * 0.1 * _signal.Nucleus : _signal.Annulus;
    }

    /// <summary>Prevertebral tissue, then the pharynx and oesophagus with air in the upper neck.</summary>
    private double FrontOfNeck(double s, double u, double bodyFront)
    {
        var depth = bodyFront - u;
        var tissue = _signal.SoftTissue * (1 + 0.3 * _fatPlanes.At(s * 0.4, u) + 0.1 * _fineTexture.At(s, u));
        if (depth < 4)
        {
            return _signal.SoftTissue;
        }

        var centre = 14 + 4 * _marrowTexture.At(s * 0.2, 50);
        var halfWidth = 2.5 + 1.5 * _marrowTexture.At(s * 0.3, 90);
        var air = Math.Clamp((halfWidth - Math.Abs(depth - centre)) / 1.5, 0, 1) * Math.Clamp((30 - s) / 20, 0, 1);
        return tissue + air * (_signal.Air - tissue);
    }

    /// <summary>Laminae, spinous processes, ligamenta flava, posterior muscles, fat and skin.</summary>
    private double Posterior(double s, double u, double canalBack)
    {
        var ligamentBack = _canal.HalfWidth + LineWidth + 1.2;
        if (u < ligamentBack)
        {
            return _signal.Ligament;
        }

        if (u > _anatomy.SkinDistance)
        {
            return u > _anatomy.SkinDistance + 2 ? _signal.Air : _signal.SoftTissue;
        }

        if (u > _anatomy.SkinDistance - 6)
        {
            return _signal.Fat;
        }

        var bone = PosteriorBone(s, u);
        if (bone is { } inset)
        {
            return inset < LineWidth ? _signal.Cortex : 0.8 * Marrow(s, u);
        }

        return BackOfNeck(s, u);
    }

    private double? PosteriorBone(double s, double u)
    {
        var canal = _canal.HalfWidth;
        var lateral = _side != 0;
        foreach (var v in _anatomy.Vertebrae)
        {
            var laminaS = v.Middle + 3;
            if (s < laminaS - v.Height || s > laminaS + v.SpinousLength + 4)
            {
                continue;
            }

            var laminaInset = Math.Min(0.42 * v.Height - Math.Abs(s - laminaS), 3.8 - Math.Abs(u - canal - 6.2));
            if (laminaInset >= 0)
            {
                return laminaInset;
            }

            var length = v.SpinousLength * (lateral ? 0.35 : 1);
            var spinous = SpinousInset(s - laminaS, u - canal - 6, length, v.SpinousAngle, lateral ? 3.2 : 3.9);
            if (spinous >= 0)
            {
                return spinous;
            }
        }

        return null;
    }

    /// <summary>A tapering capsule from the lamina backwards and downwards.</summary>
    private static double SpinousInset(double s, double u, double length, double angle, double radius)
    {
        var along = u * Math.Cos(angle) + s * Math.Sin(angle);
        var t = Math.Clamp(along / length, 0, 1);
        var ps = t * length * Math.Sin(angle);
        var pu = t * length * Math.Cos(angle);
        var distance = Math.Sqrt((s - ps) * (s - ps) + (u - pu) * (u - pu));
        return radius * (1 - 0.4 * t) - distance;
    }

    /// <summary>Muscle bellies separated by fat, with a thin dark fascia where fat meets muscle.</summary>
    private double BackOfNeck(double s, double u)
    {
        var near = u - _canal.HalfWidth;
        var plane = _fatPlanes.At(s * 0.35 + 0.3 * u, u * 1.1) + 0.25 * _sliceTexture.At(s, u);
        var fatty = near < 24 ? 0.05 : 0.4;
        var mix = Math.Clamp((plane - fatty) * 6 + 0.5, 0, 1);
        var muscle = _signal.Muscle * (1 + 0.12 * _fineTexture.At(s * 0.5, u));
        var value = muscle + mix * (_signal.Fat * (1 + 0.08 * _fineTexture.At(s, u)) - muscle);
        return Math.Abs(plane - fatty - 0.12) < 0.035 ? _signal.Ligament : value;
    }
}

namespace Ccs.Phantoms;

/// <summary>
/// One vertebra along the spine, positions in pixels of arc length down the canal centre line
/// (<see cref="SpineAnatomy"/>).
/// </summary>
public sealed record Vertebra(string Name, double Top, double Bottom, double SpinousLength, double SpinousAngle)
{
    public double Middle => (Top + Bottom) / 2;

    public double Height => Bottom - Top;
}
